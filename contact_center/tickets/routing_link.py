"""Tickets meet routing: an unassigned SMS or email ticket waits for an agent as a work item,
an accepted offer makes the agent its assignee, and a resolved, closed or hand-assigned
ticket leaves the line. A ticket unassigned (or reopened unassigned) waits again; a waiting
ticket whose queue, priority or kind changes by hand is queued again where it stood."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from contact_center import audit, customers, live, routing
from contact_center.audit import Actor
from contact_center.db import Conn
from contact_center.live import Event
from contact_center.routing import ItemKind, ItemRequest
from contact_center.tickets import store
from contact_center.tickets.model import Channel, Kind, Status, Ticket

ROUTING_ACTOR = Actor.system("routing")
ROUTED_CHANNELS = (Channel.SMS, Channel.EMAIL)  # calls are enqueued by the voice work
FINISHED = (Status.RESOLVED, Status.CLOSED)


async def last_agent_for(conn: Conn, customer_id: UUID) -> UUID | None:
    """The customer's most recent assignee (of the ticket with the latest message)."""
    return await store.last_assignee(conn, customer_id)


def routed(ticket: Ticket) -> bool:
    """An SMS or email ticket that is active and has nobody: routing finds it an agent."""
    return (
        ticket.channel in ROUTED_CHANNELS
        and ticket.assignee_id is None
        and ticket.status not in FINISHED
    )


async def _request(conn: Conn, ticket: Ticket, customer_name: str | None) -> ItemRequest:
    account = await customers.account_of(conn, ticket.customer_id)
    last = await last_agent_for(conn, ticket.customer_id)
    if customer_name is None:
        customer_name = (await customers.load_customer(conn, ticket.customer_id)).name
    return ItemRequest(
        kind=ItemKind.TICKET,
        queue=ticket.queue,
        priority=ticket.priority,
        ticket_id=ticket.id,
        customer_id=ticket.customer_id,
        key_account=account.key_account,
        complaint=ticket.kind is Kind.COMPLAINT,
        preferred_agent_ids=routing.preferred_agents(account.account_manager_id, last),
        summary={
            "channel": str(ticket.channel),
            "customer_name": customer_name,
            "tier": account.tier,
            "key_account": account.key_account,
            "subject": ticket.subject,
            "ticket_number": ticket.number,
        },
    )


async def route_ticket(
    conn: Conn, ticket: Ticket, *, customer_name: str | None = None, now: datetime
) -> None:
    """Enqueue an unassigned, active SMS or email ticket for an agent (idempotent while its
    item lives). Preferred agents: `routing.preferred_agents`."""
    if routed(ticket):
        await routing.enqueue_item(conn, await _request(conn, ticket, customer_name), now=now)


def _line_fields(ticket: Ticket) -> tuple[object, ...]:
    """What a waiting item was made from that a hand may change."""
    return (ticket.queue, ticket.priority, ticket.kind)


async def after_update(conn: Conn, before: Ticket, after: Ticket, *, now: datetime) -> None:
    """A ticket changed by hand (its row locked by the caller, before any routing row):
    resolved or closed finishes its item; given to someone by hand cancels the waiting item
    (or takes it from the agent it was routed to); unassigned or reopened without anyone, it
    waits again (the previous agent's slot freed); a new queue, priority or kind re-queues a
    waiting item in its place."""
    if after.status in FINISHED:
        if before.status not in FINISHED:
            await routing.finish_item(conn, ticket_id=after.id, now=now)
    elif after.assignee_id != before.assignee_id:
        reason = "assigned by hand" if after.assignee_id is not None else "unassigned"
        await routing.cancel_item(conn, ticket_id=after.id, reason=reason, now=now)
        await route_ticket(conn, after, now=now)
    elif before.status in FINISHED:
        await route_ticket(conn, after, now=now)
    elif routed(after) and _line_fields(after) != _line_fields(before):
        request = await _request(conn, after, None)
        if await routing.requeue_item(conn, request, reason="changed", now=now) is None:
            await routing.enqueue_item(conn, request, now=now)


async def lock_for_routing(conn: Conn, ticket_id: UUID) -> None:
    """Routing is about to hand this ticket's work item over: lock the ticket row first, as a
    change by hand does (ticket, then its work item), so the two cannot deadlock."""
    await store.lock_ticket(conn, ticket_id)


async def assign_from_routing(conn: Conn, ticket_id: UUID, user_id: UUID, *, now: datetime) -> None:
    """Routing gave the ticket to this agent (an accepted offer or a supervisor's
    assignment): set the assignee inside routing's transaction; audited and announced."""
    previous = await store.set_assignee(conn, ticket_id, user_id, at=now)
    if previous == user_id:
        return
    await audit.record_change(
        conn,
        ROUTING_ACTOR,
        "ticket",
        ticket_id,
        "updated",
        before={"assignee_id": previous},
        after={"assignee_id": user_id},
        at=now,
    )
    await live.publish(
        conn,
        Event.TICKET_ASSIGNED,
        {"ticket_id": ticket_id, "assignee_id": user_id, "previous_assignee_id": previous},
    )
