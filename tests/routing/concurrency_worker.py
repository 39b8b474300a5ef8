"""One process of the routing concurrency test (tests/routing/test_concurrency.py).

Dispatches, expires, accepts (any agent's offers, racing the other processes), sometimes
rejects, and finishes the work of its own share of agents, until no work is left. Prints one
JSON line: what it did and every unexpected error.

    python -m tests.routing.concurrency_worker DSN INDEX PROCESSES SECONDS
"""

from __future__ import annotations

import asyncio
import json
import random
import sys
import time
from collections import Counter
from uuid import UUID

from contact_center import routing
from contact_center.audit import Actor
from contact_center.db import create_pool, transaction
from contact_center.errors import Conflict, NotFound
from contact_center.routing import RoutingOptions
from contact_center.timeutil import utc_now

OPTIONS = RoutingOptions(batch=100)


async def run(dsn: str, index: int, processes: int, seconds: float) -> dict[str, object]:
    pool = await create_pool(dsn, min_size=2, max_size=4)
    rng = random.Random(index)
    counts: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            counts["offers"] += await routing.dispatch(pool, now=utc_now(), options=OPTIONS)
            async with pool.acquire() as conn:
                # Mostly this process's own agents' offers, and some of the others' to race
                # the other processes for them.
                pending = await conn.fetch(
                    "SELECT id, user_id FROM offers WHERE outcome = 'pending'"
                    " AND (abs(hashtext(user_id::text)) % $1 = $2 OR random() < 0.2) LIMIT 300",
                    processes,
                    index,
                )
                mine = await conn.fetch(
                    "SELECT w.callback_id, w.call_id FROM work_items w JOIN agents a"
                    " ON a.user_id = w.assigned_to WHERE w.state = 'assigned'"
                    " AND abs(hashtext(a.user_id::text)) % $1 = $2 LIMIT 300",
                    processes,
                    index,
                )
                left = await conn.fetchval(
                    "SELECT count(*) FROM work_items WHERE state IN ('waiting', 'offered',"
                    " 'assigned')"
                )
            if left == 0:
                break
            rows = list(pending)
            rng.shuffle(rows)
            for row in rows:
                actor = Actor(label="agent", user_id=row["user_id"])
                try:
                    if rng.random() < 0.05:
                        await routing.reject_offer(pool, actor, row["id"], now=utc_now())
                        counts["rejected"] += 1
                    else:
                        await routing.accept_offer(pool, actor, row["id"], now=utc_now())
                        counts["accepted"] += 1
                except (Conflict, NotFound):
                    counts["lost_races"] += 1
                except Exception as exc:
                    errors[f"{type(exc).__name__}: {exc}"] += 1
            for row in mine:
                try:
                    async with transaction(pool) as conn:
                        done = await routing.finish_item(
                            conn,
                            callback_id=row["callback_id"],
                            call_id=row["call_id"],
                            now=utc_now(),
                        )
                    counts["finished" if done else "finish_missed"] += 1
                except Exception as exc:
                    errors[f"{type(exc).__name__}: {exc}"] += 1
            if rng.random() < 0.1:  # an agent steps away for a moment and comes back
                await _flip_presence(pool, rng, counts, errors)
    finally:
        await pool.close()
    return {"index": index, "counts": dict(counts), "errors": dict(errors)}


async def _flip_presence(
    pool: object, rng: random.Random, counts: Counter[str], errors: Counter[str]
) -> None:
    async with pool.acquire() as conn:  # type: ignore[attr-defined]
        user_id: UUID | None = await conn.fetchval(
            "SELECT user_id FROM agents ORDER BY random() LIMIT 1"
        )
    if user_id is None:
        return
    actor = Actor(label="agent", user_id=user_id)
    try:
        for presence in (routing.Presence.AWAY, routing.Presence.AVAILABLE):
            await routing.set_presence(pool, actor, user_id, presence, "", now=utc_now())  # type: ignore[arg-type]
        counts["presence_flips"] += 1
    except Exception as exc:
        errors[f"{type(exc).__name__}: {exc}"] += 1


def main() -> None:
    dsn, index, processes, seconds = sys.argv[1:5]
    result = asyncio.run(run(dsn, int(index), int(processes), float(seconds)))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
