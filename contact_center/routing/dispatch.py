"""Dispatch rounds: waiting items meet available agents (offers), offers that ran out go back.

Each round is one short transaction that takes the free agents, then the head of the waiting
line among the items they could serve, both with FOR UPDATE SKIP LOCKED, so any number of
processes dispatch side by side without waiting on each other and never hand one item or one
agent to two offers.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from contact_center import live
from contact_center.db import Pool, transaction
from contact_center.live import Event
from contact_center.routing import offer_store, queue_store, store
from contact_center.routing.choice import match, widen_level
from contact_center.routing.model import DEFAULT_OPTIONS, RoutingOptions

AWAY_REASON = "missed offers"


async def dispatch(pool: Pool, *, now: datetime, options: RoutingOptions = DEFAULT_OPTIONS) -> int:
    """Make offers for waiting items to available agents; the number of offers made."""
    async with transaction(pool) as conn:
        # Free agents first, then the items they could take: the oldest items of a line
        # nobody free can serve do not crowd out the rest.
        agents = await store.claim_agents(conn, today=options.today(now), limit=options.batch * 2)
        if not agents:
            return 0
        items = await store.claim_items(conn, limit=options.batch, agents=agents, now=now)
        if not items:
            return 0
        queues = {q.name: q for q in await queue_store.list_queues(conn)}
        by_id = {i.id: i for i in items}
        pairs = []
        for m in match(items, agents, queues, now=now):
            item = by_id[m.item_id]
            pairs.append(
                (
                    m.item_id,
                    m.user_id,
                    item.workload,
                    m.reason,
                    now + options.offer_timeout(item.workload),
                    widen_level(item, queues.get(item.queue), now),
                )
            )
        offers = await offer_store.make_offers(conn, pairs, now=now)
        events: list[tuple[Event, dict[str, Any]]] = []
        for offer in offers:
            item = by_id[offer.item_id]
            events.append(
                (
                    Event.OFFER_MADE,
                    {
                        "offer_id": offer.id,
                        "item_id": offer.item_id,
                        "user_id": offer.user_id,
                        "kind": item.kind,
                        "queue": item.queue,
                        "ticket_id": item.ticket_id,
                        "call_id": item.call_id,
                        "callback_id": item.callback_id,
                        "customer_id": item.customer_id,
                        "expires_at": offer.expires_at,
                        "reason": offer.reason,
                    },
                )
            )
        await live.publish_many(conn, events)
        return len(offers)


async def expire_offers(
    pool: Pool, *, now: datetime, options: RoutingOptions = DEFAULT_OPTIONS
) -> int:
    """Offers past their time go back to waiting and count as missed for their agents; an
    agent who misses `missed_offers_away` in a row is set away. The number expired."""
    async with transaction(pool) as conn:
        expired = await offer_store.expire_offers(conn, now=now, limit=options.batch)
        if not expired:
            return 0
        agents = await store.miss_offers(
            conn,
            expired,
            now=now,
            away_after=options.missed_offers_away,
            away_reason=AWAY_REASON,
        )
        events: list[tuple[Event, dict[str, Any]]] = [
            (
                Event.OFFER_EXPIRED,
                {"offer_id": o.id, "item_id": o.item_id, "user_id": o.user_id},
            )
            for o in expired
        ]
        for user_id, _presence in agents:
            agent = await store.get_agent(conn, user_id, today=options.today(now))
            events.append((Event.AGENT_UPDATED, agent.state()))
        await live.publish_many(conn, events)
        await store.notify_dispatchers(conn)
        return len(expired)
