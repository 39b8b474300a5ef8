"""The complaint phrases page in a real browser: a supervisor tries a text, adds a phrase,
saves it, and the try box finds it; a phrase listed twice is refused and pointed at. An
account at risk on its info card, and its manager told."""

from __future__ import annotations

import secrets
from typing import Any

import asyncpg
from playwright.async_api import expect

from contact_center import customers, tickets
from contact_center.timeutil import utc_now
from tests.browser.browsing import assert_accessible, assert_no_page_problems
from tests.builders import TEST_ACTOR, make_customer, make_inbound_email


async def test_a_supervisor_adds_a_phrase_and_tries_a_text(page_as: Any, shot: Any) -> None:
    page = await page_as("supervisor", viewport={"width": 1300, "height": 1000})
    await page.goto("/")
    await page.get_by_role("link", name="Complaint phrases", exact=True).click()
    await page.wait_for_url("**/admin/classifier")
    await assert_accessible(page)

    await page.fill("#try-text", "The parcel went missing, 我要投诉你们")
    await page.get_by_role("button", name="Try", exact=True).click()
    await expect(page.locator("#try-result")).to_contain_text("A complaint")
    await expect(page.locator("#try-result")).to_contain_text("投诉你们")

    await page.get_by_role("button", name="Add a phrase").click()
    await page.locator("#phrases tr").last.locator('input[name="text"]').fill("went missing")
    await page.locator("#phrases tr").last.locator('input[name="weight"]').fill("0.7")
    await page.get_by_role("button", name="Save").click()
    await expect(page.locator("#classifier-status")).to_contain_text("Saved (version 1)")

    await page.fill("#try-text", "My order went missing")
    await page.get_by_role("button", name="Try", exact=True).click()
    await expect(page.locator("#try-result")).to_contain_text("confidence 70%")
    await shot(page, "tried")

    await page.get_by_role("button", name="Add a phrase").click()
    await page.locator("#phrases tr").last.locator('input[name="text"]').fill("Went  Missing")
    await page.get_by_role("button", name="Save").click()
    await expect(page.locator("#classifier-status")).to_contain_text("listed twice")
    await expect(page.locator("#phrases tr").last.locator('input[name="text"]')).to_be_focused()
    await assert_accessible(page)
    assert_no_page_problems(page, allow=("status of 409",))


async def test_an_account_at_risk_shows_on_its_info_card(
    page_as: Any, shot: Any, pool: asyncpg.Pool[Any]
) -> None:
    address = f"mei.{secrets.token_hex(3)}@example.net"
    for subject in ("Late delivery", "Broken lid", "Wrong invoice"):
        contact = make_inbound_email(
            from_address=address, subject=subject, text="I want to complain about this."
        )
        result = await tickets.intake(pool, contact, now=utc_now())
    summary = await tickets.customer_summary(pool, result.customer_id)
    assert summary.at_risk is not None
    page = await page_as("agent", viewport={"width": 1300, "height": 1000})
    await page.goto(f"/customers/{result.customer_id}")
    badge = page.locator("#at-risk-badge")
    await expect(badge).to_contain_text("At risk · 3 complaints")
    await badge.click()
    await expect(page.locator("#at-risk + ul li")).to_have_count(3)
    await assert_accessible(page)
    await shot(page, "card")
    assert_no_page_problems(page)


async def test_the_account_manager_is_told_when_an_account_becomes_at_risk(
    page_as: Any, staff: dict[str, Any], pool: asyncpg.Pool[Any]
) -> None:
    manager = staff["agent"]  # the account's manager: any staff user may hold the role
    org = await customers.create_organization(
        pool, TEST_ACTOR, {"name": "Harbour Cafe", "account_manager_id": manager.id}
    )
    address = f"ann.{secrets.token_hex(3)}@example.net"
    await make_customer(pool, "Ann", emails=[address], organization_id=str(org.id))
    page = await page_as("agent", viewport={"width": 1300, "height": 900})
    await page.goto("/")
    for subject in ("Late delivery", "Broken lid", "Wrong invoice"):
        contact = make_inbound_email(
            from_address=address, subject=subject, text="I want to complain about this."
        )
        await tickets.intake(pool, contact, now=utc_now())
    notice = page.locator("#deadline-notices .deadline-notice")
    await expect(notice).to_contain_text("Harbour Cafe is at risk: 3 complaints within 90 days")
    assert_no_page_problems(page)
