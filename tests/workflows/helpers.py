"""Tickets with clocks and complaints, made through the product's own entry points."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from contact_center import tickets, workflows
from contact_center.audit import Actor
from contact_center.db import Pool
from contact_center.tickets import Channel, Kind, Priority, ReplyOptions, Ticket
from tests.builders import make_customer, make_inbound_email, make_inbound_sms

MONDAY_10 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # the default week, 09-18 in UTC
AGENT = Actor.system("test")


async def open_ticket(
    pool: Pool, *, now: datetime = MONDAY_10, priority: Priority = Priority.NORMAL, **kw: Any
) -> Ticket:
    customer = await make_customer(pool)
    return await tickets.open_ticket(
        pool,
        AGENT,
        customer_id=customer.id,
        subject="Broken kettle",
        text="",
        kind=kw.pop("kind", Kind.INQUIRY),
        channel=Channel.SMS,
        priority=priority,
        now=now,
    )


async def sms_ticket(pool: Pool, *, now: datetime = MONDAY_10) -> tuple[Ticket, str]:
    """A ticket opened by a customer's SMS; the customer's number."""
    contact = make_inbound_sms()
    result = await tickets.intake(pool, contact, now=now)
    ticket, _ = await tickets.get_ticket(pool, result.ticket_id)
    return ticket, contact.from_address


async def customer_writes(pool: Pool, phone: str, *, now: datetime) -> None:
    await tickets.intake(pool, make_inbound_sms(from_address=phone, text="Any news?"), now=now)


async def agent_replies(pool: Pool, ticket: Ticket, *, now: datetime) -> None:
    await tickets.send_reply(
        pool, AGENT, ticket.id, channel=Channel.SMS, text="On it.", now=now, options=ReplyOptions()
    )


async def set_status(pool: Pool, ticket: Ticket, status: str, *, now: datetime) -> Ticket:
    return await tickets.update_ticket(pool, AGENT, ticket.id, {"status": status}, now=now)


async def complaint_by_mail(pool: Pool, now: datetime, **overrides: Any) -> UUID:
    """A complaint mailed to the complaints address: its ticket's id."""
    complaint = {
        "to_address": "complaints@example.com",
        "subject": "Broken kettle",
        "text": "The kettle I bought leaks.",
    }
    contact = make_inbound_email(**(complaint | overrides))
    result = await tickets.intake(pool, contact, now=now)
    return result.ticket_id


async def case_of(pool: Pool, ticket_id: UUID) -> dict[str, Any]:
    view = await workflows.get_case(pool, ticket_id)
    case: dict[str, Any] = view["case"]
    return case
