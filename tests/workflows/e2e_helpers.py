"""The running service for the complaint end-to-end tests: the web application on the
module's committed database, the job worker (acknowledgements, surveys, outbox delivery), the
routing runner and the timers loop, sending SMS to the Twilio stand-in and mail to the SMTP
capture; and the small waits and reads those tests share."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import datetime
from typing import Any, TypeVar
from uuid import UUID

from contact_center import routing, site
from contact_center.app import build_call_control, build_senders, close_senders
from contact_center.config import Secret, Settings
from contact_center.jobs import JobContext
from contact_center.jobs.worker import worker_running
from contact_center.routing.runner import options_from, routing_running
from contact_center.timeutil import utc_now
from contact_center.workflows.timers import timers_running
from tests.builders import TEST_ACTOR
from tests.standins.smtp import SmtpCapture
from tests.standins.twilio_api import ACCOUNT_SID, AUTH_TOKEN, TwilioStandIn

Pool = Any  # asyncpg.Pool[Any]: the module's committing pool
T = TypeVar("T")
WEEK = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ALWAYS = {day: [["00:00", "24:00"]] for day in WEEK}
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
    from datetime import timedelta

    return now - timedelta(**delta)
