"""Going offline while a dispatch round is offering the agent something leaves no offer in
front of an agent who is gone."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
import pytest

from contact_center import routing
from contact_center.db import create_pool
from contact_center.routing import Presence
from contact_center.timeutil import utc_now
from tests.builders import TEST_ACTOR
from tests.conftest import SingleConnectionPool
from tests.routing.helpers import enqueue, make_agent


@pytest.mark.commits
async def test_an_offer_made_while_the_agent_leaves_is_withdrawn(database_dsn: str) -> None:
    pool = await create_pool(database_dsn, min_size=2, max_size=4)
    try:
        await _race(pool)
    finally:
        await pool.close()


async def _race(pool: asyncpg.Pool[Any]) -> None:
    now = utc_now()
    agent = await make_agent(pool, now)
    item_id, _ = await enqueue(pool, now)
    async with pool.acquire() as conn:
        round_ = conn.transaction()
        await round_.start()  # a dispatch round that has claimed the agent, not yet committed
        assert await routing.dispatch(SingleConnectionPool(conn), now=now) == 1
        leaving = asyncio.create_task(
            routing.set_presence(pool, TEST_ACTOR, agent.id, Presence.OFFLINE, "", now=now)
        )
        await asyncio.sleep(0.5)  # it waits for the agent's row
        await round_.commit()
    after = await leaving
    assert after.presence is Presence.OFFLINE and after.voice_load == 0
    assert await routing.current_offer(pool, agent.id) is None
    async with pool.acquire() as conn:
        assert await conn.fetchval("SELECT state FROM work_items WHERE id = $1", item_id) == (
            "waiting"
        )
