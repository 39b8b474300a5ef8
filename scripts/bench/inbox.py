"""Inbox latency at a given size: every view in every sort, the filters, a second page, each
with its four counts, against the plain open-tickets list of the same run.

    .venv/bin/python scripts/bench/inbox.py                  # 1,000,000 tickets (about 12 min)
    .venv/bin/python scripts/bench/inbox.py --quick          # 20,000 tickets, for CI
    .venv/bin/python scripts/bench/inbox.py --dsn DSN        # a database gen_data.py filled

A fresh database is filled by `scripts/gen_data.py` (or `--dsn` names one already filled; it is
read, given one agent with queues and 200 assigned tickets, and kept). Each case is one call
of `tickets.list_inbox` (a page and the counts: two statements) on one connection, the cases
and the baseline taking turns round after round. Reported per case: p50 and p95 in ms. The
last line of stdout is the JSON result: `value` = the worst case's p95, `baseline` = the
open-list p95, lower is better. Checks: the counts equal plain `count(*)` queries, and walking
the open view page by page meets every active ticket once.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import common
import gen_data

from contact_center import tickets, users
from contact_center.audit import Actor
from contact_center.config import Settings
from contact_center.db import Pool, create_pool
from contact_center.db.migrate import migrate
from contact_center.tickets import Channel, InboxFilter, Kind, Sort, Status, TicketFilter, View
from contact_center.tickets import Viewer as InboxViewer
from contact_center.timeutil import utc_now

DEFAULT_SIZE, QUICK_SIZE = 1_000_000, 20_000
DEFAULT_ROUNDS, QUICK_ROUNDS = 30, 10
BENCH_ACTOR = Actor.system("bench")
ACTIVE = [Status.NEW, Status.OPEN, Status.PENDING]
COUNTS = """
SELECT count(*) FILTER (WHERE assignee_id = $1) AS mine,
       count(*) FILTER (WHERE queue = ANY($2)) AS queues,
       count(*) FILTER (WHERE assignee_id IS NULL) AS unassigned, count(*) AS open
FROM tickets WHERE status IN ('new', 'open', 'pending')
"""


def cases() -> list[tuple[str, InboxFilter]]:
    found = [
        (f"{view.value} / {sort.value}", InboxFilter(view=view, sort=sort))
        for view in View
        for sort in Sort
    ]
    return [
        *found,
        ("open / kind+channel+status", InboxFilter(kind=[Kind.ORDER], channel=[Channel.SMS])),
        ("open / tier A", InboxFilter(tier="A")),
        ("open / key accounts", InboxFilter(key_account=True)),
        ("open / tag vip", InboxFilter(tag="vip")),
        ("open / overdue, due", InboxFilter(overdue=True, sort=Sort.DUE)),
        (
            "unassigned / tier C, refund, overdue",
            InboxFilter(view=View.UNASSIGNED, tier="C", tag="refund", overdue=True),
        ),
    ]


async def prepare(pool: Pool) -> InboxViewer:
    """One agent who works two queues and holds 200 of the active tickets."""
    agent = await users.create_user(
        pool,
        BENCH_ACTOR,
        email="bench-agent@example.com",
        role=users.Role.AGENT,
        password="bench agent password",
        passwords=users.passwords_for(Settings()),
    )
    agent = await users.set_queues(pool, BENCH_ACTOR, agent.id, ["complaint", "order"])
    page = await tickets.list_inbox(
        pool, InboxViewer(agent.id), InboxFilter(), limit=200, now=utc_now()
    )
    for row in page.items:
        await tickets.update_ticket(
            pool, BENCH_ACTOR, row.id, {"assignee_id": str(agent.id)}, now=utc_now()
        )
    return InboxViewer(agent.id, agent.queues)


async def check(pool: Pool, viewer: InboxViewer) -> dict[str, Any]:
    async with pool.acquire() as conn:
        row = await conn.fetchrow(COUNTS, viewer.user_id, viewer.queues)
    assert row is not None
    page = await tickets.list_inbox(pool, viewer, InboxFilter(), now=utc_now())
    counts = page.counts
    seen: set[Any] = set()
    walked, cursor = 0, None
    while True:
        step = await tickets.list_inbox(
            pool, viewer, InboxFilter(sort=Sort.DUE), cursor=cursor, limit=200, now=utc_now()
        )
        walked += len(step.items)
        seen.update(r.id for r in step.items)
        cursor = step.next_cursor
        if cursor is None:
            break
    return {
        "counts_exact": (counts.mine, counts.queues, counts.unassigned, counts.open)
        == (row["mine"], row["queues"], row["unassigned"], row["open"]),
        "walk_meets_each_once": walked == len(seen) == row["open"],
        "active_tickets": row["open"],
    }


async def measure(pool: Pool, viewer: InboxViewer, rounds: int) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {"open list (baseline)": []}
    work = cases()
    first = await tickets.list_inbox(pool, viewer, InboxFilter(), now=utc_now())
    for _ in range(rounds + 2):  # two warm-up rounds
        started = time.perf_counter()
        await tickets.list_tickets(pool, TicketFilter(status=ACTIVE), limit=50)
        timings["open list (baseline)"].append(time.perf_counter() - started)
        for name, where in work:
            started = time.perf_counter()
            await tickets.list_inbox(pool, viewer, where, limit=50, now=utc_now())
            timings.setdefault(name, []).append(time.perf_counter() - started)
        started = time.perf_counter()
        await tickets.list_inbox(
            pool, viewer, InboxFilter(), cursor=first.next_cursor, limit=50, now=utc_now()
        )
        timings.setdefault("open / activity, second page", []).append(time.perf_counter() - started)
    return {name: values[2:] for name, values in timings.items()}


def p50_p95(latencies: list[float]) -> dict[str, float]:
    cuts = common.latency_cuts(latencies)
    return {"p50": round(cuts[49] * 1000, 2), "p95": round(cuts[94] * 1000, 2)}


async def run(args: argparse.Namespace) -> int:
    size = QUICK_SIZE if args.quick else args.size
    rounds = QUICK_ROUNDS if args.quick else args.rounds
    if args.dsn:
        return await bench(args.dsn, size, rounds, "--dsn", generate=False)
    with common.database_server() as server:
        async with common.fresh_database(server.dsn, "bench_inbox_") as dsn:
            return await bench(dsn, size, rounds, server.source, generate=True)


async def bench(dsn: str, size: int, rounds: int, source: str, *, generate: bool) -> int:
    await migrate(dsn)
    if generate:
        started = time.perf_counter()
        await gen_data.generate(dsn, tickets=size, log=lambda line: print(line, file=sys.stderr))
        print(f"generated in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    pool = await create_pool(dsn, min_size=1, max_size=1)
    try:
        viewer = await prepare(pool)
        timings = await measure(pool, viewer, rounds)
        checks = await check(pool, viewer)
        async with pool.acquire() as conn:
            postgres = await common.server_facts(conn)
    finally:
        await pool.close()
    cuts = {name: p50_p95(values) for name, values in timings.items()}
    baseline = cuts.pop("open list (baseline)")
    worst_name = max(cuts, key=lambda name: cuts[name]["p95"])
    lines = [f"{'case':<40} {'p50 ms':>8} {'p95 ms':>8}"]
    lines += [f"{'open list (baseline)':<40} {baseline['p50']:>8} {baseline['p95']:>8}"]
    lines += [f"{name:<40} {cut['p50']:>8} {cut['p95']:>8}" for name, cut in cuts.items()]
    lines.append(f"checks: {checks}")
    line = common.result_line(
        bench="inbox",
        metric="worst_inbox_p95_ms",
        value=cuts[worst_name]["p95"],
        unit=f"ms ({worst_name})",
        baseline=baseline["p95"],
        details={
            "tickets": size,
            "rounds": rounds,
            "cases": cuts,
            "checks": checks,
            "postgres": postgres,
            "median_of_medians_ms": round(statistics.median(c["p50"] for c in cuts.values()), 2),
        },
        source=source,
        higher_is_better=False,
    )
    common.emit(line, "\n".join(lines))
    return 0 if checks["counts_exact"] and checks["walk_meets_each_once"] else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=DEFAULT_SIZE)
    parser.add_argument("--rounds", type=int, default=DEFAULT_ROUNDS)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--dsn", help="a database gen_data.py already filled (kept)")
    raise SystemExit(asyncio.run(run(parser.parse_args())))


if __name__ == "__main__":
    main()
