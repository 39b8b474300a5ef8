"""Queue administration in a real browser: the list and the edit form are accessible in English
and Chinese, a refused schedule keeps what was typed, a saved one shows on the list; the admin
users page's routing profiles too."""

from __future__ import annotations

from typing import Any

import asyncpg
from playwright.async_api import expect

from contact_center import routing
from tests.browser.browsing import assert_accessible, assert_no_page_problems


async def test_a_supervisor_changes_a_queues_hours(
    page_as: Any, shot: Any, pool: asyncpg.Pool[Any]
) -> None:
    page = await page_as("supervisor", viewport={"width": 1300, "height": 900})
    await page.goto("/")
    await page.get_by_role("link", name="Queue settings", exact=True).click()
    await page.wait_for_url("**/admin/queues")
    await expect(page.locator("#queue-order")).to_contain_text("Mon–Fri 08:00–18:00")
    await assert_accessible(page)
    await page.locator("#queue-order").get_by_role("link", name="Edit").click()
    await page.wait_for_url("**/admin/queues/order")
    await assert_accessible(page)

    await page.fill("#edit-hours-sat", "12:00-10:00")
    await page.get_by_role("button", name="Save").click()
    await expect(page.get_by_role("alert")).to_contain_text("sat: 12:00–10:00 ends before")
    await expect(page.locator("#edit-hours-sat")).to_have_value("12:00-10:00")
    await shot(page, "refused")

    await page.fill("#edit-hours-sat", "9:00-13:00")
    await page.get_by_role("button", name="Save").click()
    await page.wait_for_url("**/admin/queues?saved=order")
    await expect(page.locator("#queue-order")).to_contain_text("Sat 09:00–13:00")
    await shot(page, "saved")
    assert (await routing.get_queue(pool, "order")).hours["sat"] == [["09:00", "13:00"]]
    # The refused form came back as a 422 page, which the browser logs.
    assert_no_page_problems(page, allow=("status of 422",))

    chinese = await page_as("supervisor", locale="zh-CN")
    await chinese.goto("/admin/queues/order")
    await expect(chinese.locator("h1")).to_contain_text("队列")
    await assert_accessible(chinese)
    await shot(chinese, "edit-zh")
    assert_no_page_problems(chinese)


async def test_the_routing_profiles_are_accessible(page_as: Any, shot: Any) -> None:
    page = await page_as("admin", viewport={"width": 1400, "height": 900})
    await page.goto("/admin/users")
    await expect(page.locator("table.routing-profiles")).to_be_visible()
    await assert_accessible(page)
    await shot(page, "users")
    assert_no_page_problems(page)
