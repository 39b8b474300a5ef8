"""Who gets what: the pure routing decisions (values in, values out, `now` passed in).

Order of items: live calls first (the caller is on the line); then a priority gives a head start
in time (`rank_at`), so a key account's item goes before a complaint and a complaint before the
rest, yet an older item overtakes a newer one of a higher priority once it has waited longer
than the difference: nothing starves.
Choice of agent: the item's preferred agents (account manager, last agent) when they can take
it, else the agents of the queue with its skills and free capacity, chosen by the queue's
strategy. Past the queue's step time the skill requirement is dropped, past twice that the
overflow queue's agents join.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from contact_center.routing.model import (
    Agent,
    ItemKind,
    ItemState,
    Presence,
    Priority,
    Queue,
    Strategy,
    WorkItem,
    Workload,
)

HEAD_START = {
    Priority.URGENT: timedelta(minutes=30),
    Priority.HIGH: timedelta(minutes=10),
    Priority.NORMAL: timedelta(0),
    Priority.LOW: timedelta(minutes=-10),
}
# A caller is holding the line: a live call goes before every queued ticket and callback,
# however old (a call leaves the line within its queue's wait limit, so the rest only waits).
LIVE_HEAD_START = timedelta(days=3650)
MAX_WIDENED = 2


def rank_at(priority: Priority, enqueued_at: datetime, *, live: bool = False) -> datetime:
    """The time an item counts as enqueued for ordering: earlier is served first."""
    return enqueued_at - HEAD_START[priority] - (LIVE_HEAD_START if live else timedelta(0))


def rank_items(items: Iterable[WorkItem]) -> list[WorkItem]:
    """Items in the order they are served: by head-started time, then enqueue time, then id
    (so that every process agrees on the order)."""
    return sorted(
        items,
        key=lambda i: (
            rank_at(i.priority, i.enqueued_at, live=i.kind is ItemKind.CALL),
            i.enqueued_at,
            i.id,
        ),
    )


def widen_level(item: WorkItem, queue: Queue | None, now: datetime) -> int:
    """0: the queue's agents with the skills; 1: any of the queue's agents; 2: the overflow
    queue's agents too. One step per `step_seconds` waited."""
    if queue is None:
        return MAX_WIDENED
    waited = (now - item.enqueued_at).total_seconds()
    return max(item.widened, min(MAX_WIDENED, math.floor(waited / queue.step_seconds)))


def eligible(agent: Agent, item: WorkItem, level: int, queue: Queue | None) -> bool:
    """Whether the agent may be offered the item at this widening level (capacity aside)."""
    if agent.works(item.queue):
        return level >= 1 or set(item.skills) <= set(agent.skills)
    overflow = queue.overflow_queue if queue is not None else None
    return level >= MAX_WIDENED and overflow is not None and agent.works(overflow)


def can_take(agent: Agent, workload: Workload) -> bool:
    return agent.presence is Presence.AVAILABLE and agent.free(workload) > 0


def strategy_key(strategy: Strategy, agent: Agent, workload: Workload) -> tuple[float, ...]:
    """Smaller is chosen first. Longest idle also spreads messaging work: the least loaded
    agent first, and among equally loaded ones the longest idle."""
    if strategy is Strategy.ROUND_ROBIN:
        last = agent.last_offered_at
        return (last.timestamp() if last is not None else -math.inf,)
    if strategy is Strategy.FEWEST_TODAY:
        return (float(agent.handled_today), agent.idle_since.timestamp())
    load = agent.voice_load if workload is Workload.VOICE else agent.messaging_load
    return (float(load), agent.idle_since.timestamp())


@dataclass(frozen=True)
class Choice:
    user_id: UUID
    reason: str  # preferred, strategy, widened


def choose_agent(
    item: WorkItem, agents: Iterable[Agent], *, queue: Queue | None, now: datetime
) -> Choice | None:
    """The agent to offer `item` to, or None when nobody may take it now."""
    workload = item.workload
    able = {a.user_id: a for a in agents if can_take(a, workload)}
    for preferred in item.preferred_agent_ids:
        if preferred in able and preferred not in item.declined_by:
            return Choice(preferred, "preferred")
    level = widen_level(item, queue, now)
    candidates = [a for a in able.values() if eligible(a, item, level, queue)]
    if not candidates:
        return None
    strategy = queue.strategy if queue is not None else Strategy.LONGEST_IDLE
    best = min(
        candidates,
        key=lambda a: (
            a.user_id in item.declined_by,
            strategy_key(strategy, a, workload),
            str(a.user_id),
        ),
    )
    strict = eligible(best, item, 0, queue)
    return Choice(best.user_id, "strategy" if strict else "widened")


@dataclass(frozen=True)
class Match:
    item_id: UUID
    user_id: UUID
    reason: str


def match(
    items: Iterable[WorkItem],
    agents: Iterable[Agent],
    queues: Mapping[str, Queue],
    *,
    now: datetime,
) -> list[Match]:
    """Offers for one dispatch round: items in rank order, each to the agent `choose_agent`
    would choose among those not yet offered anything this round (an agent gets at most one
    new offer, an item at most one agent).

    The same choice, made faster: agents are sorted once per strategy and workload (their
    keys do not change within a round), and each item takes the first eligible one still free.
    """
    free = {a.user_id: a for a in agents}
    orders: dict[tuple[Strategy, Workload], list[Agent]] = {}
    matches: list[Match] = []
    for item in rank_items(i for i in items if i.state is ItemState.WAITING):
        if not free:
            break
        queue = queues.get(item.queue)
        strategy = queue.strategy if queue is not None else Strategy.LONGEST_IDLE
        key = (strategy, item.workload)
        if key not in orders:
            orders[key] = sorted(
                (a for a in free.values() if can_take(a, item.workload)),
                key=lambda a: (strategy_key(strategy, a, item.workload), str(a.user_id)),
            )
        chosen = _first_free(item, free, orders[key], queue=queue, now=now)
        if chosen is not None:
            matches.append(Match(item.id, chosen.user_id, chosen.reason))
            del free[chosen.user_id]
    return matches


def _first_free(
    item: WorkItem,
    free: Mapping[UUID, Agent],
    ordered: list[Agent],
    *,
    queue: Queue | None,
    now: datetime,
) -> Choice | None:
    for preferred in item.preferred_agent_ids:
        agent = free.get(preferred)
        if agent is not None and can_take(agent, item.workload):
            if preferred not in item.declined_by:
                return Choice(preferred, "preferred")
    level = widen_level(item, queue, now)
    for declined in (False, True):  # those who let the item go before, last
        for agent in ordered:
            if (
                agent.user_id in free
                and (agent.user_id in item.declined_by) is declined
                and eligible(agent, item, level, queue)
            ):
                strict = eligible(agent, item, 0, queue)
                return Choice(agent.user_id, "strategy" if strict else "widened")
    return None
