"""The in-process fan-out: filters, order, and a slow subscriber never holding others up."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

import pytest

from contact_center.live import Dropped, Hub, LiveEvent

AT = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def events(*ids: int, name: str = "ticket.updated") -> list[LiveEvent]:
    return [LiveEvent(id=i, name=name, at=AT, payload={"n": i}) for i in ids]


async def test_subscribers_receive_what_their_filter_lets_through_in_order() -> None:
    hub = Hub()
    hub.start_at(0)
    everything = hub.subscribe(lambda e: True)
    evens = hub.subscribe(lambda e: e.id % 2 == 0)
    hub.deliver(events(1, 2, 3, 4))
    assert [(await everything.next(1)).id for _ in range(4)] == [1, 2, 3, 4]  # type: ignore[union-attr]
    assert [(await evens.next(1)).id for _ in range(2)] == [2, 4]  # type: ignore[union-attr]
    assert await evens.next(0.01) is None
    assert hub.position == 4


async def test_an_overflowing_subscriber_is_dropped_and_told_why_while_others_continue() -> None:
    hub = Hub(buffer=3)
    hub.start_at(0)
    slow = hub.subscribe(lambda e: True)
    fast = hub.subscribe(lambda e: True)
    for n in range(1, 6):
        hub.deliver(events(n))
        assert (await fast.next(1)).id == n  # type: ignore[union-attr]
    with pytest.raises(Dropped) as dropped:
        await slow.next(1)
    assert dropped.value.reason == "overflow"
    assert hub.subscribers == 1


async def test_dropping_all_wakes_a_waiting_subscriber() -> None:
    hub = Hub()
    hub.start_at(7)
    waiting = hub.subscribe(lambda e: True)
    hub.drop_all("shutdown")
    with pytest.raises(Dropped):
        await waiting.next(5)
    assert hub.position == 7


async def test_dropping_an_overflowing_subscriber_is_logged_with_whose_it_was(
    caplog: pytest.LogCaptureFixture,
) -> None:
    hub = Hub(buffer=1)
    hub.start_at(0)
    hub.subscribe(lambda e: True, who="user 42")
    with caplog.at_level(logging.WARNING, logger="contact_center.live.hub"):
        hub.deliver(events(1, 2))
    (record,) = caplog.records
    assert record.levelno == logging.WARNING
    assert "user 42" in record.getMessage() and "overflow" in record.getMessage()
    assert hub.subscribers == 0


async def test_a_wait_cancelled_as_an_event_arrives_is_still_cancelled() -> None:
    """The stream's task is cancelled (the browser left, shutdown) in the same loop turn as an
    event wakes it: the cancel must win, or the handler runs on."""
    hub = Hub()
    hub.start_at(0)
    subscription = hub.subscribe(lambda e: True)
    waiting = asyncio.create_task(subscription.next(60.0))
    await asyncio.sleep(0.01)
    hub.deliver(events(1))
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
