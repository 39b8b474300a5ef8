"""The accounts page and the card's tier section in a real browser: a supervisor names the
manager of a new key account and overrides a tier on the card; the manager sees their key
accounts and the moves with their reasons; every page is accessible."""

from __future__ import annotations

import secrets
from typing import Any

import asyncpg
from playwright.async_api import expect

from contact_center import accounts, customers, users
from contact_center.audit import Actor
from contact_center.timeutil import utc_now
from tests.browser.browsing import StaffUser, assert_accessible, assert_no_page_problems, sign_in
from tests.builders import PASSWORD, TEST_ACTOR, TEST_PASSWORDS

SYSTEM = Actor.system("test")


async def test_assign_a_manager_override_a_tier_and_the_managers_view(
    page_as: Any, new_page: Any, shot: Any, pool: asyncpg.Pool[Any]
) -> None:
    email = f"riley.{secrets.token_hex(3)}@example.com"
    riley = await users.create_user(
        pool,
        TEST_ACTOR,
        email=email,
        role="account_manager",
        password=PASSWORD,
        name="Riley Chen",
        passwords=TEST_PASSWORDS,
    )
    await customers.create_organization(pool, TEST_ACTOR, {"name": "Harbour Logistics"})
    lotus = await customers.create_organization(pool, TEST_ACTOR, {"name": "莲花茶舍"})
    today = utc_now().date().isoformat()
    await accounts.import_items(
        pool,
        SYSTEM,
        [
            {
                "source_id": f"b-{n}",
                "account": name,
                "kind": "transaction",
                "amount": amount,
                "date": today,
            }
            for n, (name, amount) in enumerate(
                [("Harbour Logistics", "98,000"), ("莲花茶舍", "2,000")]
            )
        ],
        region="US",
        now=utc_now(),
    )
    await accounts.run_tiers(pool, SYSTEM, trigger="manual", now=utc_now())

    page = await page_as("supervisor", viewport={"width": 1300, "height": 900})
    await page.goto("/")
    await page.get_by_role("link", name="Accounts", exact=True).click()
    await page.wait_for_url("**/accounts")
    row = page.locator("#assign-tasks tbody tr", has_text="Harbour Logistics")
    await expect(row).to_be_visible()
    await expect(page.locator("#tier-moves")).to_contain_text("Harbour Logistics")
    await assert_accessible(page)
    await shot(page, "assign")
    await row.get_by_label("Account manager for Harbour Logistics").select_option(
        label="Riley Chen"
    )
    await row.get_by_role("button", name="Assign").click()
    await expect(page.locator("#assign-tasks")).to_contain_text("Every key account has a manager")
    await expect(
        page.locator("#key-accounts tbody tr", has_text="Harbour Logistics")
    ).to_contain_text("Riley Chen")

    # The card: 莲花茶舍 is C by the cut-off; the supervisor makes it A, with a reason.
    await page.goto(f"/organizations/{lotus.id}")
    section = page.locator("#account-tier")
    await expect(section).to_contain_text("Tier C")
    await section.get_by_label("Tier", exact=True).select_option("A")
    await section.get_by_label("Reason").fill("flagship tea partner")
    await section.get_by_role("button", name="Save override").click()
    await expect(section.locator(".tier-moves")).to_contain_text("Tier C → Tier A (up)")
    await expect(section.locator(".tier-moves")).to_contain_text("first tier: Tier C")
    await expect(section.locator(".tier-moves")).to_contain_text("override: flagship tea partner")
    await expect(section.locator(".badge", has_text="override")).to_be_visible()
    # The heading's badge follows at once, without a reload.
    await expect(page.locator("#account-tier-badge")).to_have_text("Tier A")
    await assert_accessible(page)
    await shot(page, "override")
    assert_no_page_problems(page)

    # A re-run keeps the override.
    await accounts.run_tiers(pool, SYSTEM, trigger="manual", now=utc_now())
    async with pool.acquire() as conn:
        assert await conn.fetchval("SELECT tier FROM organizations WHERE id = $1", lotus.id) == "A"
    await accounts.assign_manager(pool, SYSTEM, lotus.id, riley.id, now=utc_now())

    manager_page = await new_page(viewport={"width": 1300, "height": 900})
    await sign_in(
        manager_page,
        StaffUser("riley", email, PASSWORD, "account_manager", "Riley Chen", str(riley.id)),
    )
    await manager_page.goto("/accounts")
    table = manager_page.locator("#key-accounts")
    await expect(table.locator("tbody tr")).to_have_count(2)
    await expect(table.locator("tbody tr", has_text="莲花茶舍")).to_contain_text("override")
    await expect(manager_page.locator("#tier-moves")).to_contain_text(
        "override: flagship tea partner"
    )
    await expect(manager_page.locator("#my-tasks")).to_contain_text("No open tasks")
    await assert_accessible(manager_page)
    await shot(manager_page, "manager")
    assert_no_page_problems(manager_page)
    # The manager reads the tier section (no override form for them), and only what it says.
    await manager_page.goto(f"/organizations/{lotus.id}")
    tier_section = manager_page.locator("#account-tier")
    await expect(tier_section.locator(".tier-moves")).to_contain_text("override")
    await expect(tier_section.get_by_role("button", name="Override")).to_have_count(0)
    assert "null" not in await tier_section.inner_text()

    # Removing the override puts the account back on its computed tier, as a move of its own.
    await page.goto(f"/organizations/{lotus.id}")
    await page.locator("#account-tier").get_by_role("button", name="Remove override").click()
    moves = page.locator("#account-tier .tier-moves")
    await expect(moves).to_contain_text("Tier A → Tier C (down)")
    await expect(moves).to_contain_text("override removed")
    assert_no_page_problems(page)

    # In Chinese, for a manager whose browser asks for it.
    zh_page = await new_page(locale="zh-CN", viewport={"width": 1300, "height": 900})
    await sign_in(
        zh_page, StaffUser("riley", email, PASSWORD, "account_manager", "Riley Chen", str(riley.id))
    )
    await zh_page.goto("/accounts")
    await expect(zh_page.get_by_role("heading", name="我的重点客户")).to_be_visible()
    await expect(zh_page.locator("#tier-moves")).to_contain_text("取消人工分级")
    await expect(zh_page.locator("#tier-moves")).to_contain_text("A级 → C级（下降）")
    await shot(zh_page, "manager-zh")
    assert_no_page_problems(zh_page)


async def test_a_supervisor_sees_an_unassigned_reactivation_task_and_hands_it_over(
    page_as: Any, pool: asyncpg.Pool[Any]
) -> None:
    name = f"Quiet Harbour {secrets.token_hex(2)}"
    org = await customers.create_organization(
        pool, TEST_ACTOR, {"name": name, "tier": "A", "is_key_account": True}
    )
    riley = await users.create_user(
        pool,
        TEST_ACTOR,
        email=f"riley.{secrets.token_hex(3)}@example.com",
        role="account_manager",
        password=PASSWORD,
        name=f"Riley {secrets.token_hex(2)}",
        passwords=TEST_PASSWORDS,
    )
    async with pool.acquire() as conn:
        for task in await accounts.list_tasks(conn, organization_id=org.id):
            await accounts.close_task(
                conn, SYSTEM, task.id, accounts.TaskState.CANCELLED, now=utc_now()
            )
        await accounts.open_task(
            conn,
            SYSTEM,
            organization_id=org.id,
            kind=accounts.TaskKind.REACTIVATE,
            assignee_id=None,
            due_at=utc_now(),
            note="",
            now=utc_now(),
        )
    page = await page_as("supervisor", viewport={"width": 1300, "height": 900})
    await page.goto("/accounts")
    row = page.locator("#assign-tasks tbody tr", has_text=name)
    await expect(row).to_contain_text("Win back a dormant account")
    await row.get_by_label(f"Account manager for {name}").select_option(label=riley.name)
    await row.get_by_role("button", name="Assign").click()
    await expect(row).to_have_count(0)
    async with pool.acquire() as conn:
        (task,) = await accounts.list_tasks(conn, organization_id=org.id)
    assert (task.kind, task.assignee_id) == (accounts.TaskKind.REACTIVATE, riley.id)
    assert_no_page_problems(page)


async def test_a_supervisor_pages_and_filters_key_accounts_by_manager(
    page_as: Any, shot: Any, pool: asyncpg.Pool[Any]
) -> None:
    name = f"Morgan {secrets.token_hex(2)}"
    morgan = await users.create_user(
        pool,
        TEST_ACTOR,
        email=f"morgan.{secrets.token_hex(3)}@example.com",
        role="account_manager",
        password=PASSWORD,
        name=name,
        passwords=TEST_PASSWORDS,
    )
    for account in ("Cedar Supply", "云杉文具"):
        await customers.create_organization(
            pool,
            TEST_ACTOR,
            {
                "name": f"{account} {secrets.token_hex(2)}",
                "tier": "A",
                "is_key_account": True,
                "account_manager_id": str(morgan.id),
            },
        )
    page = await page_as("supervisor", viewport={"width": 1300, "height": 900})
    await page.goto("/accounts")
    await expect(page.locator("#key-pager")).to_contain_text("key accounts")
    await page.get_by_label("Account manager", exact=True).select_option(label=name)
    await expect(page.locator("#key-accounts tbody tr")).to_have_count(2)
    await expect(page.locator("#key-pager")).to_contain_text("1–2 of 2 key accounts")
    await expect(page.get_by_role("button", name="Next page")).to_be_disabled()
    await assert_accessible(page)
    await shot(page, "filtered")
    assert_no_page_problems(page)
