"""The inbox page in a real browser: an SMS arriving through a signed webhook shows up without
reload with the server's new counts, filters and "More" work by keyboard and mouse, and the
page passes axe-core in English and Chinese."""

from __future__ import annotations

import re
from typing import Any

from playwright.async_api import expect

from tests.browser.browsing import api, assert_accessible, assert_no_page_problems
from tests.browser.services import ServiceProcess
from tests.builders import unique_phone


async def _count(page: Any, view: str) -> int:
    return int(await page.locator(f'[data-count="{view}"]').inner_text())


async def test_an_sms_shows_up_in_the_inbox_without_reload(
    service: ServiceProcess, page_as: Any, signed_sms: Any, shot: Any
) -> None:
    page = await page_as("agent")
    await page.goto("/")
    await expect(page.locator("#live-status")).to_have_attribute("data-state", "live")
    before = await _count(page, "open")
    answer = await signed_sms(service, unique_phone(), "Inbox without reload")
    assert answer.status == 200
    row = page.locator("#inbox-rows tr", has_text="Inbox without reload")
    await expect(row).to_be_visible()
    await expect(page.locator('[data-count="open"]')).to_have_text(str(before + 1))
    href = await row.locator("a").get_attribute("href")
    assert href is not None and href.startswith("/tickets/")
    await shot(page, "inbox-live")
    await assert_accessible(page)
    assert_no_page_problems(page)


async def test_a_refused_filter_in_the_address_keeps_the_live_refresh_working(
    service: ServiceProcess, page_as: Any, signed_sms: Any
) -> None:
    page = await page_as("agent")
    await page.goto("/?view=all")  # not a view: the page falls back to all open tickets
    await expect(page.locator("main")).to_contain_text("That filter is not valid")
    await expect(page.locator("#live-status")).to_have_attribute("data-state", "live")
    assert (await signed_sms(service, unique_phone(), "After a wrong link")).status == 200
    await expect(page.locator("#inbox-rows tr", has_text="After a wrong link")).to_be_visible()
    await expect(page.locator("#inbox-status")).not_to_contain_text("Could not refresh")


async def test_filters_views_and_more(
    service: ServiceProcess, page_as: Any, signed_sms: Any, shot: Any
) -> None:
    for n in range(3):
        assert (await signed_sms(service, unique_phone(), f"Paging check {n}")).status == 200
    page = await page_as("agent")
    await page.goto("/?limit=2")
    assert await page.locator("#inbox-rows tr[data-id]").count() == 2
    total = await _count(page, "open")
    await page.get_by_role("link", name="More").click()
    await expect(page.locator("#inbox-rows tr[data-id]")).to_have_count(min(4, total))
    assert page.url.endswith("/?limit=2")  # appended in place, no navigation

    await page.get_by_label("Kind").select_option("complaint")
    await page.get_by_role("button", name="Apply").click()
    await expect(page).to_have_url(re.compile(r"kind=complaint"))
    for kind in await page.locator("#inbox-rows .detail").all_inner_texts():
        assert kind.startswith("Complaint")

    await page.get_by_role("link", name="My tickets").click()
    await expect(page.get_by_role("link", name="My tickets")).to_have_attribute(
        "aria-current", "page"
    )
    assert "kind=complaint" in page.url  # the tabs keep the filters
    await shot(page, "inbox-mine-complaints")
    assert_no_page_problems(page)


async def test_the_inbox_in_chinese_is_accessible(
    service: ServiceProcess, page_as: Any, signed_sms: Any, shot: Any
) -> None:
    assert (await signed_sms(service, unique_phone(), "我想查询订单")).status == 200
    page = await page_as("second_agent", locale="zh-CN")
    mine = await api(page, "GET", "/api/v1/inbox?view=mine")
    assert mine["status"] == 200
    await page.goto("/")
    await expect(page.get_by_role("link", name="全部未结")).to_be_visible()
    await expect(page.locator("#inbox-rows")).to_contain_text("我想查询订单")
    await shot(page, "inbox-zh")
    await assert_accessible(page)
    assert_no_page_problems(page)
