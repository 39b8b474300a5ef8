"""Outbound delivery through the real twilio client and a real SMTP server, both local."""

from __future__ import annotations

from datetime import timedelta

import pytest

from contact_center import delivery, outbox, tickets
from contact_center.config import Settings
from contact_center.outbox import DeliveryStatusUpdate, OutboundStatus, policy
from contact_center.timeutil import utc_now
from tests.builders import make_inbound_email, make_inbound_sms
from tests.conftest import SingleConnectionPool
from tests.delivery.conftest import acknowledged, notes, state
from tests.standins.smtp import SmtpCapture
from tests.standins.twilio_api import TwilioStandIn


async def test_an_sms_acknowledgement_goes_out_through_twilio(
    db: SingleConnectionPool,
    live_settings: Settings,
    senders: outbox.Senders,
    twilio: TwilioStandIn,
) -> None:
    result, outbound_id = await acknowledged(
        db, live_settings, make_inbound_sms(text="Where is my order?")
    )
    status = await delivery.deliver_one(db, senders, outbound_id, now=utc_now())
    assert status is OutboundStatus.SENT
    (sent,) = twilio.sent()
    assert (
        sent["To"] == (await state(db, outbound_id))["to_address"]
        and sent["From"] == "+12025550100"
    )
    assert sent["Body"].startswith("Thank you") and f"#{result.ticket_number}" in sent["Body"]
    assert (
        sent["StatusCallback"]
        == f"http://localhost:8080/webhooks/twilio/sms/status?outbox={outbound_id}"
    )
    row = await state(db, outbound_id)
    assert row["status"] == "sent" and row["provider_id"].startswith("SM") and row["attempts"] == 1
    assert (
        await delivery.deliver_one(db, senders, outbound_id, now=utc_now()) is None
    )  # never twice


async def test_rate_limits_retry_later_and_then_send(
    db: SingleConnectionPool,
    live_settings: Settings,
    senders: outbox.Senders,
    twilio: TwilioStandIn,
) -> None:
    _result, outbound_id = await acknowledged(db, live_settings, make_inbound_sms())
    async with db.acquire() as conn:
        await conn.execute(
            "UPDATE outbound_messages SET body_text = '__429__' WHERE id = $1", outbound_id
        )
    now = utc_now()
    assert await delivery.deliver_one(db, senders, outbound_id, now=now) is OutboundStatus.PENDING
    row = await state(db, outbound_id)
    assert row["next_attempt_at"] >= now + policy.BACKOFF_BASE and row["error_code"] == "20429"
    async with db.acquire() as conn:
        # The retry is queued beside the first job (which a worker would still hold), not
        # swallowed by the first job's dedupe key.
        jobs = await conn.fetchval(
            "SELECT count(*) FROM pgqueuer WHERE payload = $1", str(outbound_id).encode()
        )
    assert jobs == 2
    assert await delivery.deliver_one(db, senders, outbound_id, now=now) is None  # not due yet
    async with db.acquire() as conn:
        await conn.execute(
            "UPDATE outbound_messages SET body_text = 'hello' WHERE id = $1", outbound_id
        )
    later = now + timedelta(hours=2)
    assert await delivery.deliver_one(db, senders, outbound_id, now=later) is OutboundStatus.SENT
    assert (await state(db, outbound_id))["attempts"] == 2


@pytest.mark.parametrize("body", ["__500__", "__slow__"])
async def test_an_sms_that_may_have_gone_out_is_never_resent(
    db: SingleConnectionPool,
    live_settings: Settings,
    senders: outbox.Senders,
    twilio: TwilioStandIn,
    body: str,
) -> None:
    result, outbound_id = await acknowledged(db, live_settings, make_inbound_sms())
    async with db.acquire() as conn:
        await conn.execute(
            "UPDATE outbound_messages SET body_text = $2 WHERE id = $1", outbound_id, body
        )
    status = await delivery.deliver_one(db, senders, outbound_id, now=utc_now())
    assert status is OutboundStatus.NEEDS_REVIEW
    assert (
        await delivery.deliver_one(db, senders, outbound_id, now=utc_now() + timedelta(days=1))
        is None
    )
    assert len(twilio.requests) == 1
    assert any("may or may not have been sent" in n for n in await notes(db, result.ticket_id))


async def test_an_invalid_number_fails_at_once_with_a_note(
    db: SingleConnectionPool, live_settings: Settings, senders: outbox.Senders
) -> None:
    result, outbound_id = await acknowledged(db, live_settings, make_inbound_sms())
    async with db.acquire() as conn:
        await conn.execute(
            "UPDATE outbound_messages SET body_text = '__21211__' WHERE id = $1", outbound_id
        )
    assert (
        await delivery.deliver_one(db, senders, outbound_id, now=utc_now()) is OutboundStatus.FAILED
    )
    row = await state(db, outbound_id)
    assert row["error_code"] == "21211"
    assert any("was refused" in n for n in await notes(db, result.ticket_id))


async def test_the_last_transient_failure_makes_it_dead_with_a_note(
    db: SingleConnectionPool, live_settings: Settings, senders: outbox.Senders
) -> None:
    result, outbound_id = await acknowledged(db, live_settings, make_inbound_sms())
    async with db.acquire() as conn:
        await conn.execute(
            "UPDATE outbound_messages SET body_text = '__503__' WHERE id = $1", outbound_id
        )
    now = utc_now()
    outcomes = []
    for attempt in range(policy.MAX_ATTEMPTS):
        outcomes.append(
            await delivery.deliver_one(db, senders, outbound_id, now=now + timedelta(days=attempt))
        )
    assert outcomes[:-1] == [OutboundStatus.PENDING] * (policy.MAX_ATTEMPTS - 1)
    assert outcomes[-1] is OutboundStatus.DEAD
    assert any(
        f"after {policy.MAX_ATTEMPTS} attempts" in n for n in await notes(db, result.ticket_id)
    )


async def test_email_acknowledgement_carries_threading_and_loop_headers(
    db: SingleConnectionPool, live_settings: Settings, senders: outbox.Senders, smtp: SmtpCapture
) -> None:
    contact = make_inbound_email(
        subject="Broken lid",
        rfc_message_id="<q1@mail.example.net>",
        thread_refs=["<q0@mail.example.net>"],
    )
    result, outbound_id = await acknowledged(db, live_settings, contact)
    assert (
        await delivery.deliver_one(db, senders, outbound_id, now=utc_now()) is OutboundStatus.SENT
    )
    (mail,) = smtp.messages
    assert mail["To"] == contact.from_address
    assert mail["Auto-Submitted"] == "auto-replied"
    assert mail["In-Reply-To"] == "<q1@mail.example.net>"
    assert mail["References"] == "<q0@mail.example.net> <q1@mail.example.net>"
    token = (await tickets.get_ticket(db, result.ticket_id))[0].reply_token
    assert mail["Reply-To"] == f"reply+{token}@example.com"
    assert f"[#{result.ticket_number}]" in mail["Subject"]
    row = await state(db, outbound_id)
    assert row["provider_id"] == mail["Message-ID"] == row["headers"]["Message-ID"]


async def test_email_is_retried_after_a_busy_relay_with_the_same_message_id(
    db: SingleConnectionPool, live_settings: Settings, senders: outbox.Senders, smtp: SmtpCapture
) -> None:
    _result, outbound_id = await acknowledged(
        db, live_settings, make_inbound_email(from_address="busy@example.net")
    )
    now = utc_now()
    assert await delivery.deliver_one(db, senders, outbound_id, now=now) is OutboundStatus.PENDING
    async with db.acquire() as conn:
        await conn.execute(
            "UPDATE outbound_messages SET to_address = 'fine@example.net' WHERE id = $1",
            outbound_id,
        )
    assert (
        await delivery.deliver_one(db, senders, outbound_id, now=now + timedelta(hours=1))
        is OutboundStatus.SENT
    )
    assert smtp.messages[0]["Message-ID"] == (await state(db, outbound_id))["headers"]["Message-ID"]


async def test_a_refused_address_fails_with_a_note(
    db: SingleConnectionPool, live_settings: Settings, senders: outbox.Senders
) -> None:
    result, outbound_id = await acknowledged(
        db, live_settings, make_inbound_email(from_address="nobody@example.net")
    )
    assert (
        await delivery.deliver_one(db, senders, outbound_id, now=utc_now()) is OutboundStatus.FAILED
    )
    assert any("nobody@example.net" in n for n in await notes(db, result.ticket_id))


async def test_the_sweep_hands_stale_sms_to_a_person_and_retries_stale_email(
    db: SingleConnectionPool, live_settings: Settings
) -> None:
    sms_result, sms_id = await acknowledged(db, live_settings, make_inbound_sms())
    _, email_id = await acknowledged(db, live_settings, make_inbound_email())
    now = utc_now()
    for outbound_id in (sms_id, email_id):
        assert await outbox.claim(db, outbound_id, now=now) is not None  # then the process dies
    summary = await delivery.sweep(db, now=now + policy.SENDING_LEASE + timedelta(seconds=1))
    assert summary["stale"] == 2
    assert (await state(db, sms_id))["status"] == "needs_review"
    assert (await state(db, email_id))["status"] == "pending"
    assert any("may or may not" in n for n in await notes(db, sms_result.ticket_id))


async def test_sms_to_one_number_respect_the_rate(
    db: SingleConnectionPool, live_settings: Settings, senders: outbox.Senders
) -> None:
    ids = [(await acknowledged(db, live_settings, make_inbound_sms()))[1] for _ in range(3)]
    now = utc_now()
    outcomes = [await delivery.deliver_one(db, senders, i, now=now, sms_per_second=2) for i in ids]
    assert outcomes == [OutboundStatus.SENT, OutboundStatus.PENDING, OutboundStatus.PENDING]
    slots = [(await state(db, i))["next_attempt_at"] for i in ids[1:]]
    assert slots == [now + timedelta(seconds=0.5), now + timedelta(seconds=1)]
    # When its job runs at its slot, a message sends without taking another one.
    for outbound_id, slot in zip(ids[1:], slots, strict=True):
        sent = await delivery.deliver_one(db, senders, outbound_id, now=slot, sms_per_second=2)
        assert sent is OutboundStatus.SENT


async def test_status_callbacks_move_forward_only_and_failures_leave_a_note(
    db: SingleConnectionPool, live_settings: Settings, senders: outbox.Senders
) -> None:
    result, outbound_id = await acknowledged(db, live_settings, make_inbound_sms())
    await delivery.deliver_one(db, senders, outbound_id, now=utc_now())
    sid = (await state(db, outbound_id))["provider_id"]

    def update(status: str, code: str | None = None) -> DeliveryStatusUpdate:
        return DeliveryStatusUpdate(
            outbound_id=outbound_id, provider_id=sid, reported=status, error_code=code
        )

    assert await delivery.record_delivery_status(db, update("delivered"), now=utc_now())
    assert not await delivery.record_delivery_status(
        db, update("sent"), now=utc_now()
    )  # late, older
    assert not await delivery.record_delivery_status(
        db, update("delivered"), now=utc_now()
    )  # repeat
    assert (await state(db, outbound_id))["status"] == "delivered"
    _ticket, messages = await tickets.get_ticket(db, result.ticket_id)
    assert [m.delivery_status for m in messages if m.direction == "outbound"] == ["delivered"]

    other, other_id = await acknowledged(db, live_settings, make_inbound_sms())
    await delivery.deliver_one(db, senders, other_id, now=utc_now())
    other_sid = (await state(db, other_id))["provider_id"]
    failed = DeliveryStatusUpdate(
        outbound_id=other_id, provider_id=other_sid, reported="undelivered", error_code="30003"
    )
    assert await delivery.record_delivery_status(db, failed, now=utc_now())
    assert any("30003" in n for n in await notes(db, other.ticket_id))
    spoofed = DeliveryStatusUpdate(
        outbound_id=other_id, provider_id="SMother", reported="delivered"
    )
    assert not await delivery.record_delivery_status(db, spoofed, now=utc_now())
