"""The listener delivers committed events in id order, never rolled-back ones, never skips an
id that commits late, and catches up after its connection is killed."""

from __future__ import annotations

import asyncio
import logging
from typing import Any
from uuid import uuid4

import asyncpg
import pytest

from contact_center import live
from contact_center.db import transaction
from contact_center.live import Event
from tests.live.conftest import WAIT, listening, received

pytestmark = pytest.mark.commits


class Rollback(Exception):
    pass


async def publish(pool: Any, event: Event = Event.NOTE_ADDED, **payload: Any) -> int:
    async with transaction(pool) as conn:
        return await live.publish(conn, event, {"ticket_id": uuid4(), **payload})


async def test_a_subscriber_gets_committed_events_and_never_rolled_back_ones(
    pool: asyncpg.Pool[Any], database_dsn: str
) -> None:
    async with listening(database_dsn) as hub:
        subscription = hub.subscribe(lambda e: True)
        with pytest.raises(Rollback):
            async with transaction(pool) as conn:
                rolled_back = await live.publish(conn, Event.NOTE_ADDED, {"n": "rolled back"})
                raise Rollback
        committed = await publish(pool, n="committed")
        (event,) = await received(subscription, 1)
    assert rolled_back < committed
    assert (event.id, event.name, event.payload["n"]) == (committed, "note.added", "committed")
    assert event.data()["event"] == "note.added" and event.data()["id"] == committed


async def test_an_earlier_id_that_commits_later_is_delivered_first_not_skipped(
    pool: asyncpg.Pool[Any], database_dsn: str
) -> None:
    async with listening(database_dsn, grace=0.05) as hub:
        subscription = hub.subscribe(lambda e: True)
        async with pool.acquire() as slow:
            tx = slow.transaction()
            await tx.start()
            earlier = await live.publish(slow, Event.NOTE_ADDED, {"n": "slow"})
            later = await publish(pool, n="quick")
            last = await publish(pool, n="last")
            # Many grace periods pass while the slow transaction is open: nothing overtakes it.
            await asyncio.sleep(0.5)
            assert await subscription.next(0.01) is None
            await tx.commit()
        events = await received(subscription, 3)
    assert [e.id for e in events] == [earlier, later, last]


async def test_an_id_lost_to_a_rollback_holds_back_later_events_only_until_it_ends(
    pool: asyncpg.Pool[Any], database_dsn: str
) -> None:
    async with listening(database_dsn, grace=0.05) as hub:
        subscription = hub.subscribe(lambda e: True)
        async with pool.acquire() as slow:
            tx = slow.transaction()
            await tx.start()
            await live.publish(slow, Event.NOTE_ADDED, {"n": "abandoned"})
            later = await publish(pool, n="quick")
            await asyncio.sleep(0.3)
            assert await subscription.next(0.01) is None
            await tx.rollback()
        (event,) = await received(subscription, 1)
    assert event.id == later


async def test_the_listener_reconnects_after_its_connection_is_killed_and_catches_up(
    pool: asyncpg.Pool[Any], database_dsn: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="contact_center.live")
    async with listening(database_dsn, backoff_first=0.3) as hub:
        subscription = hub.subscribe(lambda e: True)
        before = await publish(pool, n="before")
        assert [e.id for e in await received(subscription, 1)] == [before]
        killed = await pool.fetchval(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE application_name = 'cc-live-listener' AND datname = current_database()"
        )
        assert killed == 1
        meanwhile = [await publish(pool, n=str(n)) for n in range(3)]
        events = await received(subscription, 3)
    assert [e.id for e in events] == meanwhile
    messages = [(r.levelno, r.getMessage()) for r in caplog.records]
    assert any(level == logging.WARNING and "lost" in text for level, text in messages)
    assert any(level == logging.INFO and "listening again" in text for level, text in messages)


async def test_a_new_listener_starts_at_the_log_end_and_sends_nothing_older(
    pool: asyncpg.Pool[Any], database_dsn: str
) -> None:
    """A stream on a process that just started gets only what commits from then on: an id still
    in flight at the start, below the end, stays in the log for a resume that asks for it."""
    async with pool.acquire() as slow:
        tx = slow.transaction()
        await tx.start()
        earlier = await live.publish(slow, Event.NOTE_ADDED, {"n": "slow"})
        later = await publish(pool, n="quick")
        async with listening(database_dsn) as hub:
            assert hub.position == later
            subscription = hub.subscribe(lambda e: True)
            await tx.commit()
            newest = await publish(pool, n="after the start")
            events = await received(subscription, 1)
            assert await subscription.next(0.05) is None
    assert [e.id for e in events] == [newest]
    assert earlier < later


async def test_a_listener_starts_at_the_end_of_what_is_settled(
    pool: asyncpg.Pool[Any], database_dsn: str
) -> None:
    """Rolled-back ids below the end are not waited for: the hub opens at the newest id."""
    for _ in range(3):
        with pytest.raises(Rollback):
            async with transaction(pool) as conn:
                await live.publish(conn, Event.NOTE_ADDED, {"n": "rolled back"})
                raise Rollback
        last = await publish(pool, n="settled")
    async with listening(database_dsn) as hub:
        assert hub.position == last


async def test_a_gap_held_open_is_warned_about_once_not_on_every_read(
    pool: asyncpg.Pool[Any], database_dsn: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="contact_center.live")
    async with listening(database_dsn, grace=0.01, poll=0.01, stall_warning=0.1) as hub:
        subscription = hub.subscribe(lambda e: True)
        async with pool.acquire() as idle:
            tx = idle.transaction()
            await tx.start()
            held = await live.publish(idle, Event.NOTE_ADDED, {"n": "idle in transaction"})
            await publish(pool, n="waits")
            await asyncio.sleep(0.5)  # dozens of reads, one warning (the next is a minute away)
            warnings = [r.getMessage() for r in caplog.records if "holding back" in r.message]
            await tx.rollback()
        (event,) = await received(subscription, 1)
    assert event.id == held + 1
    assert len(warnings) == 1
    assert f"holding back at event {held} for" in warnings[0]
    assert any(f"event {held} never committed" in r.getMessage() for r in caplog.records)


async def test_stopping_the_listener_as_it_is_woken_still_stops_it(database_dsn: str) -> None:
    """A notification can wake the listener in the same loop turn as stop()'s cancel; the
    cancel must still end it (a process's shutdown waited for ever)."""
    listener = live.Listener(database_dsn, live.Hub(), poll=60.0)
    await listener.start()
    assert listener.connected.is_set()
    await asyncio.sleep(0.05)  # waiting to be woken
    listener._wake.set()
    stopping = asyncio.create_task(listener.stop())
    done, _ = await asyncio.wait({stopping}, timeout=WAIT)
    assert done, "stop() did not return"
