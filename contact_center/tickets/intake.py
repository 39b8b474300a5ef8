"""The one intake path: every inbound SMS, call and email becomes a message on a ticket."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import uuid4

from contact_center import customers, live
from contact_center.audit import Actor
from contact_center.customers import IdentityKind, ResolvedCustomer
from contact_center.db import Conn, Pool, transaction
from contact_center.live import Event
from contact_center.tickets import store, threads
from contact_center.tickets.classify import classify
from contact_center.tickets.model import (
    Channel,
    InboundContact,
    IntakeResult,
    Kind,
    Priority,
    Status,
    Ticket,
)

INTAKE_ACTOR = Actor.system("intake")


def identity_of(contact: InboundContact, region: str) -> tuple[IdentityKind, str]:
    """The phone or email the contact came from, normalized where possible.

    Twilio sends E.164 already; a short code or an alphanumeric sender cannot be normalized
    and is kept as written so that the contact is still stored and threaded.
    """
    if contact.channel is Channel.EMAIL:
        return IdentityKind.EMAIL, contact.from_address.strip().lower()
    raw = contact.from_address.strip()
    return IdentityKind.PHONE, customers.phone_or_none(raw, region) or raw


async def intake(
    pool: Pool,
    contact: InboundContact,
    *,
    now: datetime,
    region: str = "US",
    thread_window: timedelta = timedelta(days=7),
) -> IntakeResult:
    """Store one inbound contact on a ticket, in one transaction.

    Deduplicates by (channel, provider id): a replay returns the first result and writes
    nothing. Resolves or creates the customer, threads onto an active ticket or opens one,
    appends the message and publishes the events, which leave on commit. Each step is one
    round trip to the database; a reply onto an open ticket takes six in all.
    """
    async with transaction(pool) as conn:
        inbound_id = await store.insert_inbound(
            conn,
            channel=contact.channel,
            provider_id=contact.provider_id,
            payload=contact.payload,
            at=now,
            raw=contact.raw,
        )
        if inbound_id is None:
            return await _replayed(conn, contact)
        kind, value = identity_of(contact, region)
        customer = await customers.resolve_by_identity(
            conn, kind, value, name=contact.display_name, actor=INTAKE_ACTOR
        )
        # A customer created just now has no tickets to look through.
        candidates = (
            []
            if customer.created
            else await store.list_candidates(conn, customer.id, contact.ticket_hint)
        )
        chosen = threads.choose_ticket(contact, candidates, now=now, window=thread_window)
        events = []
        if chosen is None:
            ticket = await _open_ticket(conn, contact, customer, now=now)
            ticket_id, number, status = ticket.id, ticket.number, ticket.status
            events.append(
                live.encode(
                    Event.TICKET_OPENED,
                    {
                        "ticket_id": ticket.id,
                        "ticket_number": number,
                        "kind": ticket.kind,
                        "priority": ticket.priority,
                    },
                )
            )
        else:
            ticket_id, number = chosen.id, chosen.number
            status = threads.status_after_inbound(chosen.status)
        message_id = uuid4()
        events.append(
            live.encode(
                Event.MESSAGE_RECEIVED,
                {
                    "ticket_id": ticket_id,
                    "ticket_number": number,
                    "message_id": message_id,
                    "channel": contact.channel,
                    "opened": chosen is None,
                },
            )
        )
        await store.append_inbound_message(
            conn,
            message_id=message_id,
            ticket_id=ticket_id,
            inbound_id=inbound_id,
            channel=contact.channel,
            provider_id=contact.provider_id,
            from_address=value,
            to_address=contact.to_address,
            subject=contact.subject,
            text=contact.text,
            html=contact.html,
            attachments=contact.attachments,
            at=now,
            ticket_status=status,
            notify_channel=live.CHANNEL,
            notifications=events,
        )
    return IntakeResult(
        ticket_id=ticket_id,
        ticket_number=number,
        message_id=message_id,
        customer_id=customer.id,
        opened_ticket=chosen is None,
        created_customer=customer.created,
        replay=False,
    )


async def _open_ticket(
    conn: Conn, contact: InboundContact, customer: ResolvedCustomer, *, now: datetime
) -> Ticket:
    kind = classify(contact.text, contact.subject, contact.to_address)
    priority = Priority.HIGH if customer.key_account or kind is Kind.COMPLAINT else Priority.NORMAL
    return await store.insert_ticket(
        conn,
        subject=threads.subject_for(contact),
        kind=kind,
        priority=priority,
        customer_id=customer.id,
        organization_id=customer.organization_id,
        channel=contact.channel,
        queue=kind.value,
        at=now,
        status=Status.NEW,
    )


async def _replayed(conn: Conn, contact: InboundContact) -> IntakeResult:
    found = await store.find_inbound_result(conn, contact.channel, contact.provider_id)
    if found is None:
        # The first delivery was stored raw but not placed on a ticket (a parse failure that a
        # channel recorded); a replay must not place it either.
        raise LookupError(f"{contact.channel} {contact.provider_id} was stored without a message")
    return IntakeResult(
        ticket_id=found["ticket_id"],
        ticket_number=found["number"],
        message_id=found["message_id"],
        customer_id=found["customer_id"],
        opened_ticket=False,
        created_customer=False,
        replay=True,
    )


async def keep_unparsed(
    pool: Pool,
    *,
    channel: Channel,
    provider_id: str,
    raw: bytes,
    error: str,
    now: datetime,
) -> bool:
    """Store a contact that could not be parsed, raw, with its error, for an agent to look at.

    Returns False when this provider id was already stored (a retry).
    """
    async with transaction(pool) as conn:
        stored = await store.insert_inbound(
            conn,
            channel=channel,
            provider_id=provider_id,
            payload={},
            at=now,
            raw=raw.replace(b"\x00", b""),
            parse_error=error[:2000],
        )
    return stored is not None
