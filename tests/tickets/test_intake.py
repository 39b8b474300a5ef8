from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

import asyncpg
import pytest

from contact_center import customers, tickets
from contact_center.customers import IdentityKind
from contact_center.tickets import Channel, IntakeOptions, Kind, Priority, Status, TicketFilter
from contact_center.tickets.acks import ACK_BUDGET
from contact_center.timeutil import utc_now
from tests.builders import (
    TEST_ACTOR,
    make_customer,
    make_inbound_email,
    make_inbound_sms,
    unique_phone,
)
from tests.conftest import SingleConnectionPool


async def test_first_sms_from_an_unknown_number_creates_customer_and_ticket(
    db: SingleConnectionPool,
) -> None:
    contact = make_inbound_sms(text="My order 1182 never arrived", from_address="(202) 555-0143")
    result = await tickets.intake(db, contact, now=utc_now())
    assert result.opened_ticket and result.created_customer and not result.replay
    customer = await customers.get_customer(db, result.customer_id)
    assert customer.phones == ["+12025550143"]
    ticket, messages = await tickets.get_ticket(db, result.ticket_id)
    assert (
        ticket.status is Status.NEW and ticket.channel is Channel.SMS and ticket.kind is Kind.ORDER
    )
    assert [m.body_text for m in messages] == ["My order 1182 never arrived"]
    assert messages[0].provider_id == contact.provider_id


async def test_replies_thread_onto_the_open_ticket_of_a_known_customer(
    db: SingleConnectionPool,
) -> None:
    customer = await make_customer(db, phones=[unique_phone()])
    now = utc_now()
    first = await tickets.intake(db, make_inbound_sms(from_address=customer.phones[0]), now=now)
    second = await tickets.intake(
        db,
        make_inbound_sms(from_address=customer.phones[0], text="any news?"),
        now=now + timedelta(hours=2),
    )
    assert not first.created_customer and first.customer_id == customer.id
    assert second.ticket_id == first.ticket_id and not second.opened_ticket
    later = await tickets.intake(
        db, make_inbound_sms(from_address=customer.phones[0]), now=now + timedelta(days=9)
    )
    assert later.opened_ticket and later.ticket_id != first.ticket_id


async def test_a_replayed_contact_changes_nothing(db: SingleConnectionPool) -> None:
    contact = make_inbound_sms()
    first = await tickets.intake(db, contact, now=utc_now())
    again = await tickets.intake(db, contact, now=utc_now())
    assert (
        again.replay and again.message_id == first.message_id and again.ticket_id == first.ticket_id
    )
    _, messages = await tickets.get_ticket(db, first.ticket_id)
    assert len(messages) == 1


async def test_a_reply_to_a_resolved_ticket_naming_it_reopens_it(db: SingleConnectionPool) -> None:
    contact = make_inbound_email(subject="Broken lid", text="The lid is broken")
    first = await tickets.intake(db, contact, now=utc_now())
    await tickets.update_ticket(
        db, TEST_ACTOR, first.ticket_id, {"status": "resolved"}, now=utc_now()
    )
    reply = make_inbound_email(
        from_address=contact.from_address,
        subject=f"Re: [#{first.ticket_number}]",
        ticket_hint=first.ticket_number,
    )
    second = await tickets.intake(db, reply, now=utc_now())
    ticket, _ = await tickets.get_ticket(db, first.ticket_id)
    assert second.ticket_id == first.ticket_id
    assert ticket.status is Status.OPEN and ticket.resolved_at is None


async def test_key_accounts_are_urgent_and_complaints_high(db: SingleConnectionPool) -> None:
    key = await make_customer(db, is_key_account=True)
    result = await tickets.intake(
        db, make_inbound_sms(from_address=key.phones[0], text="Hello"), now=utc_now()
    )
    complaint = await tickets.intake(db, make_inbound_sms(text="投诉：送货太慢"), now=utc_now())
    assert (await tickets.get_ticket(db, result.ticket_id))[0].priority is Priority.URGENT
    ticket = (await tickets.get_ticket(db, complaint.ticket_id))[0]
    assert ticket.kind is Kind.COMPLAINT and ticket.priority is Priority.HIGH


async def test_email_customers_are_resolved_by_lower_cased_address(
    db: SingleConnectionPool,
) -> None:
    first = await tickets.intake(
        db, make_inbound_email(from_address="Mixed.Case@Example.net"), now=utc_now()
    )
    customer = await customers.get_customer(db, first.customer_id)
    assert customer.emails == ["mixed.case@example.net"]


@pytest.mark.commits
async def test_fifty_concurrent_deliveries_of_one_contact_store_one_message(
    pool: asyncpg.Pool[Any],
) -> None:
    contact = make_inbound_sms()
    results = await asyncio.gather(
        *(tickets.intake(pool, contact, now=utc_now()) for _ in range(50))
    )
    assert sum(not r.replay for r in results) == 1
    assert len({r.message_id for r in results}) == 1
    async with pool.acquire() as conn:
        stored = await conn.fetchval(
            "SELECT count(*) FROM messages WHERE provider_id = $1", contact.provider_id
        )
        customers_with_phone = await conn.fetchval(
            "SELECT count(*) FROM customer_identities WHERE value = $1", contact.from_address
        )
    assert stored == 1 and customers_with_phone == 1


@pytest.mark.commits
async def test_different_messages_from_one_new_customer_at_once_open_one_ticket(
    pool: asyncpg.Pool[Any],
) -> None:
    phone = unique_phone()
    contacts = [make_inbound_sms(from_address=phone, text=f"part {n}") for n in range(20)]
    results = await asyncio.gather(*(tickets.intake(pool, c, now=utc_now()) for c in contacts))
    assert len({r.customer_id for r in results}) == 1
    assert len({r.ticket_id for r in results}) == 1
    assert sum(r.opened_ticket for r in results) == 1
    page = await tickets.list_tickets(pool, TicketFilter(customer_id=results[0].customer_id))
    assert len(page.tickets) == 1
    async with pool.acquire() as conn:
        kind = await conn.fetchval("SELECT kind FROM customer_identities WHERE value = $1", phone)
    assert kind == IdentityKind.PHONE


async def test_a_chatty_autoresponder_gets_one_acknowledgement(db: SingleConnectionPool) -> None:
    options = IntakeOptions(acknowledge=True)
    sender = "vacation-bot@example.net"
    for _ in range(20):
        contact = make_inbound_email(from_address=sender, subject="Out of office")
        await tickets.intake(db, contact, now=utc_now(), options=options)
    async with db.acquire() as conn:
        acks = await conn.fetchval(
            "SELECT count(*) FROM outbound_messages WHERE to_address = $1 AND automatic", sender
        )
    assert acks == 1


async def test_a_sender_opening_ticket_after_ticket_is_thanked_only_a_few_times(
    db: SingleConnectionPool,
) -> None:
    options = IntakeOptions(acknowledge=True)
    sender = "varying-bot@example.net"
    now = utc_now()
    for n in range(20):
        contact = make_inbound_email(from_address=sender, subject=f"Out of office ({n})")
        await tickets.intake(db, contact, now=now + timedelta(seconds=n), options=options)
    later = make_inbound_email(from_address=sender, subject="A real question")
    await tickets.intake(db, later, now=now + timedelta(hours=2), options=options)
    async with db.acquire() as conn:
        acks = await conn.fetchval(
            "SELECT count(*) FROM outbound_messages WHERE to_address = $1 AND automatic", sender
        )
        opened = await conn.fetchval(
            "SELECT count(*) FROM tickets t JOIN customer_identities i"
            " ON i.customer_id = t.customer_id WHERE i.value = $1",
            sender,
        )
    assert opened == 21 and acks == ACK_BUDGET + 1


async def test_a_late_reply_to_a_long_closed_ticket_opens_a_linked_one(
    db: SingleConnectionPool,
) -> None:
    long_ago = utc_now() - timedelta(days=60)
    first = await tickets.intake(db, make_inbound_email(subject="Old matter"), now=long_ago)
    await tickets.update_ticket(db, TEST_ACTOR, first.ticket_id, {"status": "closed"}, now=long_ago)
    old, _ = await tickets.get_ticket(db, first.ticket_id)
    reply = make_inbound_email(subject="Re: Old matter", reply_tokens=[old.reply_token])
    late = await tickets.intake(db, reply, now=utc_now())
    assert late.opened_ticket and late.ticket_id != first.ticket_id
    new, _ = await tickets.get_ticket(db, late.ticket_id)
    assert new.linked_ticket_id == first.ticket_id
    recent = make_inbound_email(subject="Re: Old matter", reply_tokens=[new.reply_token])
    assert (await tickets.intake(db, recent, now=utc_now())).ticket_id == new.id


async def test_an_acknowledgement_is_listed_after_the_message_it_answers(
    db: SingleConnectionPool,
) -> None:
    # Message and acknowledgement share one timestamp; twenty tickets leave no room for luck.
    options = IntakeOptions(acknowledge=True, sms_from="+12025550100")
    now = utc_now()
    for _ in range(20):
        result = await tickets.intake(db, make_inbound_sms(), now=now, options=options)
        assert result.acknowledged
        _, messages = await tickets.get_ticket(db, result.ticket_id)
        assert [m.direction for m in messages] == ["inbound", "outbound"]


async def test_messages_at_one_instant_are_listed_in_the_order_they_were_recorded(
    db: SingleConnectionPool,
) -> None:
    now = utc_now()
    first = await tickets.intake(db, make_inbound_email(subject="Lid"), now=now)
    texts = [f"note {n}" for n in range(12)]
    for text in texts:
        await tickets.add_note(db, TEST_ACTOR, first.ticket_id, text, now=now)
    _, messages = await tickets.get_ticket(db, first.ticket_id)
    assert [m.body_text for m in messages] == ["Hello there", *texts]


async def test_each_intake_logs_one_line_saying_where_it_went_without_personal_data(
    db: SingleConnectionPool, caplog: pytest.LogCaptureFixture
) -> None:
    phone = unique_phone()
    first = make_inbound_sms(from_address=phone, text="my parcel 7781 is lost")
    with caplog.at_level(logging.INFO, logger="contact_center.tickets.intake"):
        opened = await tickets.intake(db, first, now=utc_now())
        await tickets.intake(db, make_inbound_sms(from_address=phone, text="hello?"), now=utc_now())
        await tickets.intake(db, first, now=utc_now())
    lines = [r.getMessage() for r in caplog.records if r.name == "contact_center.tickets.intake"]
    number = f"ticket #{opened.ticket_number}"
    assert len(lines) == 3
    assert number in lines[0] and "new ticket" in lines[0] and lines[0].startswith("sms")
    assert number in lines[1] and "appended" in lines[1]
    assert number in lines[2] and "redelivery" in lines[2]
    assert not any(phone in line or "parcel" in line or "hello" in line for line in lines)
