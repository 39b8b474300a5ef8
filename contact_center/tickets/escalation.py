"""Many tickets changed by the system at once, inside the caller's transaction: a batch of
missed deadlines raises their priorities and notes the misses, in a constant number of
statements instead of one `update_ticket_in` per ticket.

The caller holds the tickets' rows (and their clocks): routing's rows are locked after them,
in the order every path takes (ticket, clocks, work item, offer, agent).
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from uuid import UUID

from contact_center import audit, live, routing
from contact_center.audit import Actor
from contact_center.db import Conn
from contact_center.live import Event
from contact_center.routing.model import Priority
from contact_center.tickets import escalation_store, routing_link
from contact_center.tickets.store import ticket_from_row


async def set_priorities_in(
    conn: Conn, actor: Actor, changes: dict[UUID, tuple[Priority, Priority]], *, now: datetime
) -> None:
    """Set each ticket's priority (ticket id → (before, after)) as `update_ticket_in` would:
    audited, `ticket.updated` published, a waiting work item queued again in its new place
    (set-based for items that wait; an offered item, or a routed ticket without one, one at a
    time as a change by hand does)."""
    rows = await escalation_store.set_priorities(
        conn, [(i, str(after)) for i, (before, after) in changes.items() if before != after], at=now
    )
    if not rows:
        return
    afters = [ticket_from_row(r) for r in rows]
    await audit.record_changes(
        conn,
        actor,
        "ticket",
        [(t.id, "updated", {"priority": str(t.priority)}) for t in afters],
        befores=[{"priority": str(changes[t.id][0])} for t in afters],
        at=now,
    )
    await live.publish_many(
        conn,
        [
            (Event.TICKET_UPDATED, {"ticket_id": t.id, "changes": {"priority": t.priority}})
            for t in afters
        ],
    )
    routed = [t for t in afters if routing_link.routed(t)]
    done = await routing.requeue_waiting_tickets(
        conn, {t.id: t.priority for t in routed}, reason="changed", now=now
    )
    for after in routed:
        if after.id not in done:
            before = dataclasses.replace(after, priority=changes[after.id][0])
            await routing_link.after_update(conn, before, after, now=now)


async def add_system_notes(conn: Conn, notes: list[tuple[UUID, str]], *, now: datetime) -> None:
    """`add_system_note` for many tickets (ticket id, text) in one statement."""
    written = await escalation_store.insert_notes(conn, notes, at=now)
    await live.publish_many(
        conn,
        [
            (Event.NOTE_ADDED, {"ticket_id": ticket_id, "message_id": message_id})
            for message_id, ticket_id in written
        ],
    )
