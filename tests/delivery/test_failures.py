"""Every exception from a sender is classified at once: nothing is left in `sending` for the
crash sweep, refusals fail with a note, and surprises are logged with their traceback."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

import pytest

from contact_center import delivery, outbox
from contact_center.config import Settings
from contact_center.outbox import (
    OutboundChannel,
    OutboundMessage,
    OutboundStatus,
    ProviderReceipt,
    policy,
)
from contact_center.timeutil import utc_now
from tests.builders import make_inbound_email, make_inbound_sms
from tests.conftest import SingleConnectionPool
from tests.delivery.conftest import acknowledged, notes, state
from tests.standins.smtp import SmtpCapture
from tests.standins.twilio_api import TwilioStandIn


@dataclass
class FaultySender:
    """A provider sender with a bug: it raises something that is not a SendError."""

    channel: OutboundChannel
    error: Exception

    async def send(self, message: OutboundMessage) -> ProviderReceipt:
        raise self.error


@pytest.mark.parametrize("error", [ValueError("bad value"), KeyError("sid"), RuntimeError("x")])
async def test_an_unexpected_error_sending_email_is_retried_with_backoff(
    db: SingleConnectionPool,
    live_settings: Settings,
    caplog: pytest.LogCaptureFixture,
    error: Exception,
) -> None:
    _result, outbound_id = await acknowledged(db, live_settings, make_inbound_email())
    senders: outbox.Senders = {OutboundChannel.EMAIL: FaultySender(OutboundChannel.EMAIL, error)}
    now = utc_now()
    with caplog.at_level(logging.WARNING):
        status = await delivery.deliver_one(db, senders, outbound_id, now=now)
    assert status is OutboundStatus.PENDING
    row = await state(db, outbound_id)
    assert row["status"] == "pending" and row["attempts"] == 1
    assert row["next_attempt_at"] >= now + policy.BACKOFF_BASE
    assert type(error).__name__ in row["last_error"] and row["error_code"] == "unexpected"
    assert any(r.exc_info and r.exc_info[1] is error for r in caplog.records)  # the traceback


async def test_an_unexpected_error_sending_email_ends_dead_with_a_note(
    db: SingleConnectionPool, live_settings: Settings
) -> None:
    result, outbound_id = await acknowledged(db, live_settings, make_inbound_email())
    senders: outbox.Senders = {
        OutboundChannel.EMAIL: FaultySender(OutboundChannel.EMAIL, KeyError("x"))
    }
    now = utc_now()
    outcomes = [
        await delivery.deliver_one(db, senders, outbound_id, now=now + timedelta(days=n))
        for n in range(policy.MAX_ATTEMPTS)
    ]
    assert outcomes[-1] is OutboundStatus.DEAD
    assert any("KeyError" in n for n in await notes(db, result.ticket_id))


@pytest.mark.parametrize("error", [ValueError("bad value"), KeyError("sid"), TypeError("x")])
async def test_an_unexpected_error_sending_sms_goes_to_review_never_resent(
    db: SingleConnectionPool,
    live_settings: Settings,
    caplog: pytest.LogCaptureFixture,
    error: Exception,
) -> None:
    result, outbound_id = await acknowledged(db, live_settings, make_inbound_sms())
    senders: outbox.Senders = {OutboundChannel.SMS: FaultySender(OutboundChannel.SMS, error)}
    with caplog.at_level(logging.WARNING):
        status = await delivery.deliver_one(db, senders, outbound_id, now=utc_now())
    assert status is OutboundStatus.NEEDS_REVIEW
    assert (await state(db, outbound_id))["status"] == "needs_review"
    assert any("may or may not have been sent" in n for n in await notes(db, result.ticket_id))
    assert any(r.exc_info and r.exc_info[1] is error for r in caplog.records)
    later = utc_now() + timedelta(days=1)
    assert await delivery.deliver_one(db, senders, outbound_id, now=later) is None


async def test_a_garbled_answer_from_twilio_goes_to_review(
    db: SingleConnectionPool,
    live_settings: Settings,
    senders: outbox.Senders,
    twilio: TwilioStandIn,
) -> None:
    """The real twilio client raises a ValueError on a body that is not JSON."""
    _result, outbound_id = await acknowledged(db, live_settings, make_inbound_sms())
    async with db.acquire() as conn:
        await conn.execute(
            "UPDATE outbound_messages SET body_text = '__garbled__' WHERE id = $1", outbound_id
        )
    status = await delivery.deliver_one(db, senders, outbound_id, now=utc_now())
    assert status is OutboundStatus.NEEDS_REVIEW and len(twilio.requests) == 1


@pytest.mark.parametrize(
    "address", ["@example.com", "big bug bb@bug.example", "a@example.com b@example.com"]
)
async def test_an_address_the_mailer_cannot_send_to_fails_with_a_note(
    db: SingleConnectionPool,
    live_settings: Settings,
    senders: outbox.Senders,
    smtp: SmtpCapture,
    address: str,
) -> None:
    result, outbound_id = await acknowledged(db, live_settings, make_inbound_email())
    async with db.acquire() as conn:
        await conn.execute(
            "UPDATE outbound_messages SET to_address = $2 WHERE id = $1", outbound_id, address
        )
    status = await delivery.deliver_one(db, senders, outbound_id, now=utc_now())
    assert status is OutboundStatus.FAILED
    row = await state(db, outbound_id)
    assert "not a valid email address" in row["last_error"] and row["error_code"] == "address"
    assert any("not a valid email address" in n for n in await notes(db, result.ticket_id))
    assert smtp.messages == []


async def test_a_permanent_refusal_after_the_data_fails_with_a_note_and_a_warning(
    db: SingleConnectionPool,
    live_settings: Settings,
    senders: outbox.Senders,
    caplog: pytest.LogCaptureFixture,
) -> None:
    result, outbound_id = await acknowledged(
        db, live_settings, make_inbound_email(from_address="rejected@example.net")
    )
    with caplog.at_level(logging.WARNING, logger="contact_center.delivery"):
        status = await delivery.deliver_one(db, senders, outbound_id, now=utc_now())
    assert status is OutboundStatus.FAILED
    assert (await state(db, outbound_id))["error_code"] == "554"
    assert any("554" in n for n in await notes(db, result.ticket_id))
    (warning,) = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert "554" in warning and "-> failed" in warning
    assert "r***@example.net" in warning and "rejected@example.net" not in warning


async def test_with_no_provider_a_message_waits_and_says_why_once(
    db: SingleConnectionPool, live_settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    _result, outbound_id = await acknowledged(db, live_settings, make_inbound_sms())
    now = utc_now()
    with caplog.at_level(logging.DEBUG, logger="contact_center.delivery"):
        assert await delivery.deliver_one(db, {}, outbound_id, now=now) is OutboundStatus.PENDING
        again = now + policy.PROVIDER_RECHECK
        assert await delivery.deliver_one(db, {}, outbound_id, now=again) is OutboundStatus.PENDING
    row = await state(db, outbound_id)
    assert row["status"] == "pending" and row["attempts"] == 0
    assert row["error_code"] == policy.NO_PROVIDER and "no SMS provider" in row["last_error"]
    assert row["next_attempt_at"] == again + policy.PROVIDER_RECHECK
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and row["to_address"] not in warnings[0].getMessage()
    # Once a provider is there, the sweep makes the waiting message due at once.
    summary = await delivery.sweep(db, now=again, ready=[OutboundChannel.SMS])
    assert summary["released"] == 1
    assert (await state(db, outbound_id))["next_attempt_at"] == again
