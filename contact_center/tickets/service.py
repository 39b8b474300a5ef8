"""Ticket use cases for agents: list, read, change, add notes, open by hand."""

from __future__ import annotations

import base64
import dataclasses
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from contact_center import audit, customers, live, outbox, routing, workflows
from contact_center.audit import Actor
from contact_center.db import Conn, Pool, transaction
from contact_center.errors import Conflict, Invalid, NotFound
from contact_center.live import Event
from contact_center.outbox import DeliveryState
from contact_center.routing import priority_for
from contact_center.tickets import inbound_store, routing_link, search_store, store
from contact_center.tickets.model import (
    UPDATABLE_FIELDS,
    Channel,
    Direction,
    Kind,
    Message,
    Priority,
    Status,
    Ticket,
    TicketFilter,
)
from contact_center.tickets.search import read_ticket_query
from contact_center.tickets.tags import normalize_tags
from contact_center.workflows.model import CaseSource


@dataclass(frozen=True)
class TicketPage:
    tickets: list[Ticket]
    next_cursor: str | None


def encode_cursor(ticket: Ticket) -> str:
    raw = f"{ticket.created_at.isoformat()}|{ticket.id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, UUID]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        created, ticket_id = raw.split("|")
        moment = datetime.fromisoformat(created)
        if moment.tzinfo is None:
            raise ValueError
        return moment, UUID(ticket_id)
    except ValueError:
        raise Invalid("not a cursor returned by this API", field="cursor") from None


async def list_tickets(
    pool: Pool,
    where: TicketFilter,
    *,
    cursor: str | None = None,
    limit: int = 50,
    region: str = "US",
) -> TicketPage:
    """Newest first; `next_cursor` continues after the last ticket of this page.

    `where.q` is read as a ticket number (`#1234`), a customer's phone or email (their
    tickets), or words (see `search.read_ticket_query`).
    """
    after = decode_cursor(cursor) if cursor else None
    query = read_ticket_query(where.q, region)
    async with pool.acquire() as conn:
        if query.identity is not None:
            owner = await customers.find_by_identity(conn, *query.identity)
            if owner is None:  # nobody has this phone or email, so no ticket is theirs
                return TicketPage([], None)
            if where.customer_id not in (None, owner):
                return TicketPage([], None)
            where = dataclasses.replace(where, customer_id=owner)
        found = await search_store.list_tickets(
            conn,
            where=where,
            number=query.number,
            text=query.text,
            after=after,
            limit=limit + 1,
        )
    page = found[:limit]
    return TicketPage(page, encode_cursor(page[-1]) if len(found) > limit else None)


async def get_ticket(pool: Pool, ticket_id: UUID) -> tuple[Ticket, list[Message]]:
    """The ticket and its timeline; outbound messages show their outbox delivery state."""
    async with pool.acquire() as conn:
        ticket = await store.get_ticket(conn, ticket_id)
        messages = await store.list_messages(conn, ticket_id)
        outbound = [m.id for m in messages if m.direction is Direction.OUTBOUND]
        states = await outbox.statuses_for(conn, outbound) if outbound else {}
        files = await inbound_store.list_files(conn, [m.id for m in messages]) if messages else {}
    shown = []
    for m in messages:
        if m.id in states:
            state = DeliveryState.of(states[m.id])
            m = dataclasses.replace(m, delivery_status=str(state.status), delivery=state)
        if m.id in files:
            m = dataclasses.replace(m, attachments=files[m.id])
        shown.append(m)
    return ticket, shown


async def add_system_note(conn: Conn, ticket_id: UUID, text: str, *, now: datetime) -> Message:
    """An internal note written by the system (a failed delivery, say), inside the caller's
    transaction; agents see it on the timeline."""
    note = await store.insert_message(
        conn,
        ticket_id=ticket_id,
        direction=Direction.INTERNAL,
        channel=Channel.NOTE,
        text=text,
        author_id=None,
        at=now,
        from_address="system",
    )
    await live.publish(conn, Event.NOTE_ADDED, {"ticket_id": ticket_id, "message_id": note.id})
    return note


async def set_response_due(conn: Conn, ticket_id: UUID, due_at: datetime | None) -> None:
    """When the first response is due (the inbox's "overdue"), as the first-response clock
    says: moved by pauses, None while the clock is paused."""
    await store.set_response_due(conn, ticket_id, due_at)


async def load_ticket_in(conn: Conn, ticket_id: UUID, *, for_update: bool = False) -> Ticket:
    """The ticket as stored, inside the caller's transaction (locked if asked); NotFound."""
    if for_update:
        return await store.lock_ticket(conn, ticket_id)
    return await store.get_ticket(conn, ticket_id)


def check_changes(changes: dict[str, Any]) -> dict[str, Any]:
    """Typed values for the updatable fields; raises Invalid naming the bad one."""
    checked: dict[str, Any] = {}
    enums: dict[str, Any] = {"kind": Kind, "status": Status, "priority": Priority}
    for name, value in changes.items():
        if name not in UPDATABLE_FIELDS:
            raise Invalid("not a field that can be changed", field=name)
        if name in enums:
            try:
                checked[name] = enums[name](value)
            except ValueError:
                allowed = ", ".join(e.value for e in enums[name])
                raise Invalid(f"must be one of {allowed}", field=name) from None
        elif name == "tags":
            if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
                raise Invalid("must be a list of text", field=name)
            checked[name] = normalize_tags(value)
        elif name == "assignee_id":
            try:
                checked[name] = None if value is None else UUID(str(value))
            except ValueError:
                raise Invalid("not a user id", field=name) from None
        elif not isinstance(value, str) or (name == "queue" and not value.strip()):
            raise Invalid("must be non-empty text", field=name)
        else:
            checked[name] = value.strip()
    return checked


async def update_ticket(
    pool: Pool, actor: Actor, ticket_id: UUID, changes: dict[str, Any], *, now: datetime
) -> Ticket:
    """Change status, priority, assignee, kind, queue, subject or tags (a new list replaces
    the old one); audited and announced."""
    async with transaction(pool) as conn:
        return await update_ticket_in(conn, actor, ticket_id, changes, now=now)


async def update_ticket_in(
    conn: Conn, actor: Actor, ticket_id: UUID, changes: dict[str, Any], *, now: datetime
) -> Ticket:
    """`update_ticket` inside the caller's transaction (a call's menu choice names the kind
    of the ticket it opened)."""
    checked = check_changes(changes)
    before = await store.lock_ticket(conn, ticket_id)
    if "queue" in checked and not await routing.queue_exists(conn, checked["queue"]):
        raise NotFound("no such queue", field="queue")
    after = await store.update_ticket(conn, ticket_id, changes=checked, at=now)
    old, new = audit.changed_fields(before.editable(), after.editable())
    if new:
        await audit.record_change(
            conn, actor, "ticket", ticket_id, "updated", before=old, after=new, at=now
        )
        await live.publish(conn, Event.TICKET_UPDATED, {"ticket_id": ticket_id, "changes": new})
    if "assignee_id" in new:
        await live.publish(
            conn,
            Event.TICKET_ASSIGNED,
            {
                "ticket_id": ticket_id,
                "assignee_id": after.assignee_id,
                "previous_assignee_id": before.assignee_id,
                "queue": after.queue,
            },
        )
    # The lock order every path keeps: the ticket (above), its clocks (the workflows' hook),
    # then routing's rows (work item, offer, agent) — the timers take them in this order too.
    await workflows.ticket_changed(conn, actor, before, after, now=now)
    if after.kind is not before.kind:
        # A new complaint's case may have moved the ticket (its queue) through a change of its
        # own; routing follows the ticket as it now is.
        after = await store.get_ticket(conn, ticket_id)
    await routing_link.after_update(conn, before, after, now=now)
    return after


async def add_note(
    pool: Pool, actor: Actor, ticket_id: UUID, text: str, *, now: datetime
) -> Message:
    """An internal note: visible to staff on the timeline, never sent to the customer."""
    text = text.replace("\x00", "").strip()
    if not text:
        raise Invalid("a note needs text", field="text")
    async with transaction(pool) as conn:
        await store.lock_ticket(conn, ticket_id)
        note = await store.insert_message(
            conn,
            ticket_id=ticket_id,
            direction=Direction.INTERNAL,
            channel=Channel.NOTE,
            text=text,
            author_id=actor.user_id,
            at=now,
            from_address=actor.label,
        )
        await audit.record_change(
            conn,
            actor,
            "ticket",
            ticket_id,
            "note_added",
            after={"message_id": str(note.id)},
            at=now,
        )
        await live.publish(conn, Event.NOTE_ADDED, {"ticket_id": ticket_id, "message_id": note.id})
        return note


async def open_ticket(
    pool: Pool,
    actor: Actor,
    *,
    customer_id: UUID,
    subject: str,
    text: str,
    kind: Kind,
    channel: Channel,
    priority: Priority | None,
    now: datetime,
) -> Ticket:
    """An agent opens a ticket by hand, e.g. for a walk-in or a call taken off the system;
    its clocks start (the first response due by the site's target for its priority)."""
    async with transaction(pool) as conn:
        customer = await customers.load_customer(conn, customer_id)
        if customer.merged_into_id is not None:
            raise Conflict("that customer was merged into another", field="customer_id")
        account = await customers.account_of(conn, customer_id)
        organization_id = None if account.personal else account.organization_id
        priority = priority_for(
            key_account=account.key_account, complaint=kind is Kind.COMPLAINT, requested=priority
        )
        ticket = await store.insert_ticket(
            conn,
            subject=subject.strip(),
            kind=kind,
            priority=priority,
            customer_id=customer_id,
            organization_id=organization_id,
            channel=channel,
            queue=await routing.queue_for_kind(conn, kind.value),
            at=now,
            status=Status.OPEN,
            assignee_id=actor.user_id,
        )
        if text.strip():
            await store.insert_message(
                conn,
                ticket_id=ticket.id,
                direction=Direction.INTERNAL,
                channel=Channel.NOTE,
                text=text.strip(),
                author_id=actor.user_id,
                at=now,
                from_address=actor.label,
            )
        await audit.record_change(
            conn,
            actor,
            "ticket",
            ticket.id,
            "opened",
            after={"number": ticket.number, "customer_id": str(customer_id)},
            at=now,
        )
        await live.publish(
            conn,
            Event.TICKET_OPENED,
            {
                "ticket_id": ticket.id,
                "ticket_number": ticket.number,
                "customer_id": customer_id,
                "kind": ticket.kind,
                "priority": ticket.priority,
                "channel": ticket.channel,
                "status": ticket.status,
            },
        )
        source = CaseSource.AGENT if kind is Kind.COMPLAINT else None
        await workflows.ticket_opened(conn, ticket, source=source, now=now)
        return await store.get_ticket(conn, ticket.id)  # with the due time its clock set


async def move_customer_tickets(conn: Conn, from_customer: UUID, to_customer: UUID) -> list[UUID]:
    """Inside a merge: every ticket of one customer now belongs to the other."""
    return await store.move_tickets(conn, from_customer, to_customer)


async def customer_ticket_numbers(conn: Conn, customer_id: UUID) -> list[int]:
    """The numbers of every ticket of this customer, in order (what a merge would move)."""
    return await store.customer_ticket_numbers(conn, customer_id)


async def restore_customer_tickets(conn: Conn, ticket_ids: list[UUID], to_customer: UUID) -> None:
    await store.restore_tickets(conn, ticket_ids, to_customer)


async def customer_history(conn: Conn, customer_id: UUID) -> dict[str, list[Any]]:
    """Every ticket of a customer with its messages, and the raw inbound copies behind them
    (for exports): three statements however many tickets there are."""
    history = await store.list_customer_tickets(conn, customer_id)
    ticket_ids = [ticket.id for ticket, _ in history]
    raw = await inbound_store.list_inbound_for_tickets(conn, ticket_ids) if ticket_ids else []
    return {
        "tickets": [{"ticket": ticket, "messages": messages} for ticket, messages in history],
        "inbound": raw,
    }


async def list_unplaced(pool: Pool, *, limit: int = 100) -> list[dict[str, Any]]:
    """Contacts kept raw with a parse error, for an agent to read and place by hand."""
    async with pool.acquire() as conn:
        return await inbound_store.list_unplaced(conn, limit)


async def get_attachment(pool: Pool, attachment_id: UUID) -> dict[str, Any]:
    """An attachment with its bytes and the ticket it belongs to (for the access check)."""
    async with pool.acquire() as conn:
        return await inbound_store.get_attachment(conn, attachment_id)


async def ticket_numbers(pool: Pool, ticket_ids: list[UUID]) -> dict[UUID, int]:
    """The human numbers (#1125) of these tickets; ids of no ticket are left out."""
    if not ticket_ids:
        return {}
    async with pool.acquire() as conn:
        return await store.ticket_numbers(conn, ticket_ids)
