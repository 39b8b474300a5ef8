"""The routing runner: dispatch and offer expiry, woken by NOTIFY and by a one-second tick.

Any number of processes may run it (worker and serve do): rounds take their rows with SKIP
LOCKED, so runners share the work instead of competing for it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from typing import Any

from contact_center.config import Settings
from contact_center.db import Pool
from contact_center.db.pool import connection_lost
from contact_center.routing import store
from contact_center.routing.dispatch import dispatch, expire_offers
from contact_center.routing.model import RoutingOptions
from contact_center.timeutil import utc_now
from contact_center.wakeups import wait_any

log = logging.getLogger(__name__)
TICK_SECONDS = 1.0
RESTART_SECONDS = 2.0
MAX_ROUNDS = 50  # back-to-back dispatch rounds before the runner looks at the clock again


def options_from(settings: Settings) -> RoutingOptions:
    return RoutingOptions(
        voice_offer_seconds=settings.routing_voice_offer_seconds,
        messaging_offer_seconds=settings.routing_messaging_offer_seconds,
        missed_offers_away=settings.routing_missed_offers_away,
        site_timezone=settings.site_timezone,
    )


async def run_rounds(
    pool: Pool, options: RoutingOptions, *, clock: Callable[[], datetime] = utc_now
) -> int:
    """Expire due offers, then dispatch until a round makes no offer; the offers made."""
    await expire_offers(pool, now=clock(), options=options)
    made = 0
    for _ in range(MAX_ROUNDS):
        offered = await dispatch(pool, now=clock(), options=options)
        made += offered
        if offered == 0:
            break
    return made


async def run_routing(
    pool: Pool,
    options: RoutingOptions,
    stop: asyncio.Event,
    *,
    tick: float = TICK_SECONDS,
    clock: Callable[[], datetime] = utc_now,
) -> None:
    """Run rounds until `stop` is set; a lost database connection pauses and starts again."""
    wake = asyncio.Event()

    def notified(*_args: Any) -> None:
        wake.set()

    while not stop.is_set():
        try:
            async with pool.acquire() as listening:
                await listening.add_listener(store.NOTIFY_CHANNEL, notified)
                try:
                    while not stop.is_set():
                        wake.clear()
                        await run_rounds(pool, options, clock=clock)
                        await wait_any(wake, stop, seconds=tick)
                finally:
                    with contextlib.suppress(Exception):
                        await listening.remove_listener(store.NOTIFY_CHANNEL, notified)
        except Exception as exc:
            if not connection_lost(exc):
                log.exception("routing round failed; starting again in %s s", RESTART_SECONDS)
            else:
                log.warning("routing paused, database unavailable: %s", exc)
            await wait_any(stop, seconds=RESTART_SECONDS)


@contextlib.asynccontextmanager
async def routing_running(
    pool: Pool, options: RoutingOptions, *, tick: float = TICK_SECONDS
) -> AsyncIterator[None]:
    """The runner in the background while the block runs (worker, serve and tests)."""
    stop = asyncio.Event()
    task = asyncio.create_task(run_routing(pool, options, stop, tick=tick))
    try:
        yield
    finally:
        stop.set()
        try:
            await asyncio.wait_for(task, 10)
        except (TimeoutError, asyncio.CancelledError):
            log.warning("routing runner did not stop within 10 s; cancelled")
