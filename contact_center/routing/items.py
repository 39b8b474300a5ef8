"""Work items coming and going, inside the caller's transaction: a domain enqueues work
(a ticket, a call, a callback) and tells routing when it went away or was done."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any
from uuid import UUID

from contact_center import live
from contact_center.db import Conn
from contact_center.errors import Invalid, NotFound
from contact_center.live import Event
from contact_center.routing import offer_store, queue_store, store
from contact_center.routing.choice import rank_at
from contact_center.routing.model import (
    Agent,
    ItemKind,
    ItemRequest,
    ItemState,
    OfferOutcome,
    WorkItem,
)


def channel_of(request: ItemRequest) -> str:
    if request.kind is ItemKind.CALL:
        return "voice"
    if request.kind is ItemKind.CALLBACK:
        return "callback"
    return str(request.summary.get("channel", ""))


async def enqueue_item(conn: Conn, request: ItemRequest, *, now: datetime) -> UUID:
    """Put work in its queue for an agent, inside the caller's transaction; returns the item's
    id. Idempotent per live ticket, call or callback: a second request returns the live item.
    Publishes item.queued and wakes the dispatchers on commit."""
    subjects = (request.ticket_id, request.call_id, request.callback_id)
    if sum(s is not None for s in subjects) != 1:
        raise Invalid("a work item is for exactly one ticket, call or callback")
    skills = await queue_store.queue_skills(conn, request.queue)
    if skills is None:
        raise NotFound("no such queue", field="queue")
    item_id = await store.insert_item(
        conn,
        request,
        channel=channel_of(request),
        skills=skills,
        # A caller calling back soon after hanging up keeps the first call's place in line.
        now=request.waiting_since or now,
        rank_at=rank_at(
            request.priority, request.waiting_since or now, live=request.kind is ItemKind.CALL
        ),
    )
    if item_id is None:
        existing = await store.find_live_item(
            conn,
            ticket_id=request.ticket_id,
            call_id=request.call_id,
            callback_id=request.callback_id,
        )
        if existing is None:  # ended between the insert and the look-up: cannot, we hold it
            raise NotFound("work item vanished")
        return existing.id
    await live.publish(
        conn,
        Event.ITEM_QUEUED,
        {
            "item_id": item_id,
            "kind": request.kind,
            "queue": request.queue,
            "priority": request.priority,
            "ticket_id": request.ticket_id,
            "call_id": request.call_id,
            "callback_id": request.callback_id,
            "customer_id": request.customer_id,
        },
    )
    await store.notify_dispatchers(conn)
    return item_id


Events = list[tuple[Event, dict[str, Any]]]


async def release(conn: Conn, item: WorkItem, *, now: datetime) -> tuple[Agent | None, Events]:
    """Withdraw the item's pending offer or take it from its agent, freeing the capacity it
    held: the agent it was with (if any), after; and the events to announce."""
    if item.state is ItemState.OFFERED:
        offer = await offer_store.lock_pending_offer(conn, item.id)
        if offer is None:
            return None, []
        await offer_store.decide_offer(conn, offer.id, OfferOutcome.WITHDRAWN, now=now)
        agent = await store.release_load(conn, offer.user_id, offer.workload, now=now)
        withdrawn = {"offer_id": offer.id, "item_id": item.id, "user_id": offer.user_id}
        return agent, [(Event.OFFER_WITHDRAWN, withdrawn)]
    if item.state is ItemState.ASSIGNED and item.assigned_to is not None:
        return await store.release_load(conn, item.assigned_to, item.workload, now=now), []
    return None, []


async def requeue_call(conn: Conn, *, call_id: UUID, reason: str, now: datetime) -> bool:
    """The agent who took the call could not be reached (the connection failed, their phone
    did not answer): inside the caller's transaction the item waits again in its place, their
    capacity is freed, and their acceptance counts as declined so they are not preferred and
    are tried last for this call. False when the call had no assigned item."""
    item = await store.find_live_item(
        conn, ticket_id=None, call_id=call_id, callback_id=None, lock=True
    )
    if item is None or item.state is not ItemState.ASSIGNED or item.assigned_to is None:
        return False
    agent, events = await release(conn, item, now=now)
    await offer_store.unassign(conn, item.id, now=now)
    events.append(
        (
            Event.ITEM_QUEUED,
            {
                "item_id": item.id,
                "kind": item.kind,
                "queue": item.queue,
                "priority": item.priority,
                "call_id": call_id,
                "customer_id": item.customer_id,
                "reason": reason,
            },
        )
    )
    if agent is not None:
        events.append((Event.AGENT_UPDATED, agent.state()))
    await live.publish_many(conn, events)
    await store.notify_dispatchers(conn)
    return True


async def _end(
    conn: Conn,
    state: ItemState,
    reason: str,
    *,
    ticket_id: UUID | None,
    call_id: UUID | None,
    callback_id: UUID | None,
    now: datetime,
) -> UUID | None:
    item = await store.find_live_item(
        conn, ticket_id=ticket_id, call_id=call_id, callback_id=callback_id, lock=True
    )
    if item is None:
        return None
    agent, events = await release(conn, item, now=now)
    await store.end_item(conn, item.id, state, reason, now=now)
    ended = {
        "item_id": item.id,
        "kind": item.kind,
        "queue": item.queue,
        "state": state,
        "reason": reason,
        "ticket_id": item.ticket_id,
        "call_id": item.call_id,
        "callback_id": item.callback_id,
        "user_id": agent.user_id if agent is not None else None,
    }
    events.append((Event.ITEM_ENDED, ended))
    if agent is not None:
        events.append((Event.AGENT_UPDATED, agent.state()))
        await store.notify_dispatchers(conn)
    await live.publish_many(conn, events)
    return item.id


async def cancel_item(
    conn: Conn,
    *,
    ticket_id: UUID | None = None,
    call_id: UUID | None = None,
    callback_id: UUID | None = None,
    reason: str,
    now: datetime,
) -> UUID | None:
    """The work went away (the caller hung up while waiting — reason "abandoned" —, the
    ticket was assigned by hand or closed): withdraws a pending offer, frees the capacity of an
    assigned agent. Inside the caller's transaction; the cancelled item's id, or None when the
    subject had no live item."""
    return await _end(
        conn,
        ItemState.CANCELLED,
        reason,
        ticket_id=ticket_id,
        call_id=call_id,
        callback_id=callback_id,
        now=now,
    )


async def finish_item(
    conn: Conn,
    *,
    ticket_id: UUID | None = None,
    call_id: UUID | None = None,
    callback_id: UUID | None = None,
    now: datetime,
) -> UUID | None:
    """The work is done (call completed, ticket resolved, callback done): frees the agent's
    capacity. Inside the caller's transaction; the item's id, or None without a live item."""
    return await _end(
        conn,
        ItemState.DONE,
        "done",
        ticket_id=ticket_id,
        call_id=call_id,
        callback_id=callback_id,
        now=now,
    )


async def requeue_item(
    conn: Conn, request: ItemRequest, *, reason: str, now: datetime
) -> UUID | None:
    """The subject's queue, priority or kind changed while its item waits (or is offered):
    the item is cancelled (a pending offer withdrawn) and a new one made from `request`,
    keeping its place in line (enqueued when the old one was). An item already assigned is
    left alone. Inside the caller's transaction; the new item's id, or None."""
    subject = {
        "ticket_id": request.ticket_id,
        "call_id": request.call_id,
        "callback_id": request.callback_id,
    }
    item = await store.find_live_item(conn, **subject, lock=True)
    if item is None or item.state is ItemState.ASSIGNED:
        return None
    await _end(conn, ItemState.CANCELLED, reason, **subject, now=now)
    since = request.waiting_since or item.enqueued_at
    return await enqueue_item(conn, replace(request, waiting_since=since), now=now)


async def assignee_of(conn: Conn, *, call_id: UUID) -> UUID | None:
    """The agent a live call item is assigned to (the one who accepted it), else None; what
    the `call-connect` task dials."""
    item = await store.find_live_item(conn, ticket_id=None, call_id=call_id, callback_id=None)
    if item is None or item.state is not ItemState.ASSIGNED:
        return None
    return item.assigned_to
