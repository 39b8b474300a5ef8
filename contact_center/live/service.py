"""Reading the event log for a resuming browser, and keeping it to its retention."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from contact_center.db import Pool, transaction
from contact_center.live import store
from contact_center.live.model import LiveEvent

REPLAY_LIMIT = 5000  # more missed than this, and reloading the view is cheaper than replaying


@dataclass(frozen=True)
class Missed:
    """What a browser that saw events up to some id missed: the events, or `gap` when they
    are no longer all kept (pruned, too many, or an id this log never reached)."""

    events: list[LiveEvent]
    gap: bool = False


async def read_missed(pool: Pool, *, after: int, upto: int) -> Missed:
    """The events with after < id <= upto, in order (`upto` is the hub's position, so every id
    below it is settled: no later commit can add one).

    A browser may be ahead of this process: it saw `after` through another web process whose
    listener got there first. If the log holds that id, nothing is missed (the stream skips
    what it already sent); an id the log never reached is a gap.
    """
    if after >= upto:
        if after == upto:
            return Missed([])
        async with pool.acquire() as conn:
            return Missed([], gap=after > await store.latest_id(conn))
    async with pool.acquire() as conn:
        if after < await store.pruned_through(conn):
            return Missed([], gap=True)
        events = await store.list_events_between(conn, after, upto, limit=REPLAY_LIMIT + 1)
    if len(events) > REPLAY_LIMIT:
        return Missed([], gap=True)
    return Missed(events)


async def prune_events(pool: Pool, *, now: datetime, retention: timedelta) -> int:
    """Delete events older than the retention; the number deleted."""
    async with transaction(pool) as conn:
        return await store.delete_events_before(conn, now - retention)
