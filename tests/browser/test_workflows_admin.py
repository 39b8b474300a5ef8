"""The complaint workflow settings in a real browser: a supervisor changes a deadline, a
refused duration is shown on its field, the new version is listed; the category list grows."""

from __future__ import annotations

from typing import Any

import asyncpg
from playwright.async_api import expect

from contact_center import workflows
from tests.browser.browsing import assert_accessible


async def test_a_supervisor_edits_a_deadline_and_a_category(
    page_as: Any, shot: Any, pool: asyncpg.Pool[Any]
) -> None:
    page = await page_as("supervisor", viewport={"width": 1300, "height": 900})
    await page.goto("/")
    await page.get_by_role("link", name="Complaint workflow", exact=True).click()
    await page.wait_for_url("**/admin/workflows")
    deadline = page.get_by_label("Acknowledged: Default deadline")
    await expect(deadline).to_have_value("2h")
    await assert_accessible(page)
    before = (await workflows.get_workflow(pool, "complaint"))["version"]

    await deadline.fill("2 hours")
    await page.get_by_role("button", name="Save as a new version").click()
    await expect(page.get_by_role("alert")).to_contain_text(
        "Acknowledged: '2 hours' is not a duration"
    )
    await shot(page, "refused")

    await deadline.fill("3h")
    await page.get_by_role("button", name="Save as a new version").click()
    await expect(page.locator("#workflow-editor [role=status]")).to_contain_text(
        f"version {before + 1}"
    )
    await expect(page.locator("#workflow-versions tbody tr")).to_have_count(before + 1)
    stored = await workflows.get_workflow(pool, "complaint")
    assert stored["definition"]["steps"][1]["deadline"]["default"] == "3h"

    categories = page.locator('.label-list[data-list="category"]')
    await categories.get_by_placeholder("key").fill("packaging")
    await categories.locator("form.add input.title").first.fill("Packaging")
    await categories.get_by_role("button", name="Add").click()
    await expect(categories.locator("code", has_text="packaging")).to_be_visible()
    await shot(page, "saved")
