"""The in-process fan-out: the listener hands it events in id order; each browser stream is a
subscription with a filter and a bounded buffer. Fan-out never waits for a subscriber."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Callable, Iterable

from contact_center.live.model import LiveEvent

log = logging.getLogger(__name__)

Accepts = Callable[[LiveEvent], bool]
BUFFER = 1000  # events a subscriber may lag behind before it is told to reload


class Dropped(Exception):
    """The subscription ended: `reason` is "overflow" (it fell behind), "gap" (events were lost
    while the listener was away longer than the log keeps them) or "shutdown"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Subscription:
    """One browser stream's buffer. Only the hub adds to it; only its stream reads it."""

    def __init__(self, accepts: Accepts, limit: int, who: str) -> None:
        self.accepts = accepts
        self.who = who  # whose stream, for the log line when it is dropped
        self._limit = limit
        self._items: deque[LiveEvent] = deque()
        self._wake = asyncio.Event()
        self.dropped: str | None = None

    def _offer(self, event: LiveEvent) -> bool:
        """Buffer the event if the filter lets it through; False when the buffer is full."""
        if not self.accepts(event):
            return True
        if len(self._items) >= self._limit:
            return False
        self._items.append(event)
        self._wake.set()
        return True

    def _drop(self, reason: str) -> None:
        self.dropped = reason
        self._items.clear()
        self._wake.set()

    async def next(self, wait: float) -> LiveEvent | None:
        """The next event, or None when none came within `wait` seconds.

        Raises Dropped once the hub has let go of this subscription.
        """
        if not self._items and self.dropped is None:
            self._wake.clear()
            # Not asyncio.wait_for: it can drop a cancel (see contact_center.wakeups). An
            # event that lands as the time runs out is still taken below.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(wait):
                    await self._wake.wait()
        if self.dropped is not None:
            raise Dropped(self.dropped)
        return self._items.popleft() if self._items else None


class Hub:
    """Subscribers of this process, and `position`: the last event id handed out (None until
    the listener has read where the log stands)."""

    def __init__(self, *, buffer: int = BUFFER) -> None:
        self._buffer = buffer
        self._subscribers: set[Subscription] = set()
        self.position: int | None = None

    def subscribe(self, accepts: Accepts, *, who: str = "") -> Subscription:
        """A new subscription receiving every later event that `accepts` lets through; `who`
        names its user in log lines.

        Taken together with `position` (no await in between), it sees exactly the events with
        ids above that position.
        """
        subscription = Subscription(accepts, self._buffer, who)
        self._subscribers.add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        self._subscribers.discard(subscription)

    @property
    def subscribers(self) -> int:
        return len(self._subscribers)

    def start_at(self, position: int) -> None:
        """Where the log stands when the listener starts (later events are delivered)."""
        if self.position is None or position > self.position:
            self.position = position

    def deliver(self, events: Iterable[LiveEvent]) -> None:
        """Hand out events in id order. A subscriber whose buffer is full is dropped."""
        for event in events:
            self.position = event.id
            for subscription in list(self._subscribers):
                if not subscription._offer(event):
                    log.warning(
                        "live events: dropped the stream of %s (overflow): %s events behind at "
                        "event %s; the browser is told to reload",
                        subscription.who or "an unnamed subscriber",
                        self._buffer,
                        event.id,
                    )
                    self._let_go(subscription, "overflow")

    def drop_all(self, reason: str) -> None:
        if self._subscribers:  # a gap is also warned about by the listener; shutdown is routine
            log.info(
                "live events: dropped all %s streams (%s); the browsers are told to reload",
                len(self._subscribers),
                reason,
            )
        for subscription in list(self._subscribers):
            self._let_go(subscription, reason)

    def _let_go(self, subscription: Subscription, reason: str) -> None:
        self._subscribers.discard(subscription)
        subscription._drop(reason)
