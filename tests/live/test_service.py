"""The event log's upkeep: retention, what a resuming browser gets, assignment events."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

from contact_center import live, tickets
from contact_center.audit import Actor
from contact_center.config import Settings
from contact_center.db import Conn, transaction
from contact_center.jobs import JobContext
from contact_center.jobs.worker import run_once
from contact_center.live import Event
from contact_center.timeutil import utc_now
from contact_center.users import Role
from tests.builders import make_inbound_sms, make_user
from tests.conftest import SingleConnectionPool


async def publish(db: SingleConnectionPool) -> int:
    async with transaction(db) as conn:
        return await live.publish(conn, Event.NOTE_ADDED, {"ticket_id": uuid4()})


async def test_the_prune_job_keeps_events_within_the_retention(
    db: SingleConnectionPool, settings: Settings
) -> None:
    kept = await publish(db)
    assert await run_once(JobContext(db, settings), "live-events-prune") == 0
    missed = await live.read_missed(db, after=kept - 1, upto=kept)
    assert [e.id for e in missed.events] == [kept] and not missed.gap


async def test_pruned_events_turn_a_resume_into_a_gap(db: SingleConnectionPool) -> None:
    first = await publish(db)
    second = await publish(db)
    later = utc_now() + timedelta(days=2)
    assert await live.prune_events(db, now=later, retention=timedelta(hours=24)) >= 2
    assert (await live.read_missed(db, after=first - 1, upto=second)).gap
    assert (await live.read_missed(db, after=second, upto=second)).events == []
    # An id this log never reached (a database restored from an older copy, say) is a gap too.
    assert (await live.read_missed(db, after=second + 100, upto=second)).gap


async def test_a_browser_ahead_of_this_process_misses_nothing(db: SingleConnectionPool) -> None:
    # It saw `newer` through another web process whose listener got there first.
    older = await publish(db)
    newer = await publish(db)
    missed = await live.read_missed(db, after=newer, upto=older)
    assert missed.events == [] and not missed.gap


async def test_assigning_a_ticket_publishes_ticket_assigned(
    db: SingleConnectionPool, conn: Conn
) -> None:
    result = await tickets.intake(db, make_inbound_sms(), now=utc_now())
    agent = await make_user(db, Role.AGENT)
    before = await conn.fetchval("SELECT max(id) FROM events")
    await tickets.update_ticket(
        db, Actor("test", agent.id), result.ticket_id, {"assignee_id": str(agent.id)}, now=utc_now()
    )
    rows = await conn.fetch(
        "SELECT name, payload->>'assignee_id' AS assignee FROM events WHERE id > $1 ORDER BY id",
        before,
    )
    assert [(r["name"], r["assignee"]) for r in rows] == [
        ("ticket.updated", None),
        ("ticket.assigned", str(agent.id)),
        ("item.ended", None),  # assigned by hand: it no longer waits for routing
    ]
