"""The outbox's enqueue is the one chokepoint for outbound messages: channel, SMS opt-out and
our sender are decided there, whoever asks."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from contact_center import outbox, tickets
from contact_center.customers import ResolvedCustomer
from contact_center.errors import Conflict
from contact_center.outbox import NewOutbound, Origin, OutboundChannel, OutboundRefused
from contact_center.outbox.addressing import channel_of, sender_for
from contact_center.tickets import Channel, IntakeOptions, ReplyOptions
from contact_center.tickets.automatic import acknowledge, answer_help
from contact_center.timeutil import utc_now
from tests.builders import TEST_ACTOR, make_inbound_email, make_inbound_sms, make_user
from tests.conftest import SingleConnectionPool

ORIGIN = Origin(sms_from="+12025550199", email_from="support@example.com")
OPTIONS = IntakeOptions(acknowledge=True, sms_from="+12025550199")


def test_only_sms_and_email_can_be_sent() -> None:
    assert channel_of("sms") is OutboundChannel.SMS
    assert channel_of("email") is OutboundChannel.EMAIL
    for channel in ("voice", "note", "web"):
        with pytest.raises(OutboundRefused) as refused:
            channel_of(channel)
        assert refused.value.reason == "channel" and refused.value.field == "channel"


def test_an_sms_answers_from_the_number_written_to_else_ours() -> None:
    assert sender_for(OutboundChannel.SMS, "+12025550100", ORIGIN) == "+12025550100"
    assert sender_for(OutboundChannel.SMS, "", ORIGIN) == "+12025550199"
    assert sender_for(OutboundChannel.EMAIL, "complaints@example.com", ORIGIN) == (
        "support@example.com"
    )
    with pytest.raises(OutboundRefused, match="TWILIO_FROM_NUMBER"):
        sender_for(OutboundChannel.SMS, "", Origin())


async def rows_to(db: SingleConnectionPool, address: str) -> list[Any]:
    async with db.acquire() as conn:
        return list(
            await conn.fetch(
                "SELECT channel, body_text FROM outbound_messages WHERE to_address = $1", address
            )
        )


async def test_an_opted_out_number_gets_nothing_from_any_caller(db: SingleConnectionPool) -> None:
    first = make_inbound_sms(text="Where is my parcel?")
    phone = first.from_address
    opened = await tickets.intake(db, first, now=utc_now(), options=OPTIONS)
    assert len(await rows_to(db, phone)) == 1  # acknowledged before STOP
    await tickets.intake(
        db, make_inbound_sms(from_address=phone, text="STOP"), now=utc_now(), options=OPTIONS
    )
    ticket, _ = await tickets.get_ticket(db, opened.ticket_id)
    contact = make_inbound_sms(from_address=phone)
    # A caller holding an old view of the customer (not opted out) still gets nothing out.
    stale = ResolvedCustomer(opened.customer_id, False, None, False, sms_opted_out=False)
    async with db.acquire() as conn:
        assert not await acknowledge(conn, contact, stale, ticket, phone, OPTIONS, utc_now())
    with pytest.raises(Conflict, match="opted out") as refused:
        await tickets.send_reply(
            db,
            TEST_ACTOR,
            ticket.id,
            channel=Channel.SMS,
            text="Your parcel ships today.",
            now=utc_now(),
            options=ReplyOptions(sms_from="+12025550199"),
        )
    assert refused.value.field == "channel"
    # What a reminder, a survey or a visit message would do: ask the outbox directly.
    async with db.acquire() as conn:
        with pytest.raises(OutboundRefused) as direct:
            await outbox.enqueue(
                conn,
                NewOutbound(
                    ticket_id=ticket.id,
                    message_id=uuid.uuid4(),
                    channel="sms",
                    to_address=phone,
                    body_text="Your visit is tomorrow at 10:00.",
                ),
                origin=ORIGIN,
                now=utc_now(),
            )
    assert direct.value.reason == "opted_out"
    assert len(await rows_to(db, phone)) == 1  # still only the acknowledgement from before STOP
    # Carriers require an answer to HELP, even to an opted-out number.
    async with db.acquire() as conn:
        await answer_help(conn, contact, stale, ticket, phone, OPTIONS, utc_now())
    assert len(await rows_to(db, phone)) == 2


async def test_opting_out_of_sms_leaves_email_alone(db: SingleConnectionPool) -> None:
    mail = make_inbound_email()
    result = await tickets.intake(db, mail, now=utc_now(), options=OPTIONS)
    assert [r["channel"] for r in await rows_to(db, mail.from_address)] == ["email"]
    agent = await make_user(db)
    await tickets.send_reply(
        db,
        TEST_ACTOR.__class__(label="user", user_id=agent.id),
        result.ticket_id,
        channel=Channel.EMAIL,
        text="Thanks, we are on it.",
        now=utc_now(),
        options=ReplyOptions(),
    )
    assert len(await rows_to(db, mail.from_address)) == 2


async def test_an_sms_with_no_number_to_send_from_is_refused_before_anything_is_written(
    db: SingleConnectionPool,
) -> None:
    contact = make_inbound_sms(to_address="")
    result = await tickets.intake(
        db, contact, now=utc_now(), options=IntakeOptions(acknowledge=True)
    )
    assert not result.acknowledged
    assert await rows_to(db, contact.from_address) == []
    _ticket, messages = await tickets.get_ticket(db, result.ticket_id)
    assert [m.direction for m in messages] == ["inbound"]  # no orphan timeline message
