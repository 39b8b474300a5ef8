"""Care messages through the real worker: greetings of the day and a broadcast that survives a
worker restart without sending twice, delivered to the Twilio stand-in and the SMTP capture."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from typing import Any

import pytest

from contact_center import care
from contact_center.app import build_senders, close_senders
from contact_center.config import Settings
from contact_center.jobs import JobContext
from contact_center.jobs.worker import run_once, worker_running
from contact_center.timeutil import utc_now
from tests.builders import TEST_ACTOR, make_customer, make_organization
from tests.care.helpers import set_care
from tests.standins.smtp import SmtpCapture
from tests.standins.twilio_api import TwilioStandIn
from tests.workflows.e2e_helpers import eventually, rows, service_settings

pytestmark = pytest.mark.commits


@asynccontextmanager
async def worker(pool: Any, settings: Settings) -> AsyncIterator[JobContext]:
    senders = build_senders(settings, pool)
    context = JobContext(pool, settings, senders)
    try:
        async with worker_running(pool, context):
            yield context
    finally:
        await close_senders(senders)


async def test_greetings_leave_through_the_worker_by_sms_and_email(
    pool: Any, settings: Settings, twilio: TwilioStandIn, smtp: SmtpCapture
) -> None:
    await set_care(pool, send_hour=0, holiday_tags=[])
    today = utc_now().date()  # the site's zone is UTC in the suite
    born = date(1950, today.month, min(today.day, 28))
    if born.day != today.day:
        pytest.skip("a day past the 28th: covered by the pure tests")
    phone_person = await make_customer(pool, "陈静", birthday=born, language="zh-Hans")
    await make_customer(
        pool,
        "Mail Person",
        birthday=born,
        preferred_channel="email",
        emails=["mail.person@example.com"],
        language="en",
    )
    live = service_settings(settings, twilio, smtp)
    async with worker(pool, live) as context:
        assert await run_once(context, "care-greetings") == {
            "sent": 2,
            "skipped": 0,
            "no_sender": 0,
        }
        await eventually(
            lambda: asyncio.sleep(0, len(twilio.sent()) + len(smtp.messages)), lambda n: n == 2
        )
        assert await run_once(context, "care-greetings") == {
            "sent": 0,
            "skipped": 0,
            "no_sender": 0,
        }
    (sms,) = twilio.sent()
    assert sms["To"] == phone_person.phones[0] and "生日快乐" in sms["Body"]
    (mail,) = smtp.messages
    assert mail["To"] == "mail.person@example.com" and "Happy birthday" in mail.get_content()


async def test_a_broadcast_survives_a_worker_restart_without_duplicates(
    pool: Any, settings: Settings, twilio: TwilioStandIn, smtp: SmtpCapture
) -> None:
    await set_care(pool, rate_per_minute=2)
    org = await make_organization(
        pool, "Restart Trading", tier="A", is_key_account=True, route_territory="Restart"
    )
    for i in range(5):
        await make_customer(pool, f"Recipient {i}", organization_id=org.id)
    live = service_settings(settings, twilio, smtp)
    made = await care.start_broadcast(
        pool,
        TEST_ACTOR,
        name="Restart test",
        segment=care.Segment(territories=("Restart",)),
        body_en="Hello from the restart test",
        body_zh="",
        channel="sms",
        now=utc_now(),
    )

    def restart_sms() -> list[dict[str, Any]]:
        return [m for m in twilio.sent() if m["Body"] == "Hello from the restart test"]

    async with worker(pool, live):
        assert (
            len(await eventually(lambda: asyncio.sleep(0, restart_sms()), lambda s: len(s) == 2))
            == 2
        )
        await asyncio.sleep(0.5)
        assert len(restart_sms()) == 2  # the rate: the next batch is a minute away
    # The worker is gone (a restart). The clock moves on: each batch comes due at once.
    async with worker(pool, live):

        async def hurry() -> int:
            async with pool.acquire() as conn:
                await conn.execute(
                    "UPDATE broadcasts SET next_batch_at = now() WHERE id = $1", made.id
                )
                # The minute's messages are a minute old: the rate has room again.
                await conn.execute(
                    "UPDATE broadcast_recipients SET handled_at = handled_at - interval '1 min' "
                    "WHERE broadcast_id = $1 AND handled_at > now() - interval '1 min'",
                    made.id,
                )
                await conn.execute(
                    "UPDATE pgqueuer SET execute_after = now() WHERE entrypoint = 'broadcast-send'"
                )
            return len(restart_sms())

        await eventually(hurry, lambda n: n >= 5, seconds=20)
        await asyncio.sleep(1)
    sent = restart_sms()
    assert len(sent) == 5 and len({m["To"] for m in sent}) == 5
    done = await care.get_broadcast(pool, made.id)
    assert done.state is care.BroadcastState.DONE and done.figures["waiting"] == 0
    handled = await rows(
        pool,
        "SELECT count(*) AS n FROM broadcast_recipients "
        "WHERE broadcast_id = $1 AND outbound_id IS NOT NULL",
        made.id,
    )
    assert handled[0]["n"] == 5
