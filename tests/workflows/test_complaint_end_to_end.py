"""Complaints end to end, with the service running as it does in production: the web
application, the job worker (thank-yous, surveys, outbox delivery to the Twilio stand-in and
the SMTP capture), the routing runner and the timers loop. Every entry point starts a case
(the IVR's complaint choice, mail to the complaints address through the inbound SMTP server,
an agent marking a ticket, the classifier on an SMS in English and in Chinese); a key
account's complaint goes through every step by the HTTP API to closed and its survey is
answered by SMS; a step deadline is breached and escalated once; a timer that fell due while
no loop ran fires once when two start; a customer's reply reopens a resolved complaint."""

from __future__ import annotations

import asyncio
import copy
import secrets
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
import pytest_asyncio
from aiohttp.test_utils import TestClient

from contact_center import tickets
from contact_center.config import Settings
from contact_center.timeutil import utc_now
from contact_center.users import Role
from tests.builders import make_customer, make_user, token_for, unique_phone
from tests.channels.voice_helpers import call_form, new_call_sid, only, post_voice
from tests.conftest import client_for
from tests.routing.helpers import make_agent
from tests.standins.smtp import SmtpCapture
from tests.standins.twilio_api import TwilioStandIn
from tests.workflows.e2e_helpers import (
    Pool,
    assert_escalated_once,
    background,
    case_row,
    complaint_mailed,
    eventually,
    inbound_smtp,
    mail_in,
    mail_to,
    move,
    open_all_hours,
    returning,
    rows,
    service_settings,
    sms_to,
    step_clock_events,
    take_offers_until_assigned,
    text_in,
    ticket_of_mail,
    ticket_of_phone,
)

pytestmark = pytest.mark.commits
Client = TestClient[Any, Any]
THANKS = "Thank you for telling us"


@pytest_asyncio.fixture(scope="module", autouse=True)
async def all_hours(pool: Pool) -> None:
    await open_all_hours(pool)


@pytest.fixture
def live(settings: Settings, twilio: TwilioStandIn, smtp: SmtpCapture) -> Settings:
    return service_settings(settings, twilio, smtp)


@pytest_asyncio.fixture
async def api(live: Settings, pool: Pool) -> AsyncIterator[Client]:
    async with client_for(live, pool) as client:
        yield client


async def test_a_key_accounts_sms_complaint_runs_through_every_step_to_an_answered_survey(
    api: Client, pool: Pool, live: Settings, twilio: TwilioStandIn
) -> None:
    # A messaging-only agent: the key account's callback (voice) waits for someone else.
    agent = await make_agent(pool, utc_now(), skills=["complaints"], voice_capacity=0)
    headers = await token_for(pool, agent)
    phone = unique_phone()
    await make_customer(pool, "Wen Example", phones=[phone], is_key_account=True)
    async with background(pool, live):
        await text_in(api, phone, "I want to file a complaint: my refund never arrived.")
        ticket_id = await ticket_of_phone(pool, phone)
        case = await case_row(pool, ticket_id)
        assert (case["source"], case["step"], case["key_account"]) == (
            "classifier",
            "acknowledged",
            True,
        )
        # Thanked within the wait, once: intake's acknowledgement is the complaint's thank-you.
        thanks = await eventually(lambda: returning(sms_to(twilio, phone)), bool)
        assert len(thanks) == 1
        callbacks = await rows(
            pool, "SELECT reason, due_at FROM callback_tasks WHERE ticket_id = $1", ticket_id
        )
        assert [c["reason"] for c in callbacks] == ["complaint"]
        assert callbacks[0]["due_at"] == case["opened_at"] + timedelta(hours=24)

        await take_offers_until_assigned(api, pool, headers, agent.id, ticket_id)
        await move(api, headers, ticket_id, "triaged", category="delivery")
        await move(api, headers, ticket_id, "investigating", facts="Refund of order 4471 stuck.")
        await move(api, headers, ticket_id, "resolved", resolution="Refund paid again.")
        reasons = await rows(
            pool, "SELECT reason FROM callback_tasks WHERE ticket_id = $1", ticket_id
        )
        assert sorted(r["reason"] for r in reasons) == ["complaint", "complaint_confirmation"]
        await move(api, headers, ticket_id, "callback_done", callback_outcome="Money arrived.")
        closed = await move(api, headers, ticket_id, "closed", root_cause="process_gap")
        assert closed["state"] == "closed"
        assert [s["state"] for s in closed["steps"]] == ["done"] * 7  # a closed case is done

        survey = await eventually(lambda: returning(sms_to(twilio, phone)), lambda m: len(m) >= 2)
        assert len(survey) == 2 and "Reply with a number from 1" in survey[1]
        await text_in(api, phone, "5")
        answered = await eventually(
            lambda: rows(pool, "SELECT * FROM surveys WHERE ticket_id = $1", ticket_id),
            lambda s: bool(s) and s[0]["score"] is not None,
        )
        assert (answered[0]["score"], answered[0]["answered_via"]) == (5, "sms")
    ticket, _ = await tickets.get_ticket(pool, ticket_id)
    assert ticket.status is tickets.Status.RESOLVED  # the score did not reopen it
    assert (await case_row(pool, ticket_id))["step"] == "closed"
    assert len(sms_to(twilio, phone)) == 2  # no thank-you for the score


async def test_the_ivr_complaint_choice_starts_a_case_thanked_by_sms(
    api: Client, pool: Pool, live: Settings, twilio: TwilioStandIn
) -> None:
    phone, sid = unique_phone(), new_call_sid()
    async with background(pool, live):
        greeting = await post_voice(api, "/webhooks/twilio/voice", call_form(sid, phone))
        action = only(greeting, "Gather").get("action") or ""
        queued = await post_voice(api, action, call_form(sid, phone, Digits="1"))
        assert only(queued, "Enqueue").text == "complaint"
        ticket_id = await ticket_of_phone(pool, phone)
        case = await case_row(pool, ticket_id)
        assert (case["source"], case["step"]) == ("ivr", "acknowledged")
        thanks = await eventually(lambda: returning(sms_to(twilio, phone)), bool)
    assert len(thanks) == 1 and THANKS in thanks[0]


async def test_mail_to_the_complaints_address_through_smtp_starts_a_case_thanked_once(
    pool: Pool, live: Settings, smtp: SmtpCapture
) -> None:
    writer = f"writer{secrets.token_hex(3)}@example.net"
    async with inbound_smtp(pool, live) as port, background(pool, live):
        await mail_in(port, writer, "complaints@example.com", "Broken kettle", "It leaks.")
        case = await case_row(pool, await ticket_of_mail(pool, writer))
        assert (case["source"], case["confidence"]) == ("address", 1.0)
        thanks = await eventually(lambda: returning(mail_to(smtp, writer)), bool)
        await asyncio.sleep(0.5)  # the worker has had its chance to thank twice
    assert len(mail_to(smtp, writer)) == 1
    assert thanks[0]["Auto-Submitted"] == "auto-replied"


async def test_an_agent_marking_a_ticket_as_complaint_starts_a_case_thanked_by_the_worker(
    api: Client, pool: Pool, live: Settings, twilio: TwilioStandIn
) -> None:
    headers = await token_for(pool, await make_user(pool, Role.AGENT))
    phone = unique_phone()
    async with background(pool, live):
        await text_in(api, phone, "Hello, where is my order 4471?")
        ticket_id = await ticket_of_phone(pool, phone)
        assert await rows(pool, "SELECT id FROM cases WHERE ticket_id = $1", ticket_id) == []
        marked = await api.patch(
            f"/api/v1/tickets/{ticket_id}", json={"kind": "complaint"}, headers=headers
        )
        assert marked.status == 200, await marked.text()
        case = await case_row(pool, ticket_id)
        assert (case["source"], case["step"]) == ("agent", "acknowledged")
        thanks = await eventually(
            lambda: returning([m for m in sms_to(twilio, phone) if THANKS in m]), bool
        )
    number = (await tickets.get_ticket(pool, ticket_id))[0].number
    assert thanks == [
        f"{THANKS}, and we are sorry for the trouble. Your complaint is ticket #{number}; "
        "we will look into it and get back to you."
    ]


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ("This is a complaint: you charged me twice and I want a refund.", "refund"),
        ("我要投诉，快递三天了还没到，太失望了", "投诉"),
    ],
)
async def test_complaint_words_in_an_sms_start_a_case_by_the_classifier(
    api: Client, pool: Pool, live: Settings, twilio: TwilioStandIn, text: str, matched: str
) -> None:
    phone = unique_phone()
    async with background(pool, live):
        await text_in(api, phone, text)
        ticket_id = await ticket_of_phone(pool, phone)
        case = await case_row(pool, ticket_id)
        assert case["source"] == "classifier" and case["step"] == "acknowledged"
        assert case["confidence"] >= 0.5 and matched in case["matched"]
        thanks = await eventually(lambda: returning(sms_to(twilio, phone)), bool)
        await asyncio.sleep(0.5)
    assert len(sms_to(twilio, phone)) == len(thanks) == 1


@pytest_asyncio.fixture
async def short_acknowledgement(api: Client, pool: Pool) -> AsyncIterator[None]:
    """The complaint workflow with one minute (wall clock) to leave Acknowledged, edited by a
    supervisor through the API; the shipped deadlines again afterwards."""
    headers = await token_for(pool, await make_user(pool, Role.SUPERVISOR))
    current = await (await api.get("/api/v1/workflows/complaint", headers=headers)).json()
    shipped = current["definition"]
    short = copy.deepcopy(shipped)
    minute = {"within": "1m", "clock": "wall"}
    short["steps"][1]["deadline"] = {"default": minute, "key_account": minute}
    saved = await api.put(
        "/api/v1/workflows/complaint",
        json={"version": current["version"], "definition": short},
        headers=headers,
    )
    assert saved.status == 200, await saved.text()
    yield
    version = (await saved.json())["version"]
    back = await api.put(
        "/api/v1/workflows/complaint",
        json={"version": version, "definition": shipped},
        headers=headers,
    )
    assert back.status == 200, await back.text()


async def test_a_step_deadline_passing_is_breached_and_escalated_once(
    pool: Pool, live: Settings, short_acknowledgement: None
) -> None:
    async with background(pool, live):
        # One minute to leave Acknowledged, 57 s of it gone: due while the loop runs.
        ticket_id = await complaint_mailed(pool, seconds_ago=57)
        before = (await tickets.get_ticket(pool, ticket_id))[0].priority
        assert await step_clock_events(pool, ticket_id, "breached") == []
        await eventually(lambda: step_clock_events(pool, ticket_id, "breached"), bool)
        await asyncio.sleep(1.0)  # later rounds fire nothing more
    await assert_escalated_once(pool, ticket_id, before)


async def test_a_timer_due_while_no_loop_ran_fires_once_when_two_loops_start(
    pool: Pool, live: Settings, short_acknowledgement: None
) -> None:
    async with background(pool, live):
        await asyncio.sleep(0.2)
    # Everything stopped: the step falls due (one second from now) with no loop to see it.
    ticket_id = await complaint_mailed(pool, seconds_ago=59)
    before = (await tickets.get_ticket(pool, ticket_id))[0].priority
    await asyncio.sleep(1.5)
    assert await step_clock_events(pool, ticket_id, "breached") == []
    async with background(pool, live, timers=2):
        await eventually(lambda: step_clock_events(pool, ticket_id, "breached"), bool)
        await asyncio.sleep(1.0)
    await assert_escalated_once(pool, ticket_id, before)


async def test_a_customer_reply_reopens_a_resolved_complaint_and_its_clocks_run_again(
    api: Client, pool: Pool, live: Settings, smtp: SmtpCapture
) -> None:
    agent = await make_user(pool, Role.AGENT)
    headers = await token_for(pool, agent)
    writer = f"writer{secrets.token_hex(3)}@example.net"
    async with inbound_smtp(pool, live) as port, background(pool, live):
        await mail_in(port, writer, "complaints@example.com", "Blender", "It is broken.")
        ticket_id = await ticket_of_mail(pool, writer)
        assigned = await api.patch(
            f"/api/v1/tickets/{ticket_id}", json={"assignee_id": str(agent.id)}, headers=headers
        )
        assert assigned.status == 200
        await move(api, headers, ticket_id, "triaged", category="product_quality")
        await move(api, headers, ticket_id, "investigating", facts="Motor dead on arrival.")
        await move(api, headers, ticket_id, "resolved", resolution="A new blender is sent.")
        done = await api.patch(
            f"/api/v1/tickets/{ticket_id}", json={"status": "resolved"}, headers=headers
        )
        assert done.status == 200
        thanks = await eventually(lambda: returning(mail_to(smtp, writer)), bool)
        subject = str(thanks[0]["Subject"])  # "Your complaint [#1234]": the reply names it
        await mail_in(port, writer, "complaints@example.com", f"Re: {subject}", "Broken too!")
        case = await eventually(
            lambda: case_row(pool, ticket_id), lambda c: c["step"] == "investigating"
        )
    assert case["state"] == "open"
    ticket, _ = await tickets.get_ticket(pool, ticket_id)
    assert ticket.status is tickets.Status.OPEN
    clocks = await rows(
        pool, "SELECT kind, step, state FROM clocks WHERE ticket_id = $1 ORDER BY id", ticket_id
    )
    running = [(c["kind"], c["step"]) for c in clocks if c["state"] == "running"]
    assert ("step", "investigating") in running and ("resolution", None) in running
    assert [c["state"] for c in clocks if c["kind"] == "resolution"] == ["met", "running"]
    assert [c["state"] for c in clocks if c["step"] == "resolved"] == ["met"]
    history = await rows(
        pool,
        "SELECT step, note FROM case_steps WHERE case_id = $1 ORDER BY entered_at, id",
        case["id"],
    )
    assert history[-1]["step"] == "investigating" and "customer wrote" in history[-1]["note"]


async def test_a_customer_texting_a_complaint_waiting_on_them_resumes_its_clocks(
    api: Client, pool: Pool, live: Settings
) -> None:
    agent = await make_user(pool, Role.AGENT)
    headers = await token_for(pool, agent)
    phone = unique_phone()
    async with background(pool, live):
        await text_in(api, phone, "I want to complain: the blender you sent is broken.")
        ticket_id = await ticket_of_phone(pool, phone)
        changes = {"assignee_id": str(agent.id), "status": "pending"}
        waiting = await api.patch(f"/api/v1/tickets/{ticket_id}", json=changes, headers=headers)
        assert waiting.status == 200
        paused = await rows(pool, "SELECT state FROM clocks WHERE ticket_id = $1", ticket_id)
        assert "running" not in {c["state"] for c in paused}
        await text_in(api, phone, "Here is the photo of the broken motor.")
        await eventually(
            lambda: rows(
                pool, "SELECT 1 FROM clocks WHERE ticket_id = $1 AND state = 'running'", ticket_id
            ),
            bool,
        )
    clocks = await rows(
        pool, "SELECT kind, step, state FROM clocks WHERE ticket_id = $1", ticket_id
    )
    assert ("step", "acknowledged", "running") in [
        (c["kind"], c["step"], c["state"]) for c in clocks
    ]
    assert (await case_row(pool, ticket_id))["step"] == "acknowledged"  # it just goes on
