"""The account's health on the info card in a real browser: the four figures with history and
trend, the lifecycle stage shown as "Active", in English and Chinese, accessible; an agent's
card leaves the section out."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import asyncpg
from playwright.async_api import expect

from contact_center import customers
from contact_center.accounts import run_health, run_stages
from contact_center.timeutil import utc_now
from tests.accounts.helpers import add_value, contact
from tests.browser.browsing import assert_accessible, assert_no_page_problems
from tests.builders import TEST_ACTOR, make_customer


async def test_the_card_shows_the_four_figures_with_trend(
    page_as: Any, shot: Any, pool: asyncpg.Pool[Any], service: Any
) -> None:
    now = utc_now()
    org = await customers.create_organization(
        pool, TEST_ACTOR, {"name": "青山五金有限公司", "tier": "A", "is_key_account": True}
    )
    member = await make_customer(pool, "刘海燕", organization_id=str(org.id))
    today = now.date()
    for back in range(0, 300, 30):
        await add_value(
            pool,
            org.id,
            today - timedelta(days=back + 1),
            "1800",
            source_id=f"bh-{back}",
            account_total="6000" if back < 90 else None,
            now=now,
        )
    await contact(pool, org.id, now=now - timedelta(days=3))
    for days_ago in (95, 40, 10, 0):
        await run_stages(pool, now=now - timedelta(days=days_ago))
        await run_health(pool, now=now - timedelta(days=days_ago))

    page = await page_as("supervisor")
    await page.goto(f"/organizations/{org.id}")
    section = page.locator("#account-health")
    await expect(section.locator("tr[data-figure]")).to_have_count(4)
    await expect(section.locator("[data-stage]")).to_have_text("Active")
    await expect(section.locator("tr[data-figure=dependency] .health-value")).to_have_text("30%")
    await expect(section.locator("tr[data-figure=contribution]")).to_contain_text("rank")
    await expect(section.locator("tr[data-figure=loyalty] svg.sparkline")).to_have_count(1)
    await expect(section.locator("tr[data-figure=satisfaction] .health-value")).to_contain_text(
        "no scores"
    )
    await shot(page, "organization")
    await assert_accessible(page)
    assert_no_page_problems(page)

    chinese = await page_as("supervisor", locale="zh-CN")
    await chinese.goto(f"/customers/{member.id}")
    card = chinese.locator("#account-health")
    await expect(card).to_contain_text("客户健康度")
    await expect(card.locator("[data-stage]")).to_have_text("活跃")
    await expect(card.locator("tr[data-figure]")).to_have_count(4)
    await shot(chinese, "card-zh")
    await assert_accessible(chinese)
    assert_no_page_problems(chinese)

    agent = await page_as("agent")
    await agent.goto(f"/customers/{member.id}")
    await expect(agent.locator("#card")).to_be_visible()
    await expect(agent.locator("#account-health")).to_have_count(0)
    assert_no_page_problems(agent)

    # A person without an organization: their personal account has health too; made after
    # the last run, it has none computed yet, and the card says so.
    loner = await make_customer(pool, "Jamie Ortega")
    await page.goto(f"/customers/{loner.id}")
    await expect(page.locator("#account-health [data-stage]")).to_have_text("Active")
    await expect(page.locator("#account-health")).to_contain_text("Not computed yet")
    assert_no_page_problems(page)
