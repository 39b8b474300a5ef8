"""The routing runner: woken by NOTIFY, it makes offers without waiting for its tick, and
takes back offers past their time."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
import pytest

from contact_center import routing
from contact_center.routing import ItemKind, RoutingOptions
from contact_center.routing.runner import routing_running
from contact_center.timeutil import utc_now
from tests.routing.helpers import enqueue, make_agent


async def offer_within(pool: asyncpg.Pool[Any], user_id: Any, seconds: float) -> bool:
    for _ in range(int(seconds / 0.05)):
        if await routing.current_offer(pool, user_id) is not None:
            return True
        await asyncio.sleep(0.05)
    return False


@pytest.mark.commits
async def test_the_runner_offers_new_work_when_notified(pool: asyncpg.Pool[Any]) -> None:
    agent = await make_agent(pool, utc_now())
    # A tick far away: only the notification can wake the runner in time.
    async with routing_running(pool, RoutingOptions(), tick=30):
        await asyncio.sleep(0.2)  # the runner's first round has run and found nothing
        await enqueue(pool, utc_now(), kind=ItemKind.CALL)
        assert await offer_within(pool, agent.id, 5)


@pytest.mark.commits
async def test_the_runner_takes_back_an_offer_past_its_time(pool: asyncpg.Pool[Any]) -> None:
    agent = await make_agent(pool, utc_now(), skills=["complaints", "orders"])
    options = RoutingOptions(voice_offer_seconds=1)
    async with routing_running(pool, options, tick=0.2):
        await enqueue(pool, utc_now(), kind=ItemKind.CALLBACK)
        assert await offer_within(pool, agent.id, 5)
        first = await routing.current_offer(pool, agent.id)
        assert first is not None
        for _ in range(60):  # expired, then offered again to the only agent there is
            again = await routing.current_offer(pool, agent.id)
            if again is not None and again.offer.id != first.offer.id:
                break
            await asyncio.sleep(0.1)
        else:
            raise AssertionError("the offer was never taken back")
    state = await routing.get_agent(pool, agent.id, now=utc_now())
    assert state.missed_offers >= 1
