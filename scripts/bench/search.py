"""Search latency over HTTP at a given size, against the plain open-tickets list of the same
run, and email intake cost per mail on an empty database and at that size.

    .venv/bin/python scripts/bench/search.py              # 1,000,000 tickets (about 15 min)
    .venv/bin/python scripts/bench/search.py --quick      # 20,000 tickets, for CI

A fresh database is filled by `scripts/gen_data.py` (see its word list), then the service's
web process (`python -m contact_center web`) answers GET requests from one client, one at a
time, each search and the baseline taking turns round after round, so drift hits all alike.
Reported per search: p50 and p95 in ms and the number of tickets or customers found. The last
line of stdout is the JSON result: `value` = the worst search p95, `baseline` = the open-list
p95, lower is better.

Email intake: `--mails` mails (half replies by In-Reply-To to a stored message, half new
conversations from known customers) through `tickets.intake`, one after the other on one
connection; reported as ms per mail and PostgreSQL CPU per mail (the backend's own CPU time
from /proc, so the server must run on this machine).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import common
import gen_data
from webhooks import base_env, free_ports, python, running, wait_healthy

from contact_center import tickets, users
from contact_center.audit import Actor
from contact_center.db import Pool, create_pool
from contact_center.db.migrate import migrate
from contact_center.tickets import Channel, InboundContact, IntakeOptions
from contact_center.timeutil import utc_now

DEFAULT_SIZE, QUICK_SIZE = 1_000_000, 20_000
DEFAULT_ROUNDS, QUICK_ROUNDS = 100, 20
DEFAULT_MAILS, QUICK_MAILS = 400, 100
BENCH_ACTOR = Actor.system("bench")
OPEN_LIST = ("open list (baseline)", "/api/v1/tickets", {"status": "new,open,pending"})

SAMPLE = """
SELECT t.number, i.value AS phone, e.value AS email, c.name AS name,
       (SELECT name FROM customers WHERE name ~ '^[王李张]' ORDER BY id LIMIT 1) AS chinese
FROM tickets t
JOIN customers c ON c.id = t.customer_id
JOIN customer_identities i ON i.customer_id = c.id AND i.kind = 'phone'
JOIN customer_identities e ON e.customer_id = c.id AND e.kind = 'email'
WHERE c.name !~ '^[王李张]'
ORDER BY t.number DESC LIMIT 1 OFFSET 1000
"""
REPLY_TARGETS = """
SELECT m.rfc_message_id, e.value AS email FROM messages m
JOIN tickets t ON t.id = m.ticket_id
JOIN customer_identities e ON e.customer_id = t.customer_id AND e.kind = 'email'
WHERE m.direction = 'inbound' AND m.rfc_message_id IS NOT NULL
ORDER BY m.created_at DESC LIMIT $1
"""


def searches(sample: dict[str, Any]) -> list[tuple[str, str, dict[str, str]]]:
    words = gen_data.WORDS
    number, phone = str(sample["number"]), sample["phone"]
    ticket_q = [
        ("common word", words["common"]),
        ("stemmed word (charging)", "charging"),
        ("rarer word", words["rare"]),
        ("very rare word", words["very_rare"]),
        ("absent word", words["absent"]),
        ("Chinese 退款", words["chinese"]),
        ("Chinese 发货", words["chinese_rarer"]),
        ("ticket number", number),
        ("#ticket number", "#" + number),
        ("customer phone", phone),
    ]
    customer_q = [
        ("customer by phone", f"({phone[2:5]}) {phone[5:8]}-{phone[8:]}"),
        ("customer by email", sample["email"]),
        ("customer by name", sample["name"]),
        ("customer by Chinese name", sample["chinese"]),
        ("customer by #ticket", "#" + number),
    ]
    return [(f"tickets: {n}", "/api/v1/tickets", {"q": q}) for n, q in ticket_q] + [
        (n, "/api/v1/customers", {"q": q}) for n, q in customer_q
    ]


async def measure(
    url: str, token: str, plan: list[tuple[str, str, dict[str, str]]], rounds: int
) -> dict[str, dict[str, Any]]:
    headers = {"Authorization": f"Bearer {token}"}
    times: dict[str, list[float]] = {name: [] for name, _, _ in plan}
    found: dict[str, int] = {}
    failures: list[str] = []
    async with aiohttp.ClientSession(headers=headers) as session:
        for round_no in range(rounds + 3):  # three warm-up rounds
            for name, path, params in plan:
                started = time.perf_counter()
                async with session.get(url + path, params=params) as response:
                    body = await response.json()
                elapsed = time.perf_counter() - started
                if response.status != 200:
                    failures.append(f"{name}: HTTP {response.status}")
                    continue
                found[name] = len(body.get("tickets", body.get("customers", [])))
                if round_no >= 3:
                    times[name].append(elapsed)
    if failures:
        raise SystemExit("requests failed: " + "; ".join(sorted(set(failures))))
    report = {}
    for name, values in times.items():
        cuts = statistics.quantiles(values, n=100, method="inclusive")
        report[name] = {
            "p50_ms": round(cuts[49] * 1000, 2),
            "p95_ms": round(cuts[94] * 1000, 2),
            "found": found[name],
        }
    return report


def backend_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text("ascii").rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def mail_cost(pool: Pool, mails: int, replies_to: list[dict[str, Any]]) -> dict[str, Any]:
    """Intake `mails` emails one by one: half replies to `replies_to`, half new mail."""
    contacts = []
    for n in range(mails):
        if n % 2 and replies_to:
            target = replies_to[n // 2 % len(replies_to)]
            contacts.append(
                InboundContact(
                    channel=Channel.EMAIL,
                    provider_id=f"<bench-{secrets.token_hex(8)}@mail.example.net>",
                    from_address=target["email"],
                    to_address="support@example.com",
                    subject="Re: my order",
                    text="Any news about my order?",
                    thread_refs=[target["rfc_message_id"]],
                )
            )
        else:
            contacts.append(
                InboundContact(
                    channel=Channel.EMAIL,
                    provider_id=f"<bench-{secrets.token_hex(8)}@mail.example.net>",
                    from_address=f"writer{n}.{secrets.token_hex(3)}@example.net",
                    to_address="support@example.com",
                    subject=f"Question {n}",
                    text="Hello, where is my parcel?",
                )
            )
    async with pool.acquire() as conn:
        pid = await conn.fetchval("SELECT pg_backend_pid()")
    options = IntakeOptions()
    cpu_before, started = backend_cpu(pid), time.perf_counter()
    latencies = []
    for contact in contacts:
        t0 = time.perf_counter()
        await tickets.intake(pool, contact, now=utc_now(), options=options)
        latencies.append(time.perf_counter() - t0)
    wall, cpu = time.perf_counter() - started, backend_cpu(pid) - cpu_before
    return {
        "mails": mails,
        "ms_per_mail": round(wall / mails * 1000, 3),
        "p50_ms": round(statistics.median(latencies) * 1000, 3),
        "postgres_cpu_ms_per_mail": round(cpu / mails * 1000, 3),
        "mails_per_second": round(mails / wall, 1),
    }


async def intake_on_empty(server_dsn: str, mails: int) -> dict[str, Any]:
    async with common.fresh_database(server_dsn, "cc_bench_mail_") as dsn:
        await migrate(dsn)
        pool = await create_pool(dsn, min_size=1, max_size=1)
        try:
            # Replies go to mails of this run: the same half-and-half mix as at full size.
            await mail_cost(pool, mails // 2, [])
            async with pool.acquire() as conn:
                targets = [dict(r) for r in await conn.fetch(REPLY_TARGETS, mails)]
            return await mail_cost(pool, mails, targets)
        finally:
            await pool.close()


async def run(args: argparse.Namespace) -> dict[str, Any]:
    size = args.size or (QUICK_SIZE if args.quick else DEFAULT_SIZE)
    rounds = args.rounds or (QUICK_ROUNDS if args.quick else DEFAULT_ROUNDS)
    mails = args.mails or (QUICK_MAILS if args.quick else DEFAULT_MAILS)
    with common.database_server() as server:
        empty_mail = await intake_on_empty(server.dsn, mails)
        print(f"intake on an empty database: {empty_mail}", file=sys.stderr)
        async with common.fresh_database(server.dsn, "cc_bench_search_") as dsn:
            await migrate(dsn)
            started = time.perf_counter()
            await gen_data.generate(dsn, tickets=size, log=lambda s: print(s, file=sys.stderr))
            generated = round(time.perf_counter() - started, 1)
            pool = await create_pool(dsn, min_size=1, max_size=1)
            try:
                async with pool.acquire() as conn:
                    sample: dict[str, Any] = dict(await conn.fetchrow(SAMPLE) or {})
                    targets = [dict(r) for r in await conn.fetch(REPLY_TARGETS, mails)]
                    postgres = await common.server_facts(conn)
                full_mail = await mail_cost(pool, mails, targets)
                print(f"intake at {size} tickets: {full_mail}", file=sys.stderr)
                email = f"bench-{secrets.token_hex(4)}@example.com"
                await users.create_user(
                    pool, BENCH_ACTOR, email=email, role="agent", password=secrets.token_hex(16)
                )
                token = await users.create_api_token(pool, BENCH_ACTOR, email=email)
            finally:
                await pool.close()
            figures = await serve_and_measure(dsn, token, [OPEN_LIST, *searches(sample)], rounds)
    return {
        "size": size,
        "rounds": rounds,
        "generate_seconds": generated,
        "figures": figures,
        "intake_empty": empty_mail,
        "intake_full": full_mail,
        "postgres": postgres,
        "source": server.source,
    }


async def serve_and_measure(
    dsn: str, token: str, plan: list[tuple[str, str, dict[str, str]]], rounds: int
) -> dict[str, dict[str, Any]]:
    (port,) = free_ports(1)
    env = {**base_env(), "DATABASE_URL": dsn, "LOG_LEVEL": "WARNING"}
    with tempfile.TemporaryDirectory(prefix="cc-bench-search-") as folder:
        log = Path(folder) / "web.log"
        command = [python(), "-m", "contact_center", "web", "--port", str(port)]
        async with running("web", command, env, log) as process:
            url = f"http://127.0.0.1:{port}"
            await wait_healthy(url, process, log)
            return await measure(url, token, plan, rounds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_SIZE} tickets")
    parser.add_argument("--size", type=int, default=None, help=f"tickets ({DEFAULT_SIZE})")
    parser.add_argument("--rounds", type=int, default=None, help="requests per search")
    parser.add_argument("--mails", type=int, default=None, help="mails per intake measurement")
    args = parser.parse_args()
    result = asyncio.run(run(args))
    figures = result["figures"]
    baseline = figures.pop(OPEN_LIST[0])["p95_ms"]
    worst_name, worst = max(figures.items(), key=lambda item: item[1]["p95_ms"])
    absent = figures[f"tickets: {'absent word'}"]["found"]
    empty = [name for name, f in figures.items() if f["found"] == 0 and "absent" not in name]
    checks = {"ok": absent == 0 and not empty, "absent_found": absent, "found_nothing": empty}
    lines = [f"{'search':32} {'p50 ms':>8} {'p95 ms':>8} {'found':>6}"]
    lines += [f"{'open list (baseline)':32} {'':>8} {baseline:>8}"]
    lines += [
        f"{name:32} {f['p50_ms']:>8} {f['p95_ms']:>8} {f['found']:>6}"
        for name, f in figures.items()
    ]
    lines.append(f"intake per mail, empty: {result['intake_empty']}")
    lines.append(f"intake per mail, {result['size']} tickets: {result['intake_full']}")
    lines.append(f"worst: {worst_name} {worst['p95_ms']} ms; checks {common.verdict(checks)}")
    details = {
        "size": result["size"],
        "rounds": result["rounds"],
        "generate_seconds": result["generate_seconds"],
        "worst": worst_name,
        "searches": figures,
        "intake_per_mail": {"empty": result["intake_empty"], "full": result["intake_full"]},
        "checks": checks,
        "postgres": result["postgres"],
    }
    line = common.result_line(
        bench="search",
        metric="worst_search_p95_ms",
        value=worst["p95_ms"],
        unit="ms",
        baseline=baseline,
        details=details,
        source=result["source"],
        higher_is_better=False,
    )
    common.emit(line, "\n".join(lines))
    if not checks["ok"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
