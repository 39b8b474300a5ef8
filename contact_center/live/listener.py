"""One listener per web process: a dedicated connection LISTENs on `cc_events` and hands the
new rows of the event log, in id order, to the process's hub.

Ordering: ids come from a sequence when each row is inserted, but transactions commit in their
own order (A takes 5, B takes 6 and commits first). Reading `id > last` right after B's
notification would show 6 and not 5, and moving `last` to 6 would lose 5 for good. So the
listener delivers only an unbroken run of ids and holds back at the first missing one until it
is settled: it appears (A commits and notifies), or its publisher is provably gone, which is
what the in-flight lock of `store.PUBLISH` tells, and a short grace has passed (covering the
instant between taking the id and taking the lock in the same statement). An id that vanishes
with a rollback is then skipped. Unlike a grace alone, a slow transaction is never overtaken;
unlike serialising publishers on one lock, concurrent writers never wait for each other.

A held gap is logged (WARNING) once it has lasted `stall_warning` seconds and then every
`stall_repeat` seconds: a publisher idle in an open transaction holds every later event back.

Starting: the first connection starts at the log's end. An id taken by a transaction still open
at that instant is below the end and is not delivered live by this process (it stays in the log
for any resume that asks from before it); a window below the end was tried and let a process's
first streams receive events older than their start, so it is not done.

If the connection drops, the listener reconnects with capped exponential back-off and catches up
from the last id it delivered, so subscribers miss nothing the log still holds.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any

import asyncpg

from contact_center.db.pool import connection_lost
from contact_center.live import store
from contact_center.live.hub import Hub
from contact_center.live.model import LiveEvent
from contact_center.wakeups import cancel_and_wait, wait_any

log = logging.getLogger(__name__)

APPLICATION_NAME = "cc-live-listener"
BATCH = 500


class Listener:
    def __init__(
        self,
        dsn: str,
        hub: Hub,
        *,
        grace: float = 0.25,
        poll: float = 5.0,
        backoff_first: float = 0.25,
        backoff_cap: float = 15.0,
        stall_warning: float = 5.0,
        stall_repeat: float = 60.0,
    ) -> None:
        self._dsn = dsn
        self._hub = hub
        self._grace = grace
        self._poll = poll  # a read now and then even without notifications (a safety net)
        self._backoff_first = backoff_first
        self._backoff_cap = backoff_cap
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._gap: tuple[int, float] | None = None  # first missing id, when it was first seen
        self._stall_warning = stall_warning
        self._stall_repeat = stall_repeat
        self._warned: float | None = None  # when the held gap was last warned about
        self._held = False  # whether an open transaction was seen holding the gap
        self.connected = asyncio.Event()

    async def start(self, *, wait: float = 5.0) -> None:
        """Start listening; waits up to `wait` seconds for the first connection so that the
        hub knows where the log stands before browsers connect (it keeps trying after)."""
        self._task = asyncio.create_task(self._run(), name="live-listener")
        await wait_any(self.connected, seconds=wait)

    async def stop(self) -> None:
        if self._task is not None:
            await cancel_and_wait(self._task)
            self._task = None

    async def _run(self) -> None:
        delay, lost_since = self._backoff_first, None
        while True:
            try:
                conn = await asyncpg.connect(
                    self._dsn,
                    timeout=10,
                    command_timeout=30,
                    server_settings={"application_name": APPLICATION_NAME},
                )
            except Exception as exc:  # refused, timed out, starting up, bad credentials
                if lost_since is None:
                    lost_since = time.monotonic()
                    log.warning("live events: cannot reach the database (%s); retrying", exc)
                await asyncio.sleep(delay)
                delay = min(delay * 2, self._backoff_cap)
                continue
            served = False
            try:
                await self._serve(conn, recovering=lost_since)
            except Exception as exc:
                served = self.connected.is_set()
                if not connection_lost(exc):
                    log.exception("live events: the listener failed; starting it again")
                else:
                    log.warning(
                        "live events: lost the listening connection (%s: %s); reconnecting, "
                        "then catching up from event %s",
                        type(exc).__name__,
                        exc,
                        self._hub.position,
                    )
                lost_since = time.monotonic()
            finally:
                self.connected.clear()
                with contextlib.suppress(Exception):
                    conn.terminate()
            # A connection that worked starts the back-off afresh; one that failed at once
            # (a database not migrated yet, say) keeps growing it.
            delay = self._backoff_first if served else min(delay * 2, self._backoff_cap)
            await asyncio.sleep(delay)

    async def _serve(self, conn: asyncpg.Connection[Any], *, recovering: float | None) -> None:
        closed = asyncio.Event()

        def on_close(_conn: Any) -> None:
            closed.set()
            self._wake.set()

        conn.add_termination_listener(on_close)
        # Listen first, then read: a commit in between is both read and notified, never lost.
        await conn.add_listener(store.CHANNEL, lambda *_: self._wake.set())
        await self._settle_start(conn)
        caught_up = await self._catch_up(conn)
        self.connected.set()
        if recovering is not None:
            log.info(
                "live events: listening again after %.1f s; caught up %s events, now at %s",
                time.monotonic() - recovering,
                caught_up,
                self._hub.position,
            )
        while True:
            timeout = self._grace if self._gap is not None else self._poll
            await wait_any(self._wake, seconds=timeout)
            self._wake.clear()
            if closed.is_set() or conn.is_closed():
                raise asyncpg.ConnectionDoesNotExistError("the listening connection was closed")
            await self._catch_up(conn)

    async def _settle_start(self, conn: asyncpg.Connection[Any]) -> None:
        """On the first connection, start at the log's end; after a reconnect, check that the
        events since the last delivered one are still kept."""
        if self._hub.position is None:
            self._hub.start_at(await store.latest_id(conn))
            return
        pruned = await store.pruned_through(conn)
        if pruned > self._hub.position:
            log.warning(
                "live events: away past the retention; events %s..%s are gone, every browser "
                "is told to reload",
                self._hub.position + 1,
                pruned,
            )
            self._hub.drop_all("gap")
            self._hub.start_at(pruned)

    async def _catch_up(self, conn: asyncpg.Connection[Any]) -> int:
        """Deliver every settled event after the hub's position; the number delivered."""
        delivered = 0
        while True:
            position = self._hub.position or 0
            rows = await store.list_events_after(conn, position, limit=BATCH)
            ready = await self._unbroken(conn, position, rows)
            self._hub.deliver(ready)
            delivered += len(ready)
            if len(ready) < len(rows) or len(rows) < BATCH:
                return delivered

    async def _unbroken(
        self, conn: asyncpg.Connection[Any], position: int, rows: list[LiveEvent]
    ) -> list[LiveEvent]:
        ready: list[LiveEvent] = []
        expected = position + 1
        for event in rows:
            if event.id > expected and not await self._gap_settled(conn, expected, event.id - 1):
                break
            ready.append(event)
            expected = event.id + 1
        else:
            self._end_gap()  # nothing is missing (any earlier gap filled in)
        return ready

    def _end_gap(self) -> None:
        """Forget the held gap; after a warning about it, say that it ended."""
        if self._gap is not None and self._warned is not None:
            log.warning(
                "live events: event %s committed after %.0f s held back; delivering again",
                self._gap[0],
                time.monotonic() - self._gap[1],
            )
        self._gap = self._warned = None
        self._held = False

    async def _gap_settled(self, conn: asyncpg.Connection[Any], first: int, last: int) -> bool:
        """Whether ids first..last will never appear: seen missing for the grace period, and no
        open transaction holds them."""
        now = time.monotonic()
        if self._gap is None or self._gap[0] != first:
            self._end_gap()
            self._gap = (first, now)
        if now - self._gap[1] < self._grace:
            return False
        if not await store.no_publisher_holds(conn, first, last):
            self._held = True
            self._warn_held(now)
            return False
        log.debug("live events: ids %s..%s were rolled back; skipping them", first, last)
        if self._warned is not None:
            log.warning(
                "live events: event %s never committed; delivering the later ones after "
                "%.0f s held back",
                first,
                now - self._gap[1],
            )
        self._gap = self._warned = None
        self._held = False
        return True

    def _warn_held(self, now: float) -> None:
        """Warn when a gap is held long (a publisher's transaction stays open), then now and
        then while it lasts, never on every read."""
        assert self._gap is not None
        first, since = self._gap
        if now - since < self._stall_warning:
            return
        if self._warned is not None and now - self._warned < self._stall_repeat:
            return
        self._warned = now
        log.warning(
            "live events: holding back at event %s for %.0f s: its transaction is still open "
            "(idle in transaction?); later events wait for it",
            first,
            now - since,
        )
