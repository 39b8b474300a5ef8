"""Routing in the console, in a real browser against real processes: an agent goes available,
a key-account customer calls (signed voice webhooks through the phone menu), the offer card
counts down, the agent accepts and the caller's ticket and card open at once; meanwhile a
supervisor's queues view on the second web process changes live. Plus the views' axe checks."""

from __future__ import annotations

import html
import re
import secrets
from typing import Any
from uuid import UUID

import asyncpg
import pytest_asyncio
from playwright.async_api import Page, expect

from contact_center import routing
from contact_center.routing.hours import ALWAYS
from contact_center.timeutil import utc_now
from tests.browser.browsing import StaffUser, assert_accessible, assert_no_page_problems
from tests.browser.services import VOICE_PATH, ServiceProcess, call_form, signed_post
from tests.builders import TEST_ACTOR, make_customer, unique_phone


@pytest_asyncio.fixture(scope="module", autouse=True)
async def queues_always_open(pool: asyncpg.Pool[Any]) -> None:
    """Calls wait in a queue only while it is open: these tests run at any hour."""
    for queue in await routing.list_queues(pool):
        await routing.update_queue(pool, TEST_ACTOR, queue.name, {"hours": ALWAYS}, now=utc_now())


async def place_call(service: ServiceProcess, caller: str, digit: str) -> str:
    """A call through the phone menu into a queue, as Twilio drives it: the inbound webhook,
    then the menu's Gather answered with `digit`. The call's sid."""
    sid = "CA" + secrets.token_hex(16)
    first = await signed_post(service, VOICE_PATH, call_form(sid, caller))
    assert first.status == 200, first.text
    action = re.search(r'<Gather[^>]* action="([^"]+)"', first.text)
    assert action, first.text
    path = html.unescape(action.group(1)).removeprefix(service.url)
    chosen = await signed_post(service, path, call_form(sid, caller, "in-progress", Digits=digit))
    assert chosen.status == 200, chosen.text
    assert "<Enqueue" in chosen.text, chosen.text
    return sid


async def go_available(page: Page) -> None:
    await page.goto("/")
    await expect(page.locator("#live-status")).to_have_attribute("data-state", "live")
    switch = page.get_by_label("My status")
    await expect(switch).to_be_visible()
    await switch.select_option("available")
    await expect(page.locator("#presence")).to_have_attribute("data-state", "available")


async def test_an_accepted_call_opens_the_callers_card_while_the_supervisor_watches(
    two_services: tuple[ServiceProcess, ServiceProcess],
    page_as: Any,
    pool: asyncpg.Pool[Any],
    agent: StaffUser,
    shot: Any,
) -> None:
    service, second = two_services
    phone = unique_phone()
    # The complaints queue asks for the skill (before its items widen to everyone).
    await routing.update_agent(
        pool, TEST_ACTOR, UUID(agent.id), {"skills": ["complaints"]}, now=utc_now()
    )
    await make_customer(pool, "Harbor Street Bakery", phones=[phone], tier="A", is_key_account=True)

    board = await page_as("supervisor", on=second)
    await board.goto("/supervisor")
    await expect(board.locator("#live-status")).to_have_attribute("data-state", "live")
    await expect(board.locator("#board-queues")).to_have_attribute("aria-busy", "false")
    agent_row = board.locator("#board-agents tr", has_text="Avery Lin")

    page = await page_as("agent")
    await go_available(page)
    await expect(agent_row).to_have_attribute("data-presence", "available")

    await place_call(service, phone, "1")  # 1: complaint
    card = page.get_by_role("alertdialog")
    await expect(card).to_be_visible()
    await expect(card).to_contain_text("Harbor Street Bakery")
    await expect(card).to_contain_text("Key account")
    await expect(card).to_contain_text("Phone call")
    left = card.locator("#offer-left")
    first = await left.inner_text()
    await expect(left).not_to_have_text(first, timeout=3000)  # it counts down
    await expect(board.locator("#board-items tr", has_text="Harbor Street Bakery")).to_be_visible()
    await shot(page, "offer")
    await shot(board, "board-offered")
    await assert_accessible(page)

    await page.keyboard.press("y")
    await page.wait_for_url(re.compile(r"/tickets/[0-9a-f-]+"))
    await expect(page.locator("#info-card")).to_contain_text("Harbor Street Bakery")
    # The worker put the caller through (the Twilio stand-in took the call's new TwiML).
    await expect(page.locator("#call-banner")).to_contain_text("Connected")
    await expect(page.locator("#timeline .item.call")).to_be_visible()
    await shot(page, "caller-ticket")
    await assert_accessible(page)

    await expect(board.locator("#board-items tr", has_text="Harbor Street Bakery")).to_have_count(0)
    await expect(agent_row.locator("td").nth(2)).to_have_text("1 / 1")  # a call against one
    await shot(board, "board-assigned")
    await assert_accessible(board)
    assert_no_page_problems(page)
    assert_no_page_problems(board)


async def test_a_supervisor_sets_an_agent_away_and_the_agents_switch_follows(
    service: ServiceProcess, page_as: Any
) -> None:
    agent = await page_as("second_agent")
    await go_available(agent)
    board = await page_as("supervisor")
    await board.goto("/supervisor")
    row = board.locator("#board-agents tr", has_text="Jordan Park")
    await expect(row).to_have_attribute("data-presence", "available")
    await row.get_by_role("combobox").select_option("away")
    await row.get_by_role("button", name="Set").click()
    await expect(row).to_have_attribute("data-presence", "away")
    await expect(agent.locator("#presence")).to_have_attribute("data-state", "away")
    await expect(agent.locator("#presence-note")).to_have_text("Set by a supervisor")
    assert_no_page_problems(agent)
    assert_no_page_problems(board)


async def test_an_agent_gets_the_refusal_page_for_the_queues_view(
    service: ServiceProcess, page_as: Any
) -> None:
    agent = await page_as("agent")
    answer = await agent.goto("/supervisor")
    assert answer is not None and answer.status == 403
    assert await agent.get_by_role("link", name="Queues and agents").count() == 0
    assert_no_page_problems(agent, allow=("403",))


async def test_the_queues_view_in_chinese_is_accessible(
    service: ServiceProcess, page_as: Any, shot: Any
) -> None:
    board = await page_as("admin", locale="zh-CN")
    await board.goto("/supervisor")
    await expect(board.get_by_role("heading", name="队列与坐席")).to_be_visible()
    await expect(board.locator("#board-queues")).to_have_attribute("aria-busy", "false")
    await shot(board, "board-zh")
    await assert_accessible(board)
    assert_no_page_problems(board)
