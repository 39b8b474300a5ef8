"""The broadcasts page in a real browser: a supervisor picks a segment and sees the count,
sends a broadcast, and watches its figures fill in as the worker sends (live); the customer's
"no care messages" flag shows in the count; accessible and translated."""

from __future__ import annotations

from typing import Any

import asyncpg
from playwright.async_api import expect

from contact_center import care
from contact_center.timeutil import utc_now
from tests.browser.browsing import assert_accessible, assert_no_page_problems
from tests.builders import TEST_ACTOR, make_customer, make_organization
from tests.standins.twilio_api import TwilioStandIn


async def test_a_supervisor_sends_a_broadcast_and_sees_its_figures(
    page_as: Any, shot: Any, pool: asyncpg.Pool[Any], twilio: TwilioStandIn
) -> None:
    org = await make_organization(
        pool, "远东贸易", tier="A", is_key_account=True, route_territory="Harbour"
    )
    made = [
        await make_customer(pool, f"买家 {n}", organization_id=org.id, language="zh")
        for n in range(3)
    ]
    await care.set_care_opt_out(pool, TEST_ACTOR, made[0].id, True, now=utc_now())
    page = await page_as("supervisor", viewport={"width": 1300, "height": 1100})
    await page.goto("/")
    await page.get_by_role("link", name="Broadcasts", exact=True).click()
    await page.wait_for_url("**/admin/broadcasts")
    await expect(page.locator("#broadcast-rows")).to_contain_text("No broadcasts yet")

    await page.get_by_label("Harbour").check()
    await page.get_by_label("Key accounts only").check()
    preview = page.locator("#preview")
    await expect(preview).to_contain_text(
        "3 customers in the segment: 2 reachable, 0 opted out (STOP), 1 want no care messages"
    )
    await assert_accessible(page)

    await page.get_by_label("Name (for staff only, not sent)").fill("Harbour price list")
    await page.get_by_label("Text in English").fill("Our new price list is out.")
    await page.get_by_label("Text in Chinese").fill("新价目表已发布。")
    await page.get_by_role("button", name="Send broadcast").click()
    await expect(page.locator("#broadcast-status")).to_contain_text(
        "Broadcast started to 3 customers"
    )
    row = page.locator("#broadcast-rows tr", has_text="Harbour price list")
    # The worker sends; the row follows live (queued, then sent by the stand-in).
    await expect(row.locator("td").nth(2)).to_have_text("Done", timeout=15_000)
    await expect(row.locator("td").nth(6)).to_have_text("2", timeout=15_000)
    await expect(row.locator("td").nth(9)).to_contain_text("1 no care messages")
    bodies = [m["Body"] for m in twilio.sent() if m["Body"] == "新价目表已发布。"]
    assert len(bodies) == 2
    await assert_accessible(page)
    await shot(page, "broadcasts")
    assert_no_page_problems(page)


async def test_the_page_is_translated(page_as: Any, shot: Any) -> None:
    page = await page_as("admin", locale="zh-CN")
    await page.goto("/admin/broadcasts")
    await expect(page.get_by_role("heading", level=1)).to_have_text("群发消息")
    await expect(page.locator("#preview")).to_contain_text("位客户")
    await assert_accessible(page)
    await shot(page, "zh")
    assert_no_page_problems(page)


async def test_the_care_switch_on_the_card_takes_a_customer_out_of_broadcasts(
    page_as: Any, shot: Any, pool: asyncpg.Pool[Any]
) -> None:
    org = await make_organization(pool, "Quiet Harbour Ltd", route_territory="Quiet")
    person = await make_customer(pool, "Quiet Person", organization_id=org.id)
    page = await page_as("agent")
    await page.goto(f"/customers/{person.id}")
    switch = page.get_by_label("No care messages (birthday and holiday greetings, broadcasts)")
    await expect(switch).not_to_be_checked()
    await switch.check()
    await expect(page.locator("#care-flag")).to_contain_text("since")
    assert await care.care_opt_out(pool, person.id) is not None
    assert (await care.preview(pool, care.Segment(territories=("Quiet",)))).care_opted_out == 1
    await page.reload()
    await expect(switch).to_be_checked()
    await assert_accessible(page)
    await shot(page, "card")
    assert_no_page_problems(page)
