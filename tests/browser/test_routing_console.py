"""Routing in the console, in a real browser against real processes: an agent goes available,
a key-account customer calls (signed voice webhooks through the phone menu), the offer card
counts down, the agent accepts and the caller's ticket and card open at once; meanwhile a
supervisor's queues view on the second web process changes live. Plus the views' axe checks."""

from __future__ import annotations

import html
import re
import secrets
from datetime import timedelta
from typing import Any
from uuid import UUID

import asyncpg
import pytest_asyncio
from playwright.async_api import Page, expect

from contact_center import calls, routing
from contact_center.calls import CallbackReason
from contact_center.routing.hours import ALWAYS
from contact_center.timeutil import utc_now
from tests.browser.browsing import StaffUser, assert_accessible, assert_no_page_problems
from tests.browser.services import VOICE_PATH, ServiceProcess, call_form, signed_post
from tests.builders import TEST_ACTOR, make_customer, unique_phone
from tests.standins.twilio_api import ACCOUNT_SID


@pytest_asyncio.fixture(scope="module", autouse=True)
async def queues_always_open(pool: asyncpg.Pool[Any]) -> None:
    """Calls wait in a queue only while it is open: these tests run at any hour."""
    for queue in await routing.list_queues(pool):
        await routing.update_queue(pool, TEST_ACTOR, queue.name, {"hours": ALWAYS}, now=utc_now())


def _url(twiml: str, tag: str, attribute: str, service: ServiceProcess) -> str:
    """A callback URL from TwiML, as a path on `service`."""
    found = re.search(rf'<{tag}[^>]* {attribute}="([^"]+)"', twiml)
    assert found, twiml
    return html.unescape(found.group(1)).removeprefix(service.url)


async def choose(service: ServiceProcess, caller: str, digit: str) -> tuple[str, str]:
    """A call through the phone menu, as Twilio drives it: the inbound webhook, then the
    menu's Gather answered with `digit`. The call's sid and the TwiML of what comes next."""
    sid = "CA" + secrets.token_hex(16)
    first = await signed_post(service, VOICE_PATH, call_form(sid, caller))
    assert first.status == 200, first.text
    path = _url(first.text, "Gather", "action", service)
    chosen = await signed_post(service, path, call_form(sid, caller, "in-progress", Digits=digit))
    assert chosen.status == 200, chosen.text
    return sid, chosen.text


async def place_call(service: ServiceProcess, caller: str, digit: str) -> str:
    """A call into a queue, waiting there; its sid."""
    sid, twiml = await choose(service, caller, digit)
    assert "<Enqueue" in twiml, twiml
    return sid


async def hang_up(service: ServiceProcess, sid: str, caller: str) -> None:
    form = call_form(sid, caller, "completed", CallDuration="30")
    assert (await signed_post(service, VOICE_PATH + "/status", form)).status == 204


async def leave_voicemail(service: ServiceProcess, caller: str, text: str) -> None:
    """Out of hours: the menu, then a recording and its transcription, as Twilio posts them."""
    sid, twiml = await choose(service, caller, "2")
    assert "<Record" in twiml, twiml
    recording = "RE" + secrets.token_hex(16)
    url = f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT_SID}/Recordings/{recording}"
    recorded = call_form(
        sid, caller, "in-progress", RecordingSid=recording, RecordingUrl=url, RecordingDuration="9"
    )
    answer = await signed_post(service, _url(twiml, "Record", "action", service), recorded)
    assert answer.status == 200, answer.text
    transcribed = call_form(
        sid,
        caller,
        "completed",
        RecordingSid=recording,
        TranscriptionText=text,
        TranscriptionStatus="completed",
    )
    path = _url(twiml, "Record", "transcribeCallback", service)
    assert (await signed_post(service, path, transcribed)).status == 204
    await hang_up(service, sid, caller)


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
    # The call's row: the key account's complaint also waits as its callback task.
    call_row = board.locator("#board-items tr", has_text="Harbor Street Bakery").filter(
        has_text="Phone call"
    )

    page = await page_as("agent")
    await go_available(page)
    await expect(agent_row).to_have_attribute("data-presence", "available")

    sid = await place_call(service, phone, "1")  # 1: complaint
    card = page.get_by_role("alertdialog")
    await expect(card).to_be_visible()
    await expect(card).to_contain_text("Harbor Street Bakery")
    await expect(card).to_contain_text("Key account")
    await expect(card).to_contain_text("Phone call")
    left = card.locator("#offer-left")
    first = await left.inner_text()
    await expect(left).not_to_have_text(first, timeout=3000)  # it counts down
    await expect(call_row).to_be_visible()
    await shot(page, "offer")
    await shot(board, "board-offered")
    await assert_accessible(page)

    await page.keyboard.press("y")
    await page.wait_for_url(re.compile(r"/tickets/[0-9a-f-]+"))
    await expect(page.locator("#info-card")).to_contain_text("Harbor Street Bakery")
    # The worker put the caller through (the Twilio stand-in took the call's new TwiML): the
    # agent's phone rings; connected once its leg reports the answer.
    await expect(page.locator("#call-banner")).to_contain_text("being put through")
    call_id = await pool.fetchval("SELECT id FROM calls WHERE call_sid = $1", sid)
    await expect(page.locator("#timeline .item.call")).to_contain_text("Putting through")
    leg = call_form("CA" + secrets.token_hex(16), phone, "in-progress", ParentCallSid=sid)
    answered = await signed_post(service, f"{VOICE_PATH}/leg?call={call_id}", leg)
    assert answered.status == 204, answered.text
    await expect(page.locator("#call-banner")).to_contain_text("Connected")
    await expect(page.locator("#timeline .item.call")).to_be_visible()
    await shot(page, "caller-ticket")
    await assert_accessible(page)

    await expect(call_row).to_have_count(0)
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
    await agent.locator("main").focus()
    await agent.keyboard.press("?")  # the offer's keys are on the help sheet
    await expect(agent.locator("#page-shortcuts")).to_contain_text("Accept the offered work")
    await expect(agent.locator("#page-shortcuts")).to_contain_text("Reject the offered work")
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


async def test_hang_ups_and_voicemails_become_callbacks_and_calls_on_the_timeline(
    service: ServiceProcess, page_as: Any, pool: asyncpg.Pool[Any], shot: Any
) -> None:
    waiting, recorder = unique_phone(), unique_phone()
    await make_customer(pool, "Lin Family Grocers", phones=[waiting])
    await make_customer(pool, "Oakley Tea House", phones=[recorder])
    board = await page_as("supervisor")
    await board.goto("/supervisor")
    general = board.locator('[data-queue="general"]')
    await expect(general.locator('[data-figure="abandoned"]')).to_have_text("0")
    sid = await place_call(service, waiting, "3")  # other: the general queue, nobody free
    await expect(general.locator('[data-figure="waiting"]')).to_have_text("1")
    await hang_up(service, sid, waiting)
    await expect(general.locator('[data-figure="abandoned"]')).to_have_text("1")
    await expect(general.locator('[data-figure="service-level"]')).to_have_text("0 %")
    await routing.update_queue(pool, TEST_ACTOR, "order", {"hours": {}}, now=utc_now())
    try:
        await leave_voicemail(service, recorder, "Please call me about the late delivery")
    finally:
        await routing.update_queue(pool, TEST_ACTOR, "order", {"hours": ALWAYS}, now=utc_now())
    # One more, asked for by hand and already late.
    hung_up = next(t for t in await calls.list_callbacks(pool) if t.phone == waiting)
    await calls.create_callback(
        pool,
        TEST_ACTOR,
        ticket_id=hung_up.ticket_id,
        due_at=utc_now() - timedelta(minutes=30),
        reason=CallbackReason.MANUAL,
        phone=None,
        region="US",
        now=utc_now(),
    )

    page = await page_as("second_agent")
    await page.goto("/")
    box = page.locator("#callbacks")
    late = box.locator("li.overdue", has_text="Lin Family Grocers")
    await expect(late).to_contain_text("Asked for a call back")
    await expect(late).to_contain_text("overdue")
    await expect(box.locator("li", has_text="Hung up while waiting")).to_contain_text("due in")
    voicemail = box.locator("li", has_text="Oakley Tea House")
    await expect(voicemail).to_contain_text("Voicemail")
    await shot(page, "callbacks")
    await assert_accessible(page)

    await late.get_by_label("Outcome for Lin Family Grocers").select_option("no_answer")
    await late.get_by_role("button", name="Done").click()
    await expect(box.locator("li.overdue")).to_have_count(0)
    await voicemail.get_by_role("button", name="Call now").click()
    await expect(page.locator("#callbacks-status")).to_contain_text("Call to Oakley Tea House")

    await voicemail.locator("a").click()
    await expect(page.locator("#timeline .item.call")).to_have_count(2)  # and the call back
    call = page.locator("#timeline .item.call", has_text="Phone call · received")
    await expect(call).to_contain_text("Voicemail")
    await expect(call).to_contain_text("Please call me about the late delivery")
    source = await call.locator("audio[controls]").get_attribute("src")
    assert (
        source is not None
        and source.startswith("https://api.twilio.com/")
        and source.endswith(".mp3")
    )
    await shot(page, "voicemail")
    await assert_accessible(page)
    assert_no_page_problems(page)
