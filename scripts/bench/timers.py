"""Timers benchmark: firing rate and lag of clock warnings and breaches, with N open clocks and
a steady load of signed inbound SMS webhooks on the same service, against a bare claim loop.

The subject is the product's path: the timers loop (`workflows.timers`, as worker and serve run
it) claims due tickets with SKIP LOCKED in batches, locks their due clocks and fires them
set-based through the event log's unique index: a warning publishes `deadline.warned` and an
audit row; a breach escalates (the ticket's priority raised, audited and announced, its waiting
work item queued again in its new place, an internal note, live events). The baseline is a
bare claim-and-update loop over the same rows, in the same process under the same webhook
load: `SELECT … FOR UPDATE SKIP LOCKED LIMIT 500`, then `UPDATE clocks SET breached_at = now(),
fire_at = NULL`, sleeping until the next fire time like the subject.

N clocks are inserted set-based, each on its own ticket, unassigned and waiting in routing
(a work item each, as intake leaves an SMS ticket nobody has taken yet). Two measurements:
capacity, B of the rows all due at once (a start after downtime) fired by each side — the
reported value is the subject's rate, the baseline the bare loop's; and lag, F rows falling due
spread over the run (half a warning, half a breach), the rest hours later, fired on schedule by
each side (lag from due to fired, p50/p99, at the claim and as a watcher saw the commit).

    .venv/bin/python scripts/bench/timers.py [--quick] [-n CLOCKS] [-f DUE] [-s SECONDS]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import socket
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
from aiohttp import web
from twilio.request_validator import RequestValidator

from contact_center import customers
from contact_center.app import create_app
from contact_center.audit import Actor
from contact_center.config import Secret, Settings
from contact_center.customers import NewCustomer
from contact_center.db import Pool, create_pool
from contact_center.db.migrate import migrate
from contact_center.timeutil import utc_now
from contact_center.workflows.timers import timers_running

sys.path.insert(0, str(Path(__file__).parent))
import common

DEFAULT_N, DEFAULT_DUE, DEFAULT_SECONDS = 100_000, 12_000, 60.0
QUICK_N, QUICK_DUE, QUICK_SECONDS = 10_000, 2_000, 10.0
LEAD = 3.0  # seconds from the start of a run to the first due time
WEBHOOKS_PER_SECOND = 20
WARM_UP = 20
BACKLOG = 10_000  # due rows that fall due all at once in the capacity runs (at most F)
CUSTOMERS = 200
BENCH = Actor.system("bench")
ACCOUNT_SID = "AC" + "0" * 32
TOKEN = "bench-auth-token"
SMS_PATH = "/webhooks/twilio/sms"
SUPPORT_NUMBER = "+12025550100"

SEED_TICKETS = """
INSERT INTO tickets (subject, kind, priority, customer_id, channel, queue, created_at,
                     updated_at, last_message_at, status)
SELECT 'Bench ticket ' || g, 'inquiry', 'normal', ($1::uuid[])[1 + g % array_length($1, 1)],
       'sms', 'general', $2, $2, $2, 'open'
FROM generate_series(1, $3) g
"""
# Each unassigned ticket waits in routing, as intake leaves it (a breach re-queues it).
SEED_ITEMS = """
INSERT INTO work_items (kind, channel, queue, ticket_id, customer_id, priority, enqueued_at,
                        rank_at)
SELECT 'ticket', 'sms', 'general', id, customer_id, 'normal', created_at, created_at
FROM tickets WHERE subject LIKE 'Bench ticket %'
"""
# One running clock per bench ticket, due in hours: the open clocks the scanner must pass over.
SEED_CLOCKS = """
INSERT INTO clocks (ticket_id, kind, state, mode, target_seconds, started_at, running_since,
                    due_at, warn_at, fire_at)
SELECT id, 'resolution', 'running', 'wall', 86400, $1::timestamptz, $1::timestamptz,
       $1::timestamptz + make_interval(hours => (4 + n % 20)::int),
       $1::timestamptz + make_interval(hours => (3 + n % 20)::int),
       $1::timestamptz + make_interval(hours => (3 + n % 20)::int)
FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM tickets
      WHERE subject LIKE 'Bench ticket %') t
"""
# Arm the due rows for one run: a warning at its time (due much later), or a breach at its
# time (warned already); nothing fired yet.
ARM = """
UPDATE clocks c SET
  warned_at = CASE WHEN u.breach THEN u.at - interval '1 hour' END,
  breached_at = NULL,
  warn_at = CASE WHEN u.breach THEN u.at - interval '1 hour' ELSE u.at END,
  due_at = CASE WHEN u.breach THEN u.at ELSE u.at + interval '20 hours' END,
  fire_at = u.at
FROM unnest($1::bigint[], $2::timestamptz[], $3::boolean[]) AS u(id, at, breach)
WHERE c.id = u.id
"""
FIRED = """
SELECT id, CASE WHEN due_at - warn_at < interval '2 hours' THEN breached_at ELSE warned_at END
       AS fired_at
FROM clocks WHERE id = ANY($1::bigint[])
"""
BASELINE_CLAIM = """
SELECT id, warned_at IS NOT NULL AS warned FROM clocks
WHERE fire_at <= now() AND state = 'running'
ORDER BY fire_at LIMIT 500 FOR UPDATE SKIP LOCKED
"""
BASELINE_MARK = """
UPDATE clocks SET warned_at = coalesce(warned_at, now()),
                  breached_at = CASE WHEN u.warned THEN now() END, fire_at = NULL
FROM unnest($1::bigint[], $2::boolean[]) AS u(id, warned)
WHERE clocks.id = u.id
"""
NEXT_FIRE = "SELECT min(fire_at) FROM clocks WHERE fire_at IS NOT NULL"
NEW_EVENTS = """
SELECT id, clock_id FROM clock_events WHERE id > $1 AND event IN ('warned', 'breached')
ORDER BY id
"""


# ---------------------------------------------------------------- the two firing loops


async def baseline_loop(pool: Pool, stop: asyncio.Event) -> None:
    """Claim due rows and mark them fired, nothing else; sleep until the next fire time."""
    while not stop.is_set():
        async with pool.acquire() as conn, conn.transaction():
            rows = await conn.fetch(BASELINE_CLAIM)
            if rows:
                await conn.execute(
                    BASELINE_MARK, [r["id"] for r in rows], [r["warned"] for r in rows]
                )
        if len(rows) == 500:
            continue
        async with pool.acquire() as conn:
            soonest = await conn.fetchval(NEXT_FIRE)
        wait = 1.0 if soonest is None else (soonest - utc_now()).total_seconds()
        try:
            await asyncio.wait_for(stop.wait(), max(0.0, min(1.0, wait)))
        except TimeoutError:
            pass


async def watch_events(pool: Pool, stop: asyncio.Event, seen: dict[int, datetime]) -> None:
    """When each firing became visible (committed): polled every 20 ms."""
    last = 0
    while not stop.is_set():
        async with pool.acquire() as conn:
            rows = await conn.fetch(NEW_EVENTS, last)
        at = utc_now()
        for row in rows:
            seen.setdefault(row["clock_id"], at)
            last = row["id"]
        await asyncio.sleep(0.02)


# ---------------------------------------------------------------- webhook load


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def signed_sms(url: str, n: int, rng: random.Random) -> tuple[bytes, dict[str, str]]:
    sid = "SM" + "".join(rng.choices("0123456789abcdef", k=32))
    form = {
        "MessageSid": sid,
        "SmsSid": sid,
        "AccountSid": ACCOUNT_SID,
        "From": f"+12023{n % 100:02d}{rng.randint(1000, 9999):04d}",
        "To": SUPPORT_NUMBER,
        "Body": "Where is my order?",
        "NumMedia": "0",
    }
    signature = RequestValidator(TOKEN).compute_signature(url, form)
    headers = {
        "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
        "X-Twilio-Signature": str(signature),
    }
    return urlencode(form).encode(), headers


async def webhook_load(
    url: str, rate: float, stop: asyncio.Event, latencies: list[float], statuses: list[int]
) -> None:
    """Signed inbound SMS at a steady rate (open loop) until `stop`."""
    rng = random.Random(7)
    started = time.monotonic()
    tasks: set[asyncio.Task[None]] = set()
    async with aiohttp.ClientSession() as session:

        async def one(body: bytes, headers: dict[str, str]) -> None:
            begin = time.monotonic()
            async with session.post(url, data=body, headers=headers) as answer:
                await answer.read()
                statuses.append(answer.status)
            latencies.append(time.monotonic() - begin)

        n = 0
        while not stop.is_set():
            body, headers = signed_sms(url, n, rng)
            task = asyncio.create_task(one(body, headers))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
            n += 1
            await asyncio.sleep(max(0.0, started + n / rate - time.monotonic()))
        await asyncio.gather(*tasks, return_exceptions=True)


async def warm_up(url: str) -> None:
    """A few webhooks before any clock starts (first requests load what later ones reuse)."""
    rng = random.Random(3)
    async with aiohttp.ClientSession() as session:
        for n in range(WARM_UP):
            body, headers = signed_sms(url, n, rng)
            async with session.post(url, data=body, headers=headers) as answer:
                await answer.read()


# ---------------------------------------------------------------- one run


async def run(
    pool: Pool, settings: Settings, due_ids: list[int], seconds: float, subject: bool
) -> dict[str, Any]:
    """Arm the due rows over `seconds` from LEAD s on (all at once when `seconds` is 0: a
    backlog, as after downtime), fire them with the subject or the baseline loop under
    webhook load; firing rate, lags and webhook figures."""
    app = create_app(settings, pool)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    port = int(settings.public_url.rsplit(":", 1)[1])
    await web.TCPSite(runner, "127.0.0.1", port).start()
    await warm_up(settings.public_url + SMS_PATH)
    start = utc_now() + timedelta(seconds=LEAD)
    step = seconds / max(1, len(due_ids))
    times = [start + timedelta(seconds=i * step) for i in range(len(due_ids))]
    breach = [i % 2 == 1 for i in range(len(due_ids))]
    async with pool.acquire() as conn:
        await conn.execute(ARM, due_ids, times, breach)
    stop = asyncio.Event()
    latencies: list[float] = []
    statuses: list[int] = []
    seen: dict[int, datetime] = {}
    load = asyncio.create_task(
        webhook_load(settings.public_url + SMS_PATH, WEBHOOKS_PER_SECOND, stop, latencies, statuses)
    )
    watcher = asyncio.create_task(watch_events(pool, stop, seen))
    busy_before = common.cpu_ticks()
    began = time.monotonic()
    # A backlog is timed to the commit of its last firing, seen by polling every 10 ms (the
    # fire times written are each batch's start, which would hide the last batch's work).
    poll = 0.01 if not seconds else 0.2
    try:
        if subject:
            async with timers_running(pool):
                drained = await _until_fired(pool, due_ids, LEAD + seconds + 30, poll)
        else:
            halt = asyncio.Event()
            loop = asyncio.create_task(baseline_loop(pool, halt))
            drained = await _until_fired(pool, due_ids, LEAD + seconds + 30, poll)
            halt.set()
            await loop
    finally:
        wall = time.monotonic() - began
        stop.set()
        await asyncio.gather(load, watcher)
        await runner.cleanup()
    async with pool.acquire() as conn:
        rows = {r["id"]: r["fired_at"] for r in await conn.fetch(FIRED, due_ids)}
    due_at = dict(zip(due_ids, times, strict=True))
    fired = [(i, rows[i]) for i in due_ids if rows.get(i) is not None]
    lags = [max(0.0, (at - due_at[i]).total_seconds()) for i, at in fired]
    visible = [max(0.0, (seen[i] - due_at[i]).total_seconds()) for i, _ in fired if i in seen]
    last = max((at for _, at in fired), default=start)
    window = max(seconds, (last - start).total_seconds(), 1e-3)
    if not seconds:  # a backlog: the rate is how fast it was worked off, to the last commit
        window = max((drained - start).total_seconds(), 1e-3)
    result: dict[str, Any] = {
        "fired": len(fired),
        "per_second": round(len(fired) / window, 1),
        "window_seconds": round(window, 2),
        "lag_ms": common.percentiles_ms(lags) if len(lags) > 1 else None,
        "lag_max_ms": round(max(lags, default=0) * 1000, 1),
        "webhooks": len(latencies),
        "webhooks_ok": sum(1 for s in statuses if s < 300),
        "webhook_latency_ms": common.percentiles_ms(latencies) if len(latencies) > 1 else None,
        "machine_busy": common.round_or_none(common.busy_share(busy_before, common.cpu_ticks())),
        "run_seconds": round(wall, 1),
    }
    if subject:
        result["visible_lag_ms"] = common.percentiles_ms(visible) if len(visible) > 1 else None
    return result


async def _until_fired(pool: Pool, due_ids: list[int], limit: float, poll: float) -> datetime:
    """When every row was seen fired (committed)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        async with pool.acquire() as conn:
            left = await conn.fetchval(
                "SELECT count(*) FROM clocks WHERE id = ANY($1::bigint[]) AND fire_at <= $2",
                due_ids,
                utc_now() + timedelta(hours=1),
            )
        if left == 0:
            return utc_now()
        await asyncio.sleep(poll)
    return utc_now()


# ---------------------------------------------------------------- set-up and checks


async def seed(pool: Pool, n: int, due: int) -> list[int]:
    """N tickets, each open, unassigned and waiting in routing (a raised priority re-queues
    it), with one open clock (set-based); the ids of the `due` clocks to arm."""
    ids = []
    for k in range(CUSTOMERS):
        customer = await customers.create_customer(
            pool, BENCH, NewCustomer(name=f"Bench Customer {k}"), region="US"
        )
        ids.append(customer.id)
    now = utc_now()
    async with pool.acquire() as conn:
        await conn.execute(SEED_TICKETS, ids, now, n)
        await conn.execute(SEED_ITEMS)
        await conn.execute(SEED_CLOCKS, now)
        await conn.execute("ANALYZE tickets; ANALYZE clocks; ANALYZE work_items")
        rows = await conn.fetch("SELECT id FROM clocks ORDER BY random() LIMIT $1", due)
    return [r["id"] for r in rows]


async def _forget_events(pool: Pool, ids: list[int]) -> None:
    """The backlog run fires the same rows again: their earlier firings are cleared."""
    async with pool.acquire() as conn:
        await conn.execute("DELETE FROM clock_events WHERE clock_id = ANY($1::bigint[])", ids)


async def verify(pool: Pool, due_ids: list[int]) -> dict[str, Any]:
    """Each armed clock fired exactly once in the subject run, with its escalation."""
    async with pool.acquire() as conn:
        events = await conn.fetchval(
            "SELECT count(*) FROM clock_events WHERE clock_id = ANY($1::bigint[])"
            " AND event IN ('warned', 'breached')",
            due_ids,
        )
        twice = await conn.fetchval(
            "SELECT count(*) FROM (SELECT clock_id, event FROM clock_events"
            " WHERE event IN ('warned', 'breached') GROUP BY 1, 2 HAVING count(*) > 1) d"
        )
        early = await conn.fetchval(
            "SELECT count(*) FROM clock_events e JOIN clocks c ON c.id = e.clock_id"
            " WHERE (e.event = 'breached' AND e.at < c.due_at)"
            " OR (e.event = 'warned' AND e.at < c.warn_at)"
        )
        raised = await conn.fetchval(
            "SELECT count(*) FROM tickets t JOIN clocks c ON c.ticket_id = t.id"
            " WHERE c.id = ANY($1::bigint[]) AND c.breached_at IS NOT NULL"
            " AND t.priority = 'high'",
            due_ids,
        )
        notes = await conn.fetchval(
            "SELECT count(*) FROM messages WHERE channel = 'note'"
            " AND body_text LIKE 'Deadline missed%'"
        )
        requeued = await conn.fetchval(
            "SELECT count(*) FROM work_items w JOIN clocks c ON c.ticket_id = w.ticket_id"
            " WHERE c.id = ANY($1::bigint[]) AND c.breached_at IS NOT NULL"
            " AND w.state = 'waiting' AND w.priority = 'high'",
            due_ids,
        )
    breaches = len(due_ids) // 2
    ok = events == len(due_ids) and twice == 0 and early == 0 and raised == breaches
    ok = ok and notes == breaches and requeued == breaches
    return {
        "ok": ok,
        "fired_events": events,
        "fired_twice": twice,
        "fired_early": early,
        "tickets_raised": raised,
        "notes": notes,
        "items_requeued": requeued,
    }


async def bench(server_dsn: str, n: int, due: int, seconds: float) -> dict[str, Any]:
    details: dict[str, Any] = {
        "clocks": n,
        "due_during_run": due,
        "run_seconds": seconds,
        "webhooks_per_second": WEBHOOKS_PER_SECOND,
    }
    async with common.fresh_database(server_dsn, "cc_bench_timers_") as dsn:
        await migrate(dsn)
        pool = await create_pool(dsn, min_size=4, max_size=20)
        try:
            async with pool.acquire() as conn:
                details["postgres"] = await common.server_facts(conn)
            due_ids = await seed(pool, n, due)
            settings = Settings(
                public_url=f"http://127.0.0.1:{free_port()}",
                secret_key=Secret("bench-secret-key-0123456789"),
                twilio_account_sid=ACCOUNT_SID,
                twilio_auth_token=Secret(TOKEN),
                twilio_from_number=SUPPORT_NUMBER,
            )
            details["baseline"] = await run(pool, settings, due_ids, seconds, subject=False)
            details["timers"] = await run(pool, settings, due_ids, seconds, subject=True)
            details["verification"] = await verify(pool, due_ids)
            # Capacity: a backlog of the same rows all due at once (a start after downtime).
            backlog = due_ids[: min(BACKLOG, due)]
            details["backlog_baseline"] = await run(pool, settings, backlog, 0, subject=False)
            await _forget_events(pool, backlog)
            details["backlog_timers"] = await run(pool, settings, backlog, 0, subject=True)
        finally:
            await pool.close()
    return details


def summarize(line: dict[str, Any]) -> str:
    d = line["details"]
    s, b = d["timers"], d["baseline"]
    return "\n".join(
        [
            f"timers   {s['per_second']:8.1f} fired/s  lag {s['lag_ms']}"
            f"  visible {s.get('visible_lag_ms')}"
            f"  webhooks {s['webhooks_ok']}/{s['webhooks']} {s['webhook_latency_ms']}",
            f"baseline {b['per_second']:8.1f} fired/s  lag {b['lag_ms']}"
            f"  webhooks {b['webhooks_ok']}/{b['webhooks']} {b['webhook_latency_ms']}",
            f"capacity, {d['backlog_timers']['fired']} due at once: timers"
            f" {d['backlog_timers']['per_second']:.1f} fired/s, bare loop"
            f" {d['backlog_baseline']['per_second']:.1f}/s, ratio {line['ratio']}",
            f"clocks {d['clocks']}, due during the run {d['due_during_run']}"
            f" over {d['run_seconds']} s; PostgreSQL {line['machine']['postgres']}"
            f" ({d['database']['source']}), {line['machine']['cpus']} CPUs",
            f"verified {common.verdict(d['verification'])}: {d['verification']}",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"{QUICK_N} clocks, {QUICK_DUE} due in {QUICK_SECONDS:.0f} s",
    )
    parser.add_argument("-n", type=int, help=f"open clocks (default {DEFAULT_N})")
    parser.add_argument(
        "-f", type=int, help=f"clocks falling due during the run (default {DEFAULT_DUE})"
    )
    parser.add_argument(
        "-s", type=float, help=f"seconds they are spread over (default {DEFAULT_SECONDS:.0f})"
    )
    args = parser.parse_args(argv)
    n = args.n or (QUICK_N if args.quick else DEFAULT_N)
    due = min(n, args.f or (QUICK_DUE if args.quick else DEFAULT_DUE))
    seconds = args.s or (QUICK_SECONDS if args.quick else DEFAULT_SECONDS)
    with common.database_server() as server:
        details = asyncio.run(bench(server.dsn, n, due, seconds))
    line = common.result_line(
        bench="timers",
        metric="clocks_fired_per_second",
        value=details["backlog_timers"]["per_second"],
        unit="fired/s",
        baseline=details["backlog_baseline"]["per_second"],
        details=details,
        source=server.source,
    )
    common.emit(line, summarize(line))
    return 0 if details["verification"]["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
