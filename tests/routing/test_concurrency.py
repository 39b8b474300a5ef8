"""Several OS processes route 5,000 items to 200 agents at once: no item is offered to two
agents or assigned twice, no agent holds two offers or more than their capacity, and every
item ends up handled."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from uuid import uuid4

import asyncpg
import pytest

from contact_center import routing
from contact_center.db import create_pool, transaction
from contact_center.routing import ItemKind, ItemRequest, Presence, Priority
from contact_center.timeutil import utc_now
from tests.builders import TEST_ACTOR, make_user

ROOT = Path(__file__).resolve().parents[2]
ITEMS, AGENTS, PROCESSES, SECONDS = 5000, 200, 3, 120  # ~45 s on a quiet machine

# Every agent's load, recounted from what it holds right now (pending offers, assigned work),
# against its capacity and the load column, in one snapshot.
BROKEN_LOADS = """
SELECT a.user_id, a.voice_load, a.voice_capacity,
       (SELECT count(*) FROM offers o WHERE o.user_id = a.user_id AND o.outcome = 'pending') +
       (SELECT count(*) FROM work_items w WHERE w.assigned_to = a.user_id
          AND w.state = 'assigned') AS held
FROM agents a
WHERE a.voice_load > a.voice_capacity OR a.voice_load <> (
       (SELECT count(*) FROM offers o WHERE o.user_id = a.user_id AND o.outcome = 'pending') +
       (SELECT count(*) FROM work_items w WHERE w.assigned_to = a.user_id
          AND w.state = 'assigned'))
"""


async def _seed(pool: asyncpg.Pool[Any]) -> None:
    """Agents with one to three voice lines, all available, and the items, through the
    services, a few transactions at a time."""
    now = utc_now()

    async def add_agent(n: int) -> None:
        user = await make_user(pool)
        await routing.update_agent(
            pool, TEST_ACTOR, user.id, {"voice_capacity": 1 + n % 3}, now=now
        )
        await routing.set_presence(pool, TEST_ACTOR, user.id, Presence.AVAILABLE, "", now=now)

    async def add_items(first: int, count: int) -> None:
        async with transaction(pool) as conn:
            for n in range(first, first + count):
                kind = ItemKind.CALL if n % 2 else ItemKind.CALLBACK
                await routing.enqueue_item(
                    conn,
                    ItemRequest(
                        kind=kind,
                        queue="general",
                        priority=list(Priority)[n % 4],
                        call_id=uuid4() if kind is ItemKind.CALL else None,
                        callback_id=uuid4() if kind is ItemKind.CALLBACK else None,
                    ),
                    now=now,
                )

    for first in range(0, AGENTS, 4):
        await asyncio.gather(*(add_agent(n) for n in range(first, min(first + 4, AGENTS))))
    share = ITEMS // 4
    await asyncio.gather(*(add_items(i * share, share) for i in range(4)))


async def _watch(pool: asyncpg.Pool[Any], stop: asyncio.Event) -> list[dict[str, Any]]:
    """Snapshots taken while the processes run: any agent whose load breaks the rules."""
    broken: list[dict[str, Any]] = []
    while not stop.is_set():
        async with pool.acquire() as conn:
            broken += [dict(r) for r in await conn.fetch(BROKEN_LOADS)]
        await asyncio.sleep(0.05)
    return broken


async def _processes(dsn: str) -> list[dict[str, Any]]:
    procs = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.routing.concurrency_worker",
            dsn,
            str(i),
            str(PROCESSES),
            str(SECONDS),
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for i in range(PROCESSES)
    ]
    results = []
    for proc in procs:
        out, err = await proc.communicate()
        assert proc.returncode == 0, err.decode()[-3000:]
        results.append(json.loads(out.decode().strip().splitlines()[-1]))
    return results


def _quick(dsn: str) -> str:
    """Commits need not reach the disk for this test: only the order of events matters, and
    a slow disk's flush would stretch the run past its minute."""
    return dsn + ("&" if "?" in dsn else "?") + "synchronous_commit=off"


@pytest.mark.commits
async def test_processes_route_five_thousand_items_without_a_double(database_dsn: str) -> None:
    pool = await create_pool(_quick(database_dsn), min_size=2, max_size=4)
    try:
        await _check(pool, _quick(database_dsn))
    finally:
        await pool.close()


async def _check(pool: asyncpg.Pool[Any], dsn: str) -> None:
    await _seed(pool)
    stop = asyncio.Event()
    watcher = asyncio.create_task(_watch(pool, stop))
    began = time.monotonic()
    results = await _processes(dsn)
    elapsed = time.monotonic() - began
    stop.set()
    broken = await watcher
    assert [r["errors"] for r in results] == [{}] * PROCESSES
    assert broken == []
    async with pool.acquire() as conn:
        states = dict(await conn.fetch("SELECT state, count(*) FROM work_items GROUP BY state"))
        assert states == {"done": ITEMS}, (states, elapsed)
        # Every item was accepted exactly once, by the agent it is recorded as assigned to.
        accepted = await conn.fetch(
            "SELECT w.id, count(o.id) AS n, bool_and(o.user_id = w.assigned_to) AS same"
            " FROM work_items w LEFT JOIN offers o ON o.item_id = w.id"
            " AND o.outcome = 'accepted' GROUP BY w.id"
        )
        assert all(r["n"] == 1 and r["same"] for r in accepted)
        assert await conn.fetchval("SELECT count(*) FROM offers WHERE outcome = 'pending'") == 0
        loads = await conn.fetchval(
            "SELECT count(*) FROM agents WHERE voice_load <> 0 OR messaging_load <> 0"
        )
        assert loads == 0
    offers = sum(r["counts"].get("offers", 0) for r in results)
    assert all(r["counts"].get("offers", 0) > 0 for r in results)  # all took part
    assert offers >= ITEMS
