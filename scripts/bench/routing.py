"""Routing benchmark: assignments per second and offer latency, with N waiting items and M
available agents, in one process and in three, against a bare claim loop in the same run.

The subject is the product's path: `routing.dispatch` rounds (SKIP LOCKED claim of items and
agents, the pure matcher, one statement inserting the round's offers) and one
`routing.accept_offer` transaction per assignment, in P worker processes side by side. The
baseline is what a queue without routing decisions costs, in the same number of processes: a
bare claim loop, each claim one transaction of `SELECT … FOR UPDATE SKIP LOCKED LIMIT 1` and the
`UPDATE` that marks the row taken (what a job queue's worker does). A stricter reference, one
autocommitted `UPDATE … WHERE id = (SELECT … FOR UPDATE SKIP LOCKED LIMIT 1)` per claim, is
measured and reported beside it. Items are callbacks (the voice line), so no ticket or call rows
are needed; agents have room for all of them, so nothing is finished during the run.

    .venv/bin/python scripts/bench/routing.py [--quick] [-n ITEMS] [-a AGENTS]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from uuid import uuid4

import contact_center.calls  # noqa: F401  (registers the callback hand-over, as the service does)
from contact_center import routing, users
from contact_center.audit import Actor
from contact_center.db import Pool, create_pool, transaction
from contact_center.db.migrate import migrate
from contact_center.routing import ItemKind, ItemRequest, Presence, Priority, RoutingOptions
from contact_center.timeutil import utc_now
from contact_center.users import Argon2Cost, Passwords, Role

sys.path.insert(0, str(Path(__file__).parent))
import common

DEFAULT_N, DEFAULT_AGENTS, QUICK_N, QUICK_AGENTS = 10_000, 500, 1_000, 100
PROCESSES = (1, 3)
BENCH = Actor.system("bench")
CHEAP = Passwords(Argon2Cost(time_cost=1, memory_kib=8, parallelism=1))
OPTIONS = RoutingOptions(batch=200, voice_offer_seconds=600)
BASELINE_TABLE = """
CREATE TABLE IF NOT EXISTS bench_claims (
  id bigserial PRIMARY KEY, state text NOT NULL DEFAULT 'waiting', assigned_to uuid,
  assigned_at timestamptz);
CREATE INDEX IF NOT EXISTS bench_claims_waiting_idx ON bench_claims (id) WHERE state = 'waiting';
"""
BASELINE_CLAIM = """
UPDATE bench_claims SET state = 'assigned', assigned_to = $1, assigned_at = now()
WHERE id = (SELECT id FROM bench_claims WHERE state = 'waiting' ORDER BY id LIMIT 1
            FOR UPDATE SKIP LOCKED)
RETURNING id
"""

BASELINE_SELECT = """
SELECT id FROM bench_claims WHERE state = 'waiting' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED
"""
BASELINE_MARK = """
UPDATE bench_claims SET state = 'assigned', assigned_to = $2, assigned_at = now() WHERE id = $1
"""
RESET_CLAIMS = (
    "UPDATE bench_claims SET state = 'waiting', assigned_to = NULL, assigned_at = NULL"
    " WHERE state <> 'waiting'"
)


# ---------------------------------------------------------------- worker processes


async def subject_worker(dsn: str, index: int, processes: int) -> dict[str, Any]:
    """Dispatch, then accept the offers made to this process's share of the agents, until
    nothing waits; the accepts made and each dispatch round's time and offers."""
    pool = await create_pool(dsn, min_size=1, max_size=2)
    rounds: list[tuple[float, int]] = []
    accepted = 0
    try:
        while True:
            began = time.perf_counter()
            made = await routing.dispatch(pool, now=utc_now(), options=OPTIONS)
            if made:
                rounds.append((time.perf_counter() - began, made))
            async with pool.acquire() as conn:
                offers = await conn.fetch(
                    "SELECT id, user_id FROM offers WHERE outcome = 'pending'"
                    " AND abs(hashtext(user_id::text)) % $1 = $2",
                    processes,
                    index,
                )
                left = await conn.fetchval(
                    "SELECT count(*) FROM work_items WHERE state IN ('waiting', 'offered')"
                )
            for offer in offers:
                actor = Actor(label="bench", user_id=offer["user_id"])
                await routing.accept_offer(pool, actor, offer["id"], now=utc_now())
                accepted += 1
            if not left:
                break
            if not made and not offers:
                await asyncio.sleep(0.005)  # the others hold the rest of the line
    finally:
        await pool.close()
    return {"accepted": accepted, "rounds": rounds}


async def baseline_worker(dsn: str, agents: list[str]) -> dict[str, Any]:
    pool = await create_pool(dsn, min_size=1, max_size=1)
    claimed = 0
    try:
        async with pool.acquire() as conn:
            while await conn.fetchval(BASELINE_CLAIM, agents[claimed % len(agents)]) is not None:
                claimed += 1
    finally:
        await pool.close()
    return {"accepted": claimed, "rounds": []}


async def claim_loop_worker(dsn: str, agents: list[str]) -> dict[str, Any]:
    """The baseline: claim one row per transaction with SELECT … FOR UPDATE SKIP LOCKED and mark
    it taken, a connection taken from the pool for each claim as the subject's accepts do."""
    pool = await create_pool(dsn, min_size=1, max_size=2)
    claimed = 0
    try:
        while True:
            async with pool.acquire() as conn, conn.transaction():
                row = await conn.fetchval(BASELINE_SELECT)
                if row is None:
                    break
                await conn.execute(BASELINE_MARK, row, agents[claimed % len(agents)])
            claimed += 1
    finally:
        await pool.close()
    return {"accepted": claimed, "rounds": []}


def worker_main(argv: list[str]) -> None:
    kind, dsn, index, processes, agents = argv
    if kind == "subject":
        result = asyncio.run(subject_worker(dsn, int(index), int(processes)))
    elif kind == "claim_loop":
        result = asyncio.run(claim_loop_worker(dsn, agents.split(",")))
    else:
        result = asyncio.run(baseline_worker(dsn, agents.split(",")))
    print(json.dumps(result))


def run_processes(kind: str, dsn: str, processes: int, agents: list[str]) -> dict[str, Any]:
    """P worker processes started together; wall time until the last one ends."""
    began = time.perf_counter()
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                __file__,
                "--worker",
                kind,
                dsn,
                str(i),
                str(processes),
                ",".join(agents[i::processes]),
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        for i in range(processes)
    ]
    outputs = [json.loads(p.communicate()[0].strip().splitlines()[-1]) for p in procs]
    wall = time.perf_counter() - began
    accepted = sum(o["accepted"] for o in outputs)
    rounds = [r for o in outputs for r in o["rounds"]]
    figures: dict[str, Any] = {
        "processes": processes,
        "assignments": accepted,
        "seconds": round(wall, 3),
        "per_second": round(accepted / wall, 1),
    }
    if rounds:
        durations = [d for d, _ in rounds]
        cuts = common.latency_cuts(durations) if len(durations) > 1 else [durations[0]] * 99
        figures["dispatch_rounds"] = len(rounds)
        figures["offers_per_round"] = round(statistics.mean(n for _, n in rounds), 1)
        figures["offer_latency_p50_ms"] = round(cuts[49] * 1000, 2)
        figures["offer_latency_p99_ms"] = round(cuts[98] * 1000, 2)
    return figures


# ---------------------------------------------------------------- set-up and checks


async def make_agents(pool: Pool, count: int, capacity: int) -> list[str]:
    now = utc_now()

    async def one(n: int) -> str:
        user = await users.create_user(
            pool,
            BENCH,
            email=f"agent{n}-{uuid4().hex[:6]}@bench.example",
            role=Role.AGENT,
            password="bench-password",
            passwords=CHEAP,
        )
        await routing.update_agent(pool, BENCH, user.id, {"voice_capacity": capacity}, now=now)
        await routing.set_presence(pool, BENCH, user.id, Presence.AVAILABLE, "", now=now)
        return str(user.id)

    found: list[str] = []
    for first in range(0, count, 10):
        found += await asyncio.gather(*(one(n) for n in range(first, min(first + 10, count))))
    return found


async def fill(pool: Pool, n: int) -> None:
    """N waiting callbacks through `routing.enqueue_item`, on a fresh line."""
    async with pool.acquire() as conn:
        await conn.execute(
            "DELETE FROM offers; DELETE FROM work_items;"
            " UPDATE agents SET voice_load = 0, messaging_load = 0"
        )
        await conn.execute(BASELINE_TABLE + "TRUNCATE bench_claims")
        await conn.execute(
            "INSERT INTO bench_claims (state) SELECT 'waiting' FROM generate_series(1, $1)", n
        )
    now = utc_now()

    async def share(count: int) -> None:
        async with transaction(pool) as conn:
            for k in range(count):
                await routing.enqueue_item(
                    conn,
                    ItemRequest(
                        kind=ItemKind.CALLBACK,
                        queue="general",
                        priority=list(Priority)[k % 4],
                        callback_id=uuid4(),
                    ),
                    now=now,
                )

    await asyncio.gather(*(share(n // 4 + (1 if i < n % 4 else 0)) for i in range(4)))


async def reset_claims(pool: Pool) -> None:
    async with pool.acquire() as conn:
        await conn.execute(RESET_CLAIMS)


async def verify(pool: Pool, n: int) -> dict[str, Any]:
    async with pool.acquire() as conn:
        assigned = await conn.fetchval("SELECT count(*) FROM work_items WHERE state = 'assigned'")
        accepted = await conn.fetchval("SELECT count(*) FROM offers WHERE outcome = 'accepted'")
        doubled = await conn.fetchval(
            "SELECT count(*) FROM (SELECT item_id FROM offers WHERE outcome = 'accepted'"
            " GROUP BY item_id HAVING count(*) > 1) d"
        )
        over = await conn.fetchval(
            "SELECT count(*) FROM agents WHERE voice_load > voice_capacity"
            " OR voice_load <> (SELECT count(*) FROM work_items w WHERE w.assigned_to ="
            " agents.user_id AND w.state = 'assigned')"
        )
        claimed = await conn.fetchval("SELECT count(*) FROM bench_claims WHERE state = 'assigned'")
    ok = assigned == n and accepted == n and doubled == 0 and over == 0 and claimed == n
    return {
        "ok": ok,
        "assigned": assigned,
        "accepted_offers": accepted,
        "items_accepted_twice": doubled,
        "agents_off_their_load": over,
        "baseline_claimed": claimed,
    }


async def setup(dsn: str, n: int, agents: int) -> tuple[list[str], dict[str, str]]:
    await migrate(dsn)
    pool = await create_pool(dsn, min_size=2, max_size=12)
    try:
        ids = await make_agents(pool, agents, capacity=min(100, -(-n // agents)))
        async with pool.acquire() as conn:
            facts = await common.server_facts(conn)
    finally:
        await pool.close()
    return ids, facts


async def with_pool(dsn: str, work: Any, *args: Any) -> Any:
    pool = await create_pool(dsn, min_size=2, max_size=6)
    try:
        return await work(pool, *args)
    finally:
        await pool.close()


async def bench(server_dsn: str, n: int, agents: int) -> dict[str, Any]:
    """Both sides in one fresh database; the line and the line of claims refilled before each
    number of processes. The worker processes run while this loop waits for them."""
    details: dict[str, Any] = {"items": n, "agents": agents, "batch": OPTIONS.batch}
    async with common.fresh_database(server_dsn, "cc_bench_routing_") as dsn:
        ids, details["postgres"] = await setup(dsn, n, agents)
        checks = []
        for processes in PROCESSES:
            await with_pool(dsn, fill, n)
            details[f"baseline_{processes}p"] = run_processes("claim_loop", dsn, processes, ids)
            await with_pool(dsn, reset_claims)
            details[f"one_statement_{processes}p"] = run_processes("baseline", dsn, processes, ids)
            details[f"routing_{processes}p"] = run_processes("subject", dsn, processes, ids)
            checks.append(await with_pool(dsn, verify, n))
        details["verification"] = {"ok": all(c["ok"] for c in checks), "runs": checks}
    return details


def summarize(line: dict[str, Any]) -> str:
    d = line["details"]
    rows = []
    for p in PROCESSES:
        s, b, o = d[f"routing_{p}p"], d[f"baseline_{p}p"], d[f"one_statement_{p}p"]
        rows.append(
            f"{p} process{'es' if p > 1 else '  '}  routing {s['per_second']:8.1f} assignments/s"
            f"  (offer latency p50 {s.get('offer_latency_p50_ms')} ms,"
            f" p99 {s.get('offer_latency_p99_ms')} ms, {s.get('offers_per_round')} offers/round)"
            f"   claim loop {b['per_second']:8.1f} claims/s   ratio"
            f" {s['per_second'] / b['per_second']:.3f}"
            f"   (one-statement claim {o['per_second']:8.1f}/s, ratio"
            f" {s['per_second'] / o['per_second']:.3f})"
        )
    rows.append(
        f"items {d['items']}, agents {d['agents']}, PostgreSQL"
        f" {line['machine']['postgres']} ({d['database']['source']},"
        f" fsync {d['database']['fsync']}), {line['machine']['cpus']} CPUs"
    )
    rows.append(f"verified {common.verdict(d['verification'])}: {d['verification']['runs']}")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--worker"]:
        worker_main(argv[1:])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument(
        "--quick", action="store_true", help=f"{QUICK_N} items, {QUICK_AGENTS} agents"
    )
    parser.add_argument("-n", type=int, help=f"waiting items (default {DEFAULT_N})")
    parser.add_argument("-a", type=int, help=f"agents (default {DEFAULT_AGENTS})")
    args = parser.parse_args(argv)
    n = args.n or (QUICK_N if args.quick else DEFAULT_N)
    agents = args.a or (QUICK_AGENTS if args.quick else DEFAULT_AGENTS)
    with common.database_server() as server:
        details = asyncio.run(bench(server.dsn, n, agents))
    top = details[f"routing_{PROCESSES[-1]}p"]["per_second"]
    base = details[f"baseline_{PROCESSES[-1]}p"]["per_second"]
    line = common.result_line(
        bench="routing",
        metric="assignments_per_second_3_processes",
        value=top,
        unit="assignments/s",
        baseline=base,
        details=details,
        source=server.source,
    )
    common.emit(line, summarize(line))
    return 0 if details["verification"]["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
