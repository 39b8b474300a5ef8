"""The running service for the complaint end-to-end tests: the web application on the
module's committed database, the job worker (acknowledgements, surveys, outbox delivery), the
routing runner and the timers loop, sending SMS to the Twilio stand-in and mail to the SMTP
capture; and the small waits and reads those tests share."""

from __future__ import annotations

import asyncio
import dataclasses
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any, TypeVar
from uuid import UUID

import aiosmtplib
from aiohttp.test_utils import TestClient

from contact_center import routing, site, tickets
from contact_center.app import (
    build_call_control,
    build_senders,
    close_senders,
    create_smtp_server,
)
from contact_center.config import Secret, Settings
from contact_center.jobs import JobContext
from contact_center.jobs.worker import worker_running
from contact_center.routing.runner import options_from, routing_running
from contact_center.timeutil import utc_now
from contact_center.workflows.timers import timers_running
from contact_center.worktime import ALWAYS
from tests.builders import TEST_ACTOR
from tests.standins.smtp import SmtpCapture
from tests.standins.twilio_api import ACCOUNT_SID, AUTH_TOKEN, TwilioStandIn
from tests.twilio_signing import load_payload, post_twilio
from tests.workflows.helpers import complaint_by_mail

Pool = Any  # asyncpg.Pool[Any]: the module's committing pool
Client = TestClient[Any, Any]
T = TypeVar("T")
SERVICE_NUMBER = "+12025550100"


def service_settings(settings: Settings, twilio: TwilioStandIn, smtp: SmtpCapture) -> Settings:
    return dataclasses.replace(
        settings,
        twilio_account_sid=ACCOUNT_SID,
        twilio_auth_token=Secret(AUTH_TOKEN),
        twilio_api_base=twilio.base_url,
        twilio_from_number=SERVICE_NUMBER,
        smtp_host="127.0.0.1",
        smtp_port=smtp.port,
    )


@asynccontextmanager
async def background(
    pool: Pool, settings: Settings, *, timers: int = 1, longest_sleep: float = 0.2
) -> AsyncIterator[None]:
    """Worker, routing runner and `timers` timers loops, as `contact-center serve` runs them."""
    senders = build_senders(settings, pool)
    control = build_call_control(settings)
    try:
        async with AsyncExitStack() as stack:
            context = JobContext(pool, settings, senders, control)
            await stack.enter_async_context(worker_running(pool, context))
            await stack.enter_async_context(routing_running(pool, options_from(settings), tick=0.2))
            for _ in range(timers):
                await stack.enter_async_context(timers_running(pool, longest_sleep=longest_sleep))
            yield
    finally:
        await close_senders(senders)
        close = getattr(control, "close", None)
        if close is not None:
            await close()


async def open_all_hours(pool: Pool) -> None:
    """The site and every queue open around the clock, no public holidays: business time is
    wall time, whatever day the suite runs on."""
    now = utc_now()
    for name in ("general", "complaint", "order"):
        await routing.update_queue(pool, TEST_ACTOR, name, {"hours": ALWAYS}, now=now)
    async with pool.acquire() as conn:
        versions = (await site.load(conn)).versions
    for key, value in (
        (site.SettingKey.BUSINESS_HOURS, ALWAYS),
        (site.SettingKey.HOLIDAYS, {"country": None, "subdivision": None}),
    ):
        await site.update_setting(pool, TEST_ACTOR, key, value, version=versions[key], now=now)


async def eventually(
    read: Callable[[], Awaitable[T]], ok: Callable[[T], bool], *, seconds: float = 10
) -> T:
    """Read until `ok` holds (the worker and loops run beside the test), else the last read."""
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        found = await read()
        if ok(found) or asyncio.get_running_loop().time() > deadline:
            return found
        await asyncio.sleep(0.05)


async def rows(pool: Pool, sql: str, *args: Any) -> list[dict[str, Any]]:
    async with pool.acquire() as conn:
        return [dict(r) for r in await conn.fetch(sql, *args)]


async def case_row(pool: Pool, ticket_id: UUID) -> dict[str, Any]:
    found = await rows(
        pool, "SELECT * FROM cases WHERE ticket_id = $1 AND state <> 'withdrawn'", ticket_id
    )
    assert len(found) == 1, found
    return found[0]


async def step_clock_events(pool: Pool, ticket_id: UUID, event: str) -> list[dict[str, Any]]:
    return await rows(
        pool,
        """SELECT c.step, e.event, e.at FROM clock_events e JOIN clocks c ON c.id = e.clock_id
        WHERE c.ticket_id = $1 AND c.kind = 'step' AND e.event = $2 ORDER BY e.at""",
        ticket_id,
        event,
    )


async def live_events(pool: Pool, ticket_id: UUID, name: str) -> list[dict[str, Any]]:
    found = await rows(
        pool, "SELECT payload FROM events WHERE ticket_id = $1 AND name = $2", ticket_id, name
    )
    return [r["payload"] for r in found]


def sms_to(twilio: TwilioStandIn, phone: str) -> list[str]:
    return [str(m["Body"]) for m in twilio.sent() if m.get("To") == phone]


def mail_to(smtp: SmtpCapture, address: str) -> list[Any]:
    return [m for m in smtp.messages if address in str(m["To"])]


def past(now: datetime, **delta: float) -> datetime:
    return now - timedelta(**delta)


async def text_in(api: Client, phone: str, body: str) -> None:
    """The customer's SMS, posted to the webhook signed as Twilio signs it."""
    sid = "SM" + secrets.token_hex(16)
    form = load_payload(
        "sms_inbound_basic", From=phone, Body=body, MessageSid=sid, SmsSid=sid, SmsMessageSid=sid
    )
    answer = await post_twilio(api, "/webhooks/twilio/sms", form, token=AUTH_TOKEN)
    assert answer.status == 200, await answer.text()


async def ticket_of_phone(pool: Pool, phone: str) -> UUID:
    found = await eventually(
        lambda: rows(
            pool,
            """SELECT t.id FROM tickets t
            JOIN customer_identities i ON i.customer_id = t.customer_id
            WHERE i.kind = 'phone' AND i.value = $1 ORDER BY t.created_at DESC""",
            phone,
        ),
        bool,
    )
    return UUID(str(found[0]["id"]))


async def move(
    api: Client, headers: dict[str, str], ticket_id: UUID, to: str, **fields: str
) -> Any:
    answer = await api.post(
        f"/api/v1/tickets/{ticket_id}/case/moves",
        json={"to": to, "fields": fields},
        headers=headers,
    )
    assert answer.status == 200, await answer.text()
    case = (await answer.json())["case"]
    assert case["step"] == to
    return case


async def take_offers_until_assigned(
    api: Client, pool: Pool, headers: dict[str, str], agent_id: UUID, ticket_id: UUID
) -> None:
    """The agent accepts what routing offers them until the complaint is theirs."""

    async def assigned() -> bool:
        ticket, _ = await tickets.get_ticket(pool, ticket_id)
        if ticket.assignee_id == agent_id:
            return True
        offer = (await (await api.get("/api/v1/offers/mine", headers=headers)).json())["offer"]
        if offer is not None:
            taken = await api.post(f"/api/v1/offers/{offer['id']}/accept", headers=headers)
            assert taken.status == 200, await taken.text()
        return False

    assert await eventually(assigned, bool, seconds=15), "routing never gave the agent the ticket"


async def returning(value: Any) -> Any:
    """`value` as a read for `eventually` (what the stand-ins captured is a plain list)."""
    return value


@asynccontextmanager
async def inbound_smtp(pool: Pool, live: Settings) -> AsyncIterator[int]:
    """The service's inbound mail server on a free port."""
    server = await create_smtp_server(dataclasses.replace(live, inbound_smtp_port=0), pool)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        server.close()
        await server.wait_closed()


async def mail_in(port: int, writer: str, to: str, subject: str, text: str) -> None:
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = writer, to, subject
    mail.set_content(text)
    await aiosmtplib.send(mail, hostname="127.0.0.1", port=port)


async def ticket_of_mail(pool: Pool, writer: str) -> UUID:
    found = await eventually(
        lambda: rows(
            pool,
            """SELECT t.id FROM tickets t
            JOIN customer_identities i ON i.customer_id = t.customer_id
            WHERE i.kind = 'email' AND i.value = $1""",
            writer,
        ),
        bool,
    )
    return UUID(str(found[0]["id"]))


async def complaint_mailed(pool: Pool, *, seconds_ago: float) -> UUID:
    """A complaint mailed to the complaints address `seconds_ago` (intake told the time)."""
    return await complaint_by_mail(pool, past(utc_now(), seconds=seconds_ago), text="It leaks.")


async def assert_escalated_once(pool: Pool, ticket_id: UUID, before: tickets.Priority) -> None:
    breached = await step_clock_events(pool, ticket_id, "breached")
    assert [b["step"] for b in breached] == ["acknowledged"]
    warned = await step_clock_events(pool, ticket_id, "warned")
    assert [w["step"] for w in warned] == ["acknowledged"]
    assert warned[0]["at"] <= breached[0]["at"]
    events = await live_events(pool, ticket_id, "deadline.breached")
    assert [(e["step"], e["escalate_to"]) for e in events] == [("acknowledged", "supervisors")]
    ticket, messages = await tickets.get_ticket(pool, ticket_id)
    assert ticket.priority is tickets.Priority.URGENT and before is tickets.Priority.HIGH
    notes = [m.body_text for m in messages if m.body_text.startswith("Deadline missed")]
    assert len(notes) == 1 and notes[0].startswith("Deadline missed: Step: Acknowledged was due")
    audit = await rows(
        pool,
        """SELECT a.action FROM audit_log a JOIN clocks c ON a.entity_id = c.id::text
        WHERE a.entity = 'clock' AND c.ticket_id = $1 AND c.kind = 'step'""",
        ticket_id,
    )
    assert sorted(a["action"] for a in audit) == ["breached", "warned"]
