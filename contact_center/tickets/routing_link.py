"""Tickets meet routing: an unassigned SMS or email ticket waits for an agent as a work item,
an accepted offer makes the agent its assignee, and a resolved, closed or hand-assigned
ticket leaves the line."""

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


async def route_ticket(conn: Conn, ticket: Ticket, *, customer_name: str, now: datetime) -> None:
    """Enqueue an unassigned, active SMS or email ticket for an agent (idempotent while its
    item lives). Preferred agents: the account manager, then the customer's last agent."""
    if ticket.channel not in ROUTED_CHANNELS or ticket.assignee_id is not None:
        return
    if ticket.status in FINISHED:
        return
    account = await customers.account_of(conn, ticket.customer_id)
    last = await last_agent_for(conn, ticket.customer_id)
    preferred = tuple(dict.fromkeys(a for a in (account.account_manager_id, last) if a is not None))
    await routing.enqueue_item(
        conn,
        ItemRequest(
            kind=ItemKind.TICKET,
            queue=ticket.queue,
            priority=ticket.priority,
            ticket_id=ticket.id,
            customer_id=ticket.customer_id,
            key_account=account.key_account,
            complaint=ticket.kind is Kind.COMPLAINT,
            preferred_agent_ids=preferred,
            summary={
                "channel": str(ticket.channel),
                "customer_name": customer_name,
                "tier": account.tier,
                "key_account": account.key_account,
                "subject": ticket.subject,
                "ticket_number": ticket.number,
            },
        ),
        now=now,
    )


async def after_update(conn: Conn, before: Ticket, after: Ticket, *, now: datetime) -> None:
    """A ticket changed by hand: resolved or closed finishes its item; given to someone by
    hand cancels the waiting item (or takes it from the agent it was routed to)."""
    if after.status in FINISHED and before.status not in FINISHED:
        await routing.finish_item(conn, ticket_id=after.id, now=now)
    elif after.assignee_id is not None and after.assignee_id != before.assignee_id:
        await routing.cancel_item(conn, ticket_id=after.id, reason="assigned by hand", now=now)


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
