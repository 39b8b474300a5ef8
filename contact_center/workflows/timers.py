"""The timers loop: fires clocks' warnings and breaches as they fall due.

It sleeps until the soonest fire time (at most `longest_sleep`), and a NOTIFY on
`clock_timers` (sent on commit when a clock starts or resumes) wakes it early. Any number of
processes may run it (worker and serve do): batches claim their clocks with SKIP LOCKED and the
event log fires each warning and breach once. At start it fires whatever fell due while no
loop ran.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from typing import Any

from contact_center.db import Pool
from contact_center.db.pool import connection_lost
from contact_center.timeutil import utc_now
from contact_center.wakeups import wait_any
from contact_center.workflows import deadline_service
from contact_center.workflows.clock_store import NOTIFY_CHANNEL

log = logging.getLogger(__name__)
LONGEST_SLEEP = 1.0
# Batches fired side by side by one loop: a breach's escalation is round trips to the
# database, so a backlog (a start after downtime, a burst of deadlines) clears faster in
# parallel; with little due, the extra claims find nothing.
PARALLEL = 4
# Connections the loop holds at most: its batches and its LISTEN connection. The process's pool
# must leave room beyond them (`cli`: worker and serve size their pools from this).
CONNECTIONS = PARALLEL + 1
# After a round that fired nothing, the loop sleeps at least this long even if a clock is due:
# a due ticket another transaction holds (skipped by the claim) would otherwise spin the loop.
SHORTEST_SLEEP = 0.2
RESTART_SECONDS = 2.0


async def run_timers(
    pool: Pool,
    stop: asyncio.Event,
    *,
    longest_sleep: float = LONGEST_SLEEP,
    batch: int = deadline_service.BATCH,
    clock: Callable[[], datetime] = utc_now,
) -> None:
    """Fire due clocks until `stop` is set; a lost database connection pauses and starts
    again; a failed batch is logged and tried again."""
    wake = asyncio.Event()

    def notified(*_args: Any) -> None:
        wake.set()

    while not stop.is_set():
        try:
            async with pool.acquire() as listening:
                await listening.add_listener(NOTIFY_CHANNEL, notified)
                try:
                    while not stop.is_set():
                        wake.clear()
                        now = clock()
                        rounds = await asyncio.gather(
                            *(
                                deadline_service.fire_due(pool, now=now, limit=batch)
                                for _ in range(PARALLEL)
                            )
                        )
                        if any(fired.claimed >= batch for fired in rounds):
                            continue  # more are due: no sleep
                        idle = not any(fired.claimed for fired in rounds)
                        seconds = await _sleep_for(pool, clock, longest_sleep)
                        if idle:
                            seconds = max(seconds, min(SHORTEST_SLEEP, longest_sleep))
                        await wait_any(wake, stop, seconds=seconds)
                finally:
                    with contextlib.suppress(Exception):
                        await listening.remove_listener(NOTIFY_CHANNEL, notified)
        except Exception as exc:
            if connection_lost(exc):
                log.warning("timers paused, database unavailable: %s", exc)
            else:
                log.warning(
                    "timers round failed (%s); starting again in %s s", exc, RESTART_SECONDS
                )
            await wait_any(stop, seconds=RESTART_SECONDS)


async def _sleep_for(pool: Pool, clock: Callable[[], datetime], longest: float) -> float:
    soonest = await deadline_service.next_fire_at(pool)
    if soonest is None:
        return longest
    return max(0.0, min(longest, (soonest - clock()).total_seconds()))


@contextlib.asynccontextmanager
async def timers_running(
    pool: Pool, *, longest_sleep: float = LONGEST_SLEEP, batch: int = deadline_service.BATCH
) -> AsyncIterator[None]:
    """The timers loop in the background while the block runs (worker, serve and tests)."""
    stop = asyncio.Event()
    task = asyncio.create_task(run_timers(pool, stop, longest_sleep=longest_sleep, batch=batch))
    try:
        yield
    finally:
        stop.set()
        try:
            await asyncio.wait_for(task, 10)
        except (TimeoutError, asyncio.CancelledError):
            log.warning("timers loop did not stop within 10 s; cancelled")
