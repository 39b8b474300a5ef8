"""Many waiting ticket items queued again at once with new priorities (a batch of missed
deadlines raised them), in a constant number of statements."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from contact_center import live
from contact_center.db import Conn
from contact_center.live import Event
from contact_center.routing import requeue_store, store
from contact_center.routing.choice import rank_at
from contact_center.routing.model import ItemState, Priority


async def requeue_waiting_tickets(
    conn: Conn, priorities: dict[UUID, Priority], *, reason: str, now: datetime
) -> set[UUID]:
    """`requeue_item` for the tickets whose item waits (no offer): each cancelled and made
    again with its new priority, keeping its enqueue time. Inside the caller's transaction,
    which holds the tickets' rows (routing's lock order: ticket, then item). The ticket ids
    handled; the caller requeues the others (offered, or without an item) one at a time."""
    if not priorities:
        return set()
    cancelled = await requeue_store.cancel_waiting(conn, list(priorities), reason=reason, now=now)
    if not cancelled:
        return set()
    again = await requeue_store.insert_again(
        conn,
        [
            (
                row["id"],
                str(priorities[row["ticket_id"]]),
                rank_at(priorities[row["ticket_id"]], row["enqueued_at"]),
            )
            for row in cancelled
        ],
    )
    events = [
        (
            Event.ITEM_ENDED,
            {
                "item_id": row["id"],
                "kind": row["kind"],
                "queue": row["queue"],
                "state": ItemState.CANCELLED,
                "reason": reason,
                "ticket_id": row["ticket_id"],
                "call_id": None,
                "callback_id": None,
                "user_id": None,
            },
        )
        for row in cancelled
    ] + [
        (
            Event.ITEM_QUEUED,
            {
                "item_id": row["id"],
                "kind": row["kind"],
                "queue": row["queue"],
                "priority": row["priority"],
                "ticket_id": row["ticket_id"],
                "call_id": None,
                "callback_id": None,
                "customer_id": row["customer_id"],
            },
        )
        for row in again
    ]
    await live.publish_many(conn, events)
    await store.notify_dispatchers(conn)
    return {row["ticket_id"] for row in again}
