"""An account's value on the info card's tier section in a real browser: a supervisor imports
values, then sees the account's value and a bar per month on the organization's page at once,
and its share and rank once a tier run has counted it; an account without values says so; the
page stays accessible and without errors."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

import asyncpg
from playwright.async_api import expect

from contact_center import customers
from contact_center.timeutil import utc_now
from tests.browser.browsing import assert_accessible, assert_no_page_problems
from tests.builders import TEST_ACTOR


async def test_a_supervisor_sees_the_value_and_its_bars_after_an_import(
    page_as: Any, shot: Any, pool: asyncpg.Pool[Any]
) -> None:
    suffix = secrets.token_hex(2)
    harbour = await customers.create_organization(
        pool, TEST_ACTOR, {"name": f"Harbour Freight {suffix}"}
    )
    await customers.create_organization(pool, TEST_ACTOR, {"name": f"Larger Buyer {suffix}"})
    quiet = await customers.create_organization(pool, TEST_ACTOR, {"name": f"Quiet {suffix}"})
    today = utc_now().date()
    rows = [  # (account, amount, days ago): the last is two years old, outside the window
        (f"Harbour Freight {suffix}", "1,000.25", 5),
        (f"Harbour Freight {suffix}", "234.25", 40),
        (f"Harbour Freight {suffix}", "8,000", 100),
        (f"Harbour Freight {suffix}", "99,999", 730),
        (f"Larger Buyer {suffix}", "20,000", 20),
    ]
    values = [
        {
            "source_id": f"{suffix}-{n}",
            "account": account,
            "kind": "transaction",
            "amount": amount,
            "date": (today - timedelta(days=ago)).isoformat(),
        }
        for n, (account, amount, ago) in enumerate(rows)
    ]

    page = await page_as("supervisor", viewport={"width": 1300, "height": 1000})
    await page.goto(f"/organizations/{quiet.id}")
    section = page.locator("#account-tier")
    await expect(section.locator(".account-value")).to_contain_text("No values imported")

    # The supervisor imports through the API from the console's own session.
    result = await page.evaluate(
        "(values) => window.CC.api('POST', '/api/v1/accounts/values', { values })", values
    )
    assert (result["created"], result["rejected"]) == (5, [])

    await page.goto(f"/organizations/{harbour.id}")
    box = page.locator("#account-tier .account-value")
    await expect(box.locator(".value-total")).to_have_text("9,234.50")  # live: no run needed
    await expect(box.locator("svg.value-bars")).to_be_visible()
    await expect(box.locator(".last-run")).to_have_count(0)  # no tier run has counted it yet

    run = await page.evaluate("() => window.CC.api('POST', '/api/v1/tiers/run')")
    assert run["accounts"] == 2
    await page.reload()
    last_run = box.locator(".last-run")
    await expect(last_run).to_contain_text("At the last tier run")
    await expect(last_run).to_contain_text("rank 2 of 2")  # below Larger Buyer
    await expect(last_run).to_contain_text("share 31.6%")  # 9,234.50 of 29,234.50
    await expect(last_run).to_contain_text("ranked above hold 68.4%")
    answer = await page.evaluate(
        f"() => window.CC.api('GET', '/api/v1/accounts/{harbour.id}/values?limit=1')"
    )
    bars = box.locator("svg.value-bars rect.value-bar")
    await expect(bars).to_have_count(len(answer["months"]))
    drawn = await bars.evaluate_all("(rects) => rects.filter((r) => r.getBBox().height > 0).length")
    assert drawn == 3  # three months with value; the others are empty bars, not holes
    label = await box.locator("svg.value-bars").get_attribute("aria-label")
    assert label and "highest 8,000.00" in label
    await box.get_by_text("Month by month").click()
    await expect(box.locator("table.value-months tbody tr")).to_have_count(len(answer["months"]))
    await assert_accessible(page)
    await shot(page, "value")
    assert_no_page_problems(page)
