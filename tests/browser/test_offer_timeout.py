"""An offer left to run out, in a real browser: the card goes, and the routing engine sets the
agent away for missed offers, which the presence switch shows at once. Offers here last 5 s
and one miss is enough (the module's own processes)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.async_api import expect

from tests.browser.browsing import assert_no_page_problems
from tests.browser.services import ServiceProcess
from tests.builders import unique_phone


@pytest.fixture(scope="module")
def service_env() -> dict[str, str]:
    return {"ROUTING_MESSAGING_OFFER_SECONDS": "5", "ROUTING_MISSED_OFFERS_AWAY": "1"}


async def test_a_missed_offer_sets_the_agent_away_and_the_switch_says_why(
    service: ServiceProcess, page_as: Any, signed_sms: Any
) -> None:
    page = await page_as("agent")
    await page.goto("/customers")  # any page: the switch and the card are on all of them
    await expect(page.locator("#live-status")).to_have_attribute("data-state", "live")
    await page.get_by_label("My status").select_option("available")
    await expect(page.locator("#presence")).to_have_attribute("data-state", "available")

    assert (
        await signed_sms(service, unique_phone(), "Could someone call me back today?")
    ).status == 200
    card = page.get_by_role("alertdialog")
    await expect(card).to_contain_text("New ticket")
    await expect(card).to_contain_text("Could someone call me back today?")
    await expect(card).to_be_hidden(timeout=15_000)
    await expect(page.locator("#presence")).to_have_attribute("data-state", "away")
    await expect(page.get_by_label("My status")).to_have_value("away")
    await expect(page.locator("#presence-note")).to_have_text("Missed offers")
    assert_no_page_problems(page)
