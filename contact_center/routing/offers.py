"""Deciding offers: an agent accepts (the item is theirs) or rejects (it goes back), and a
supervisor assigns by hand. Locks follow the store's order: the ticket (for a ticket's
item, as a change by hand takes it), then item, offer, agent."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from contact_center import audit, live, tickets
from contact_center.audit import Actor
from contact_center.db import Conn, Pool, transaction
from contact_center.errors import Conflict, Forbidden
from contact_center.jobs.model import CALL_CONNECT_TASK
from contact_center.jobs.queue import enqueue_job
from contact_center.live import Event
from contact_center.routing import handover, offer_store, store
from contact_center.routing.items import release
from contact_center.routing.model import (
    DEFAULT_OPTIONS,
    Agent,
    Assignment,
    ItemKind,
    ItemState,
    Offer,
    OfferOutcome,
    RoutingOptions,
    WorkItem,
)


async def _lock_offer(conn: Conn, actor: Actor, offer_id: UUID) -> tuple[WorkItem, Offer]:
    found = await offer_store.lock_voice_offer(conn, offer_id)
    if found is None:  # a ticket's item (or no such offer): the ticket row is locked first
        ticket_id = await offer_store.ticket_of_offer(conn, offer_id)
        if ticket_id is not None:
            await tickets.lock_for_routing(conn, ticket_id)
        found = await offer_store.lock_offer(conn, offer_id)
    offer, item = found
    if offer.user_id != actor.user_id:
        raise Forbidden("this offer was made to someone else")
    return item, offer


def _closed(offer: Offer) -> Conflict:
    return Conflict(f"the offer is no longer open ({offer.outcome})", field="offer")


def _assignment(item: WorkItem, user_id: UUID) -> Assignment:
    return Assignment(
        item_id=item.id,
        kind=item.kind,
        ticket_id=item.ticket_id,
        call_id=item.call_id,
        callback_id=item.callback_id,
        customer_id=item.customer_id,
        user_id=user_id,
    )


async def _hand_over(
    conn: Conn,
    item: WorkItem,
    user_id: UUID,
    *,
    now: datetime,
    first: list[tuple[Event, dict[str, Any]]] | None = None,
    agent: Agent | None = None,
    options: RoutingOptions = DEFAULT_OPTIONS,
) -> Assignment:
    """The item becomes the agent's: state (unless the caller's `agent` says it is done),
    the ticket's assignee, the call's connection, the callback task's assignee; announced
    after the caller's `first` events."""
    if agent is None:
        await store.assign(conn, item.id, user_id, now=now)
        agent = await store.count_handled(conn, user_id, today=options.today(now))
    if item.ticket_id is not None:
        await tickets.assign_from_routing(conn, item.ticket_id, user_id, now=now)
    if item.kind is ItemKind.CALL and item.call_id is not None:
        await enqueue_job(conn, CALL_CONNECT_TASK, str(item.call_id))
    if item.kind is ItemKind.CALLBACK and item.callback_id is not None:
        await handover.callback_assigned(conn, item.callback_id, user_id, now=now)
    await live.publish_many(
        conn,
        [
            *(first or []),
            (Event.ITEM_ASSIGNED, _item_payload(item, user_id)),
            (Event.AGENT_UPDATED, agent.state()),
        ],
    )
    return _assignment(item, user_id)


def _item_payload(item: WorkItem, user_id: UUID) -> dict[str, Any]:
    return {
        "item_id": item.id,
        "kind": item.kind,
        "queue": item.queue,
        "user_id": user_id,
        "ticket_id": item.ticket_id,
        "call_id": item.call_id,
        "callback_id": item.callback_id,
        "customer_id": item.customer_id,
    }


async def accept_offer(
    pool: Pool,
    actor: Actor,
    offer_id: UUID,
    *,
    now: datetime,
    options: RoutingOptions = DEFAULT_OPTIONS,
) -> Assignment:
    """The agent takes the offered item: it is assigned to them (a ticket's assignee is set, a
    call is connected by the `call-connect` task queued in the same transaction).
    Accepting again answers the same while the item is still theirs (a retried click);
    Forbidden for someone else's offer, Conflict once it was decided otherwise."""
    async with transaction(pool) as conn:
        item, offer = await _lock_offer(conn, actor, offer_id)
        if offer.outcome is OfferOutcome.ACCEPTED and item.assigned_to == offer.user_id:
            return _assignment(item, offer.user_id)
        if offer.outcome is not OfferOutcome.PENDING:
            raise _closed(offer)
        agent = await offer_store.accept(conn, offer, now=now, today=options.today(now))
        accepted = {"offer_id": offer.id, "item_id": item.id, "user_id": offer.user_id}
        assignment = await _hand_over(
            conn,
            item,
            offer.user_id,
            now=now,
            first=[(Event.OFFER_ACCEPTED, accepted)],
            agent=agent,
        )
        await audit.record_change(
            conn,
            actor,
            "work_item",
            item.id,
            "accepted",
            after={"offer_id": offer.id, "user_id": offer.user_id},
            at=now,
        )
        return assignment


async def reject_offer(pool: Pool, actor: Actor, offer_id: UUID, *, now: datetime) -> None:
    """The agent passes: the item waits again (offered to others first) and the capacity the
    offer held is free. Rejecting again changes nothing."""
    async with transaction(pool) as conn:
        item, offer = await _lock_offer(conn, actor, offer_id)
        if offer.outcome is OfferOutcome.REJECTED:
            return
        if offer.outcome is not OfferOutcome.PENDING:
            raise _closed(offer)
        await offer_store.decide_offer(conn, offer.id, OfferOutcome.REJECTED, now=now)
        await store.set_item_state(conn, item.id, ItemState.WAITING)
        agent = await store.release_load(
            conn, offer.user_id, offer.workload, now=now, answered=True
        )
        await live.publish_many(
            conn,
            [
                (
                    Event.OFFER_REJECTED,
                    {"offer_id": offer.id, "item_id": item.id, "user_id": offer.user_id},
                ),
                (Event.AGENT_UPDATED, agent.state()),
            ],
        )
        await audit.record_change(
            conn, actor, "work_item", item.id, "rejected", after={"offer_id": offer.id}, at=now
        )
        await store.notify_dispatchers(conn)


async def assign_item(
    pool: Pool,
    actor: Actor,
    item_id: UUID,
    user_id: UUID,
    *,
    now: datetime,
    options: RoutingOptions = DEFAULT_OPTIONS,
) -> Assignment:
    """A supervisor gives a live item to an agent by hand: a pending offer is withdrawn, a
    previous agent's capacity freed. A call only while it waits or is offered (Conflict once
    assigned: it is being connected or talked on). The agent's capacity still holds
    (Conflict when they have no room for it)."""
    async with transaction(pool) as conn:
        ticket_id = await store.ticket_of_item(conn, item_id)
        if ticket_id is not None:
            await tickets.lock_for_routing(conn, ticket_id)
        item = await store.lock_item(conn, item_id)
        if item.state not in (ItemState.WAITING, ItemState.OFFERED, ItemState.ASSIGNED):
            raise Conflict("the item has ended", field="item_id")
        if item.state is ItemState.ASSIGNED and item.assigned_to == user_id:
            raise Conflict("the item is already this agent's", field="user_id")
        if item.kind is ItemKind.CALL and item.state is ItemState.ASSIGNED:
            # The call left the line: it is being connected to its agent or talked on.
            raise Conflict("the call is already connected to an agent", field="item_id")
        await store.ensure_agent(conn, user_id, now=now)
        previous, events = await release(conn, item, now=now)
        if not await store.reserve_load(conn, user_id, item.workload, now=now):
            raise Conflict("the agent has no free capacity for it", field="user_id")
        if previous is not None and previous.user_id != user_id:
            events.append((Event.AGENT_UPDATED, previous.state()))
        assignment = await _hand_over(conn, item, user_id, now=now, first=events, options=options)
        await audit.record_change(
            conn,
            actor,
            "work_item",
            item.id,
            "assigned",
            before={"user_id": item.assigned_to, "state": item.state},
            after={"user_id": user_id},
            at=now,
        )
        await store.notify_dispatchers(conn)
        return assignment
