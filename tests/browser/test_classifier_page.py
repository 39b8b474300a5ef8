"""The complaint phrases page in a real browser: a supervisor tries a text, adds a phrase,
saves it, and the try box finds it; a phrase listed twice is refused and pointed at."""

from __future__ import annotations

from typing import Any

from playwright.async_api import expect

from tests.browser.browsing import assert_accessible, assert_no_page_problems


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
    assert_no_page_problems(page, allow=("status of 422",))
