"""The timers loop fires each warning and breach once: while running, after downtime, and with
several loops racing; a breach escalates (priority up, a note on the ticket, live events)."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import asyncpg
import pytest

from contact_center import tickets
from contact_center.timeutil import utc_now
from contact_center.workflows import deadline_service
from contact_center.workflows.clock_reads import list_deadlines, ticket_clocks
from contact_center.workflows.timers import SHORTEST_SLEEP, run_timers, timers_running
from tests.builders import make_inbound_sms
from tests.workflows.helpers import open_ticket

pytestmark = pytest.mark.commits


async def fired_events(pool: asyncpg.Pool[Any], ticket_id: Any) -> list[tuple[str, str]]:
    shown = await ticket_clocks(pool, ticket_id, now=utc_now())
    return sorted(
        (e["kind"], e["event"]) for e in shown["events"] if e["event"] in ("warned", "breached")
    )


async def wait_for(pool: asyncpg.Pool[Any], ticket_id: Any, count: int) -> list[tuple[str, str]]:
    for _ in range(100):
        found = await fired_events(pool, ticket_id)
        if len(found) >= count:
            return found
        await asyncio.sleep(0.05)
    return await fired_events(pool, ticket_id)


async def live_events(pool: asyncpg.Pool[Any], ticket_id: Any, name: str) -> list[Any]:
    async with pool.acquire() as conn:
        return list(
            await conn.fetch(
                "SELECT payload FROM events WHERE ticket_id = $1 AND name = $2", ticket_id, name
            )
        )


async def test_a_breach_fires_once_and_escalates(pool: asyncpg.Pool[Any]) -> None:
    async with timers_running(pool, longest_sleep=0.2):
        # opened long ago: both clocks (first response 1 working day, resolution 5) are past due
        ticket = await open_ticket(
            pool, now=utc_now() - timedelta(days=30), priority=tickets.Priority.LOW
        )
        expected = [
            ("first_response", "breached"),
            ("first_response", "warned"),
            ("resolution", "breached"),
            ("resolution", "warned"),
        ]
        assert await wait_for(pool, ticket.id, 4) == expected
        await asyncio.sleep(0.5)  # more rounds fire nothing more
    assert await deadline_service.scan_deadlines(pool, now=utc_now()) == deadline_service.Fired()
    assert await fired_events(pool, ticket.id) == expected
    stored, messages = await tickets.get_ticket(pool, ticket.id)
    assert stored.priority is tickets.Priority.HIGH  # low, raised once per missed deadline
    notes = [m.body_text for m in messages if m.body_text.startswith("Deadline missed")]
    assert len(notes) == 2
    assert any("First response was due" in n for n in notes)
    breached = await live_events(pool, ticket.id, "deadline.breached")
    assert len(breached) == 2
    assert {b["payload"]["escalate_to"] for b in breached} == {"supervisors"}
    assert len(await live_events(pool, ticket.id, "deadline.warned")) == 2
    shown = await list_deadlines(pool, assignee_id=None, breached=True, now=utc_now())
    mine = [d for d in shown if d["ticket_id"] == ticket.id]
    assert {d["kind"] for d in mine} == {"first_response", "resolution"}
    assert mine[0]["ticket_number"] == ticket.number


async def test_timers_due_while_no_loop_ran_fire_once_when_two_loops_start(
    pool: asyncpg.Pool[Any],
) -> None:
    ticket = await open_ticket(
        pool, now=utc_now() - timedelta(days=30), priority=tickets.Priority.NORMAL
    )
    assert await fired_events(pool, ticket.id) == []  # no loop: nothing fired yet
    async with timers_running(pool, longest_sleep=0.1), timers_running(pool, longest_sleep=0.1):
        assert len(await wait_for(pool, ticket.id, 4)) == 4
        await asyncio.sleep(0.5)
    assert len(await fired_events(pool, ticket.id)) == 4
    stored, _ = await tickets.get_ticket(pool, ticket.id)
    assert stored.priority is tickets.Priority.URGENT  # normal, raised twice: once per breach


async def test_a_sooner_timer_wakes_the_sleeping_loop(pool: asyncpg.Pool[Any]) -> None:
    async with timers_running(pool, longest_sleep=30):
        await asyncio.sleep(0.3)  # the loop sleeps now, for up to 30 s
        ticket = await open_ticket(pool, now=utc_now() - timedelta(days=30))
        assert len(await wait_for(pool, ticket.id, 4)) == 4


async def test_a_resolved_ticket_fires_nothing_for_its_resolution(pool: asyncpg.Pool[Any]) -> None:
    ticket = await open_ticket(pool, now=utc_now() - timedelta(days=30))
    await tickets.update_ticket(
        pool,
        _actor(),
        ticket.id,
        {"status": "closed"},
        now=utc_now() - timedelta(days=29, hours=23),
    )
    await deadline_service.scan_deadlines(pool, now=utc_now())
    assert await fired_events(pool, ticket.id) == []


def _actor() -> Any:
    from contact_center.audit import Actor

    return Actor.system("test")


async def test_a_breach_requeues_a_waiting_ticket_with_its_raised_priority(
    pool: asyncpg.Pool[Any],
) -> None:
    now = utc_now()
    result = await tickets.intake(pool, make_inbound_sms(), now=now)
    later = now + timedelta(days=30)  # first response and resolution both missed
    fired = await deadline_service.scan_deadlines(pool, now=later)
    assert fired.breached == 2
    stored, _ = await tickets.get_ticket(pool, result.ticket_id)
    assert stored.priority is tickets.Priority.URGENT  # normal, raised once per breach
    async with pool.acquire() as conn:
        items = await conn.fetch(
            "SELECT state, priority, end_reason, enqueued_at FROM work_items"
            " WHERE ticket_id = $1 ORDER BY state",
            result.ticket_id,
        )
        audit = await conn.fetch(
            "SELECT before, after FROM audit_log WHERE entity = 'ticket' AND entity_id = $1"
            " AND actor_label = 'system:deadlines'",
            str(result.ticket_id),
        )
    assert [(i["state"], i["end_reason"]) for i in items] == [
        ("cancelled", "changed"),
        ("waiting", ""),
    ]
    assert items[1]["priority"] == "urgent"
    assert items[0]["enqueued_at"] == items[1]["enqueued_at"]  # its place in line kept
    assert [(a["before"], a["after"]) for a in audit] == [
        ({"priority": "normal"}, {"priority": "urgent"})
    ]
    breached = await live_events(pool, result.ticket_id, "deadline.breached")
    assert {b["payload"]["ticket_number"] for b in breached} == {stored.number}


async def test_a_due_ticket_held_by_another_transaction_does_not_spin_the_loop(
    pool: asyncpg.Pool[Any],
) -> None:
    ticket = await open_ticket(pool, now=utc_now() - timedelta(days=30))
    turns = 0

    def counting_clock() -> Any:
        nonlocal turns
        turns += 1
        return utc_now()

    async with pool.acquire() as holder, holder.transaction():
        await tickets.load_ticket_in(holder, ticket.id, for_update=True)  # a long change by hand
        stop = asyncio.Event()
        loop = asyncio.create_task(run_timers(pool, stop, clock=counting_clock))
        await asyncio.sleep(1.0)
        stop.set()
        await loop
    assert await fired_events(pool, ticket.id) == []  # skipped while held
    # Each turn reads the clock twice; a turn that fired nothing sleeps at least 0.2 s.
    assert turns <= 2 * (1.0 / SHORTEST_SLEEP + 2)
