"""Fixtures for delivery tests: the Twilio REST stand-in, a real SMTP server, senders pointed at
them, and small readers of the outbox rows."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from typing import Any
from uuid import UUID

import pytest
import pytest_asyncio

from channels.email_outbound import SmtpSender
from channels.twilio_sms import TwilioSmsSender
from contact_center import outbox, tickets
from contact_center.config import Secret, Settings
from contact_center.outbox import OutboundChannel
from contact_center.timeutil import utc_now
from tests.conftest import SingleConnectionPool
from tests.standins.smtp import SmtpCapture
from tests.standins.twilio_api import ACCOUNT_SID, AUTH_TOKEN, TwilioStandIn


@pytest.fixture
def live_settings(settings: Settings, twilio: TwilioStandIn, smtp: SmtpCapture) -> Settings:
    return dataclasses.replace(
        settings,
        twilio_account_sid=ACCOUNT_SID,
        twilio_auth_token=Secret(AUTH_TOKEN),
        twilio_api_base=twilio.base_url,
        twilio_from_number="+12025550100",
        smtp_host="127.0.0.1",
        smtp_port=smtp.port,
        mail_domain="example.com",
    )


@pytest_asyncio.fixture
async def senders(live_settings: Settings) -> AsyncIterator[outbox.Senders]:
    sms = TwilioSmsSender(live_settings, timeout=1)
    yield {OutboundChannel.SMS: sms, OutboundChannel.EMAIL: SmtpSender(live_settings, timeout=5)}
    await sms.close()


async def acknowledged(
    db: SingleConnectionPool, settings: Settings, contact: Any
) -> tuple[Any, UUID]:
    """Run intake with acknowledgements on; returns the result and the ack's outbox id."""
    options = dataclasses.replace(tickets.intake_options(settings), acknowledge=True)
    result = await tickets.intake(db, contact, now=utc_now(), options=options)
    async with db.acquire() as conn:
        outbound_id = await conn.fetchval(
            "SELECT id FROM outbound_messages WHERE ticket_id = $1", result.ticket_id
        )
    return result, outbound_id


async def state(db: SingleConnectionPool, outbound_id: UUID) -> Any:
    async with db.acquire() as conn:
        return await conn.fetchrow("SELECT * FROM outbound_messages WHERE id = $1", outbound_id)


async def notes(db: SingleConnectionPool, ticket_id: UUID) -> list[str]:
    async with db.acquire() as conn:
        rows = await conn.fetch(
            "SELECT body_text FROM messages WHERE ticket_id = $1 AND direction = 'internal'",
            ticket_id,
        )
    return [r["body_text"] for r in rows]
