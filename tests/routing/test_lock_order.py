"""Accepting an offer and changing its ticket by hand, side by side, never deadlock: both
lock the ticket before the work item."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
import pytest

from contact_center import routing, tickets
from contact_center.audit import Actor
from contact_center.db import create_pool
from contact_center.errors import Conflict
from contact_center.timeutil import utc_now
from tests.builders import TEST_ACTOR, make_inbound_sms
from tests.routing.helpers import make_agent

ROUNDS = 40


@pytest.mark.commits
async def test_accepting_while_the_ticket_changes_by_hand_never_deadlocks(
    database_dsn: str,
) -> None:
    pool = await create_pool(database_dsn, min_size=2, max_size=4)
    try:
        await _race(pool)
    finally:
        await pool.close()


async def _race(pool: asyncpg.Pool[Any]) -> None:
    now = utc_now()
    other = await make_agent(pool, now, messaging_capacity=0)
    failures: list[BaseException] = []
    for n in range(ROUNDS):
        await make_agent(pool, now, skills=["orders", "complaints"])
        result = await tickets.intake(pool, make_inbound_sms(), now=now)
        await routing.dispatch(pool, now=now)
        async with pool.acquire() as conn:
            offer_id, user_id = await conn.fetchrow(
                "SELECT o.id, o.user_id FROM offers o JOIN work_items w ON w.id = o.item_id"
                " WHERE w.ticket_id = $1 AND o.outcome = 'pending'",
                result.ticket_id,
            )
        change = {"assignee_id": str(other.id)} if n % 2 else {"priority": "high"}
        outcomes = await asyncio.gather(
            routing.accept_offer(pool, Actor(label="agent", user_id=user_id), offer_id, now=now),
            tickets.update_ticket(pool, TEST_ACTOR, result.ticket_id, change, now=now),
            return_exceptions=True,
        )
        failures += [o for o in outcomes if isinstance(o, BaseException)]
        await tickets.update_ticket(
            pool, TEST_ACTOR, result.ticket_id, {"status": "resolved"}, now=now
        )
    assert all(isinstance(f, Conflict) for f in failures), failures
