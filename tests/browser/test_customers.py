"""The customer screens in a real browser: search by a phone written another way, the info
card (accessible, names shown as text), the card refreshing itself when a change is made
elsewhere, and the duplicate review through preview, merge and undo."""

from __future__ import annotations

from typing import Any

import asyncpg
from playwright.async_api import expect

from contact_center import customers
from contact_center.customers import NewCustomer
from tests.browser.browsing import assert_accessible, assert_no_page_problems
from tests.builders import TEST_ACTOR


async def _customer(pool: asyncpg.Pool[Any], name: str, **fields: Any) -> customers.Customer:
    phones, emails = fields.pop("phones", []), fields.pop("emails", [])
    new = NewCustomer(name=name, phones=phones, emails=emails, fields=fields)
    return await customers.create_customer(pool, TEST_ACTOR, new, region="US")


async def test_search_opens_the_card_and_a_change_elsewhere_refreshes_it(
    page_as: Any, shot: Any, pool: asyncpg.Pool[Any]
) -> None:
    wang = await _customer(
        pool,
        "王小明 <img src=x onerror=alert(1)>",
        phones=["+86 139 0021 7788"],
        tier="A",
        is_key_account=True,
        preferences="<script>alert(2)</script> 上午联系",
    )
    page = await page_as("agent")
    await page.goto("/customers")
    await page.keyboard.press("/")  # the search shortcut focuses the box
    await page.keyboard.type("013900217788")
    await page.keyboard.press("Enter")
    result = page.locator("#customer-results a", has_text="王小明")
    await expect(result).to_have_count(1)
    await shot(page, "search")
    await result.click()
    await page.wait_for_url(f"**/customers/{wang.id}")
    card = page.locator("#card")
    await expect(card).to_contain_text("<img src=x onerror=alert(1)>")
    await expect(card).to_contain_text("<script>alert(2)</script> 上午联系")
    await expect(card.locator(".badge.key")).to_be_visible()
    await expect(page.locator("#live-status")).to_have_attribute("data-state", "live")
    await shot(page, "card")
    await assert_accessible(page)
    chinese = await page_as("agent", locale="zh-CN")
    await chinese.goto(f"/customers/{wang.id}")
    await expect(chinese.locator("#card")).to_contain_text("重点客户")
    await expect(chinese.locator("#card")).to_contain_text("+86 139 0021 7788")
    await shot(chinese, "card-zh")
    await assert_accessible(chinese)
    assert_no_page_problems(chinese)

    await customers.update_customer(
        pool, TEST_ACTOR, wang.id, {"preferences": "只发短信"}, region="US"
    )
    await expect(card).to_contain_text("只发短信", timeout=10_000)  # reloaded by the live event
    await expect(page.locator("#history")).to_contain_text("只发短信")
    assert_no_page_problems(page)


async def test_an_edit_in_progress_is_not_thrown_away_by_a_change_elsewhere(
    page_as: Any, pool: asyncpg.Pool[Any]
) -> None:
    """At tablet width, too."""
    ann = await _customer(pool, "Ann Fairholm", phones=["+1 202 555 0166"])
    page = await page_as("agent", viewport={"width": 800, "height": 1100})
    await page.goto(f"/customers/{ann.id}")
    await expect(page.locator("#live-status")).to_have_attribute("data-state", "live")
    await page.locator("#edit summary").click()
    await page.locator("#f-notes").fill("typing, not saved yet")
    await customers.update_customer(pool, TEST_ACTOR, ann.id, {"language": "en"}, region="US")
    await expect(page.locator("#card-changed")).to_be_visible(timeout=10_000)
    await expect(page.locator("#f-notes")).to_have_value("typing, not saved yet")
    await page.locator("#card-form button[type=submit]").click()
    await page.wait_for_url(f"**/customers/{ann.id}#card")
    await expect(page.locator("#card")).to_contain_text("typing, not saved yet")
    # Only the field this agent changed was saved: the change made elsewhere is kept.
    assert (await customers.get_customer(pool, ann.id)).language == "en"
    assert_no_page_problems(page)


async def test_an_agent_reviews_a_duplicate_merges_it_and_undoes_the_merge(
    page_as: Any, shot: Any, pool: asyncpg.Pool[Any]
) -> None:
    keep = await _customer(pool, "Li Wei", emails=["li.wei@shop-a.example"], tier="B")
    other = await _customer(
        pool, "李伟", emails=["li.wei@shop-b.example"], birthday="1990-03-01", language="zh"
    )
    page = await page_as("agent")  # who merged may undo it, without a supervisor
    await page.goto("/customers/duplicates")
    await expect(page.locator("#live-status")).to_have_attribute("data-state", "live")
    pair = page.locator("li.suggestion", has=page.locator(f'a[href="/customers/{keep.id}"]'))
    await expect(pair).to_contain_text("li.wei@shop-b.example")
    await shot(page, "suggestions")
    await assert_accessible(page)
    await pair.get_by_role("link", name="Merge…").click()
    await page.wait_for_url("**/customers/duplicates/merge?**")
    if f"keep={keep.id}" not in page.url:  # the list shows the pair in id order
        await page.get_by_role("link", name="keep the other card instead").click()
        await page.wait_for_url(f"**keep={keep.id}**")
    await expect(page.locator("main")).to_contain_text("1990-03-01")
    await shot(page, "preview")
    await assert_accessible(page)
    await page.get_by_role("button", name="Merge", exact=True).click()
    await page.wait_for_url(f"**/customers/{keep.id}?merged={other.id}")
    await expect(page.locator("#card")).to_contain_text("li.wei@shop-b.example")
    await shot(page, "merged")
    # The header's live status settles first, so nothing moves under the pointer.
    await expect(page.locator("#live-status")).to_have_attribute("data-state", "live")
    await page.locator("#merged-notice").get_by_role("button", name="Undo").click()
    await page.wait_for_url(f"**/customers/{other.id}")
    await expect(page.locator("#card")).to_contain_text("li.wei@shop-b.example")
    assert (await customers.get_customer(pool, other.id)).merged_into_id is None
    kept = await customers.get_customer(pool, keep.id)
    assert kept.emails == ["li.wei@shop-a.example"] and kept.birthday is None
    assert_no_page_problems(page)
