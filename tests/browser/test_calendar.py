"""The business calendar in a real browser: a supervisor adds a closure and changes a target,
the preview marks holidays and make-up days, a stale save says so, and the page is accessible."""

from __future__ import annotations

from datetime import date
from typing import Any

import asyncpg
from playwright.async_api import expect

from contact_center import site
from contact_center.audit import Actor
from contact_center.timeutil import utc_now
from tests.browser.browsing import assert_accessible, assert_no_page_problems


async def test_a_supervisor_saves_a_closure_and_a_target(
    page_as: Any, shot: Any, pool: asyncpg.Pool[Any]
) -> None:
    page = await page_as("supervisor", viewport={"width": 1300, "height": 1000})
    await page.goto("/")
    await page.get_by_role("link", name="Business calendar", exact=True).click()
    await page.wait_for_url("**/admin/calendar")
    await expect(page.locator(".calendar-preview .day").first).to_be_visible()
    await assert_accessible(page)

    closures = page.locator("#closures")
    await closures.get_by_role("button", name="Add a row").click()
    await closures.locator('input[name="closures_date"]').first.fill("2031-12-24")
    await closures.locator('input[name="closures_label"]').first.fill("Company day")
    await closures.get_by_role("button", name="Save Closures").click()
    await page.wait_for_url("**/admin/calendar?saved=closures*")
    await expect(page.get_by_role("status").filter(has_text="Saved")).to_contain_text("Closures")
    await expect(closures.locator('input[name="closures_label"]').first).to_have_value(
        "Company day"
    )

    targets = page.locator("#clock_targets")
    await targets.locator('input[name="first_response_urgent"]').fill("20m")
    await targets.get_by_role("button", name="Save Response and resolution targets").click()
    await page.wait_for_url("**/admin/calendar?saved=clock_targets*")
    await shot(page, "saved")

    async with pool.acquire() as conn:
        settings = await site.load(conn)
    assert settings.closures == {date(2031, 12, 24): "Company day"}
    assert settings.clock_targets["first_response"]["urgent"] == "20m"

    # Someone else saves the targets; this page still holds the old version.
    current = settings.versions["clock_targets"]
    await site.update_setting(
        pool,
        Actor.system("test"),
        "clock_targets",
        settings.clock_targets,
        version=current,
        now=utc_now(),
    )
    await expect(targets.locator(".stale-note")).to_contain_text("Someone else just saved")
    await targets.locator('input[name="first_response_urgent"]').fill("25m")
    await targets.get_by_role("button", name="Save Response and resolution targets").click()
    await expect(page.get_by_role("alert")).to_contain_text("someone else saved this section")
    await expect(targets.locator('input[name="first_response_urgent"]')).to_have_value("25m")
    await shot(page, "stale")
    assert_no_page_problems(page, allow=("status of 409",))


async def test_the_calendar_page_is_accessible_in_chinese(page_as: Any, shot: Any) -> None:
    page = await page_as("admin", locale="zh-CN", viewport={"width": 1300, "height": 1000})
    await page.goto("/admin/calendar")
    await expect(page.locator(".calendar-preview")).to_be_visible()
    await assert_accessible(page)
    await shot(page, "zh")
    assert_no_page_problems(page)
