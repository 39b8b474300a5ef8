"""Escalations firing while a person changes the same tickets never deadlock: the timers claim
tickets before their clocks, a change by hand locks the ticket, its clocks, then routing's rows
(work item, offer, agent), and each breach fires once."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

import asyncpg
import pytest

from contact_center import routing, tickets
from contact_center.db import create_pool
from contact_center.timeutil import utc_now
from contact_center.workflows import deadline_service
from tests.builders import TEST_ACTOR, make_inbound_sms
from tests.routing.helpers import make_agent

TICKETS = 24
ROUNDS = 6


@pytest.mark.commits
async def test_escalations_racing_changes_by_hand_never_deadlock_and_fire_once(
    database_dsn: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    pool = await create_pool(database_dsn, min_size=2, max_size=8)
    try:
        await _race(pool)
    finally:
        await pool.close()
    # A batch that failed (a deadlock, say) is fired again carefully and logs a warning.
    assert not [r.getMessage() for r in caplog.records if "failed" in r.getMessage()]


async def _race(pool: asyncpg.Pool[Any]) -> None:
    now = utc_now()
    agents = [await make_agent(pool, now, messaging_capacity=2) for _ in range(4)]
    ids = [
        (await tickets.intake(pool, make_inbound_sms(), now=now)).ticket_id for _ in range(TICKETS)
    ]
    # Some items offered to agents (a requeue withdraws the offer and frees the agent), the rest
    # waiting.
    await routing.dispatch(pool, now=now)
    later = now + timedelta(days=30)  # every clock past its warning and its due time
    failures: list[BaseException] = []
    for round_ in range(ROUNDS):
        changes = []
        for n, ticket_id in enumerate(ids):
            # Changes that lock routing's rows (an offer withdrawn, an agent's load given back)
            # and the ticket's clocks (paused, met, started again) in one transaction.
            match (n + round_) % 3:
                case 0:
                    change: dict[str, Any] = {"priority": "low"}
                case 1:
                    agent = agents[(n + round_) % len(agents)]
                    change = {"assignee_id": str(agent.id), "status": "pending"}
                case _:
                    change = {"status": "resolved" if round_ % 2 == 0 else "open"}
            changes.append(tickets.update_ticket(pool, TEST_ACTOR, ticket_id, change, now=later))
        outcomes = await asyncio.gather(
            *changes,
            *(deadline_service.fire_due(pool, now=later) for _ in range(4)),
            return_exceptions=True,
        )
        failures += [o for o in outcomes if isinstance(o, BaseException)]
    await deadline_service.scan_deadlines(pool, now=later)
    assert not failures, failures
    async with pool.acquire() as conn:
        fired = await conn.fetch(
            "SELECT clock_id, event, count(*) AS n FROM clock_events"
            " WHERE ticket_id = ANY($1::uuid[]) AND event IN ('warned', 'breached')"
            " GROUP BY clock_id, event",
            ids,
        )
        notes = await conn.fetchval(
            "SELECT count(*) FROM messages WHERE ticket_id = ANY($1::uuid[])"
            " AND channel = 'note' AND body_text LIKE 'Deadline missed%'",
            ids,
        )
    assert all(row["n"] == 1 for row in fired)
    breached = sum(1 for row in fired if row["event"] == "breached")
    assert breached >= TICKETS  # at least each ticket's first response (pending pauses others)
    assert notes == breached
