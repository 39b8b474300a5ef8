"""Benchmark: the agent console's pages and its live events, against the full service.

    .venv/bin/python scripts/bench/console.py [--quick]          # demo data, fresh database
    .venv/bin/python scripts/bench/console.py --tickets 1000000  # fresh database by gen_data.py
    .venv/bin/python scripts/bench/console.py --database-url postgresql://…/cc_big
    .venv/bin/python scripts/bench/console.py --page ticket=/tickets/{ticket_number}

The service (`python -m contact_center serve`: web, worker and inbound SMTP) runs as a
subprocess on 127.0.0.1, its SMS and mail going to local stand-ins. Measured:

(a) pages: time to first byte (status line and headers received) of each console page, one
    request at a time from one signed-in client, rounds in which every page and the baseline,
    `GET /healthz` (a database round trip behind the same middleware), take turns. Pages are
    URL templates (`PAGES`, `--page NAME=PATH`) with {ticket_id}, {ticket_number} and
    {customer_id} filled from tickets sampled at random. A page that answers 404 is not served
    yet: reported, left out, not a failure.
(b) live: CLIENTS signed-in clients hold `GET /live/events` (Server-Sent Events) open while
    signed SMS webhooks from new numbers arrive at RATE per second; latency is from the
    webhook's 200 to each client receiving the matching `message.received` event (matched by
    `ticket_number`, looked up from the MessageSid afterwards). Baseline: a bare
    `pg_notify` → LISTEN round trip on the same server at the same rate.

The database: `--database-url` uses that (migrated, kept) database, adding a bench user and
the webhooks' tickets; else a fresh database on DATABASE_URL's server or an embedded one,
filled with the demo data or, with `--tickets N`, by scripts/gen_data.py, and dropped after.
The last line of stdout is one JSON object (DESIGN.md section 6): the worst page p95 against
the /healthz p95 (or, with `--part live`, the live p99 against the notify p99); lower is
better. Exit status 1 when a request failed or a client missed an event.
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import signal
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import common
import gen_data
from console_live import cuts_ms, measure_live
from webhooks import (
    base_env,
    free_ports,
    python,
    running,
    stand_in_settings,
    stand_ins,
    wait_healthy,
)

from contact_center import demo, users
from contact_center.audit import Actor
from contact_center.config import Settings
from contact_center.db import create_pool
from contact_center.db.migrate import migrate

# The console's pages and the data they load; extend here or with --page NAME=TEMPLATE.
PAGES = {
    "inbox": "/",
    "inbox data": "/api/v1/inbox",
    "ticket": "/tickets/{ticket_id}",
    "ticket data": "/api/v1/tickets/{ticket_id}",
    "customer": "/customers/{customer_id}",
    "customer data": "/api/v1/customers/{customer_id}",
}
BASELINE_PAGE = ("healthz (baseline)", "/healthz")
ROUNDS, QUICK_ROUNDS, WARM_UP, SAMPLED = 200, 30, 5, 50
RATE, CLIENTS, SECONDS, QUICK_SECONDS = 200.0, 50, 10.0, 3.0
AIMS = {"page_p95_ms_max": 50.0, "live_p99_ms_max": 100.0}
BENCH_ACTOR = Actor.system("bench")
SAMPLE = "SELECT id, number, customer_id FROM tickets ORDER BY random() LIMIT $1"


# ---------------------------------------------------------------- pages


def page_urls(templates: dict[str, str], sample: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Each page's paths, one per sampled ticket (or one, when it has no placeholder)."""
    urls = {}
    for name, template in templates.items():
        filled = {template.format(**row) for row in sample} if sample else set()
        urls[name] = sorted(filled) if "{" in template else [template]
    return urls


async def ttfb(session: aiohttp.ClientSession, url: str) -> tuple[int, float]:
    started = time.perf_counter()
    async with session.get(url, allow_redirects=False) as answer:
        first = time.perf_counter() - started
        await answer.read()
    return answer.status, first


async def measure_pages(
    url: str, cookie: str, urls: dict[str, list[str]], rounds: int
) -> dict[str, Any]:
    """Rounds of every page and the baseline in turn; pages answering 404 in the warm-up are
    left out as not served yet."""
    plan = {BASELINE_PAGE[0]: [BASELINE_PAGE[1]], **urls}
    times: dict[str, list[float]] = {name: [] for name in plan}
    codes: dict[str, Counter[int]] = {name: Counter() for name in plan}
    async with aiohttp.ClientSession(headers={"Cookie": cookie}) as session:
        for round_no in range(WARM_UP + rounds):
            for name, paths in plan.items():
                status, first = await ttfb(session, url + paths[round_no % len(paths)])
                codes[name][status] += 1
                if round_no >= WARM_UP:
                    times[name].append(first)
            plan = {n: p for n, p in plan.items() if set(codes[n]) != {404}}
    report: dict[str, Any] = {}
    for name in times:
        report[name] = {
            "path": (urls.get(name) or [BASELINE_PAGE[1]])[0],
            "codes": {str(k): v for k, v in codes[name].items()},
            **cuts_ms(times[name]),
        }
    return report


# ---------------------------------------------------------------- the run


@asynccontextmanager
async def bench_database(args: argparse.Namespace) -> AsyncIterator[tuple[str, str]]:
    """(DSN, where it came from): the given database, or a fresh one filled and dropped."""
    if args.database_url:
        yield args.database_url, "--database-url"
        return
    with common.database_server() as server:
        async with common.fresh_database(server.dsn, "cc_bench_console_") as dsn:
            await migrate(dsn)
            if args.tickets:
                log = lambda text: print(text, file=sys.stderr)  # noqa: E731
                await gen_data.generate(dsn, tickets=args.tickets, log=log)
            else:
                pool = await create_pool(dsn, min_size=1, max_size=2)
                try:
                    await demo.load_demo_if_empty(pool, Settings(database_url=dsn))
                finally:
                    await pool.close()
            yield dsn, server.source


async def prepare(dsn: str) -> tuple[str, str, list[dict[str, Any]], dict[str, str]]:
    """A supervisor (sees every ticket and event), sampled tickets and the server's facts."""
    await migrate(dsn)
    email, password = f"bench-{secrets.token_hex(4)}@example.com", secrets.token_hex(16)
    pool = await create_pool(dsn, min_size=1, max_size=2)
    try:
        await users.create_user(
            pool, BENCH_ACTOR, email=email, role="supervisor", password=password
        )
        async with pool.acquire() as conn:
            sample = [
                {
                    "ticket_id": r["id"],
                    "ticket_number": r["number"],
                    "customer_id": r["customer_id"],
                }
                for r in await conn.fetch(SAMPLE, SAMPLED)
            ]
            postgres = await common.server_facts(conn)
    finally:
        await pool.close()
    return email, password, sample, postgres


async def sign_in(url: str, email: str, password: str) -> str:
    """The session cookie as a `Cookie` header value (aiohttp's jar keeps Secure cookies for
    https only, so it is carried by hand)."""
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            url + "/api/v1/auth/login", json={"email": email, "password": password}
        ) as answer,
    ):
        if answer.status != 200:
            raise SystemExit(f"login failed: {answer.status} {await answer.text()}")
        morsel = next(iter(answer.cookies.values()))
        return f"{morsel.key}={morsel.value}"


async def bench(args: argparse.Namespace) -> dict[str, Any]:
    token = secrets.token_hex(16)
    async with AsyncExitStack() as stack:
        dsn, source = await stack.enter_async_context(bench_database(args))
        email, password, sample, postgres = await prepare(dsn)
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="cc-bench-console-")))
        twilio_base, sink_port = await stack.enter_async_context(stand_ins(Counter()))
        port, smtp_port = free_ports(2)
        url = f"http://127.0.0.1:{port}"
        env = {
            **base_env(),
            "TWILIO_AUTH_TOKEN": token,
            "LOG_LEVEL": "WARNING",
            "DATABASE_URL": dsn,
            "DATA_DIR": str(folder / "data"),
            "PUBLIC_URL": url,
            "INBOUND_SMTP_PORT": str(smtp_port),
            **stand_in_settings(twilio_base, sink_port),
        }
        command = [python(), "-m", "contact_center", "serve", "--port", str(port)]
        log = folder / "service.log"
        service = await stack.enter_async_context(running("service", command, env, log))
        await wait_healthy(url, service, log)
        cookie = await sign_in(url, email, password)
        details: dict[str, Any] = {"source": source, "postgres": postgres, "sampled": len(sample)}
        if args.part in ("all", "pages"):
            urls = page_urls(args.pages, sample)
            details["pages"] = await measure_pages(url, cookie, urls, args.rounds)
        if args.part in ("all", "live"):
            details["live"] = await measure_live(url, cookie, token, dsn, service.pid, args)
        return details


def result_line(details: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    source = details.pop("source")
    pages, live = details.get("pages"), details.get("live")
    checks: dict[str, Any] = {"ok": True}
    served: dict[str, Any] = {}
    if pages is not None:
        served = {n: p for n, p in pages.items() if n != BASELINE_PAGE[0] and "p95_ms" in p}
        failed = {n: p["codes"] for n, p in pages.items() if set(p["codes"]) - {"200", "404"}}
        missing = sorted(set(pages) - set(served) - {BASELINE_PAGE[0]})
        checks.update(pages_failed=failed, pages_not_served=missing)
        checks["ok"] = not failed
        details["aims"] = {"page_p95_ms_max": AIMS["page_p95_ms_max"]}
        if served:
            worst = max(served, key=lambda n: served[n]["p95_ms"])
            details["worst_page"] = worst
            details["aims"]["pages_met"] = served[worst]["p95_ms"] < AIMS["page_p95_ms_max"]
    if live is not None and "unavailable" not in live:
        checks["live_ok"] = live["ok"]
        checks["ok"] = checks["ok"] and live["ok"]
        met = live["from_accepted"].get("p99_ms", 1e9) < AIMS["live_p99_ms_max"]
        details.setdefault("aims", {}).update(live_p99_ms_max=AIMS["live_p99_ms_max"], live_met=met)
    details["checks"] = checks
    if served:
        metric, value = "worst_page_ttfb_p95_ms", served[details["worst_page"]]["p95_ms"]
        baseline = pages[BASELINE_PAGE[0]]["p95_ms"]  # type: ignore[index]
    elif live is not None and "unavailable" not in live:
        metric, value = "live_event_p99_ms", live["from_accepted"]["p99_ms"]
        baseline = live["notify_baseline"]["p99_ms"]
    else:
        metric, value, baseline = "nothing_measured", 0.0, 0.0
    return common.result_line(
        bench="console",
        metric=metric,
        value=value,
        unit="ms",
        baseline=baseline,
        details=details,
        source=source,
        higher_is_better=False,
    )


def summarize(line: dict[str, Any]) -> str:
    d = line["details"]
    lines = []
    if "pages" in d:
        lines.append(f"{'page (time to first byte)':28} {'p50 ms':>8} {'p95 ms':>8}  codes")
        for name, p in d["pages"].items():
            lines.append(
                f"{name:28} {p.get('p50_ms', '—'):>8} {p.get('p95_ms', '—'):>8}  {p['codes']}"
                f"  {p['path']}"
            )
    live = d.get("live")
    if live and "unavailable" in live:
        lines.append(f"live: {live['unavailable']}")
    elif live:
        lines.append(
            f"live, {live['clients']} clients, {live['rate_per_second']:.0f} webhooks/s: "
            f"from accepted {live['from_accepted']}; from sent {live['from_sent']}"
        )
        lines.append(f"  pg_notify round trip (baseline): {live['notify_baseline']}")
        lines.append(
            f"  webhooks {live['webhook_codes']} ({live['webhook_latency']}), events seen "
            f"{dict(live['events_seen'])}, missed deliveries {live['missed_deliveries']}"
        )
        lines.append(
            f"  CPU s per s over {live['webhook_phase_seconds']} s: service "
            f"{live['service_cpu_per_second']}, bench {live['bench_cpu_per_second']}; machine "
            f"busy {live['machine_busy']}"
        )
    lines.append(f"checks {common.verdict(d['checks'])}: {d['checks']}; aims {d.get('aims')}")
    lines.append(f"{line['metric']} {line['value']} ms against {line['baseline']} ms")
    return "\n".join(lines)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    add = parser.add_argument
    add("--quick", action="store_true", help=f"{QUICK_ROUNDS} rounds, {QUICK_SECONDS:.0f} s live")
    add("--database-url", help="an existing database to run on (kept; gains a user and tickets)")
    add("--tickets", type=int, default=0, help="fill a fresh database by gen_data.py instead")
    add("--part", choices=("all", "pages", "live"), default="all")
    add("--page", action="append", default=[], metavar="NAME=PATH", help="add or replace a page")
    add("--rounds", type=int, default=None, help=f"requests per page (default {ROUNDS})")
    add("--rate", type=float, default=RATE, help=f"webhooks per second (default {RATE:.0f})")
    add("--clients", type=int, default=CLIENTS, help=f"SSE clients (default {CLIENTS})")
    add("--seconds", type=float, default=None, help=f"live phase (default {SECONDS:.0f})")
    add("--seed", type=int, default=20261205)
    args = parser.parse_args(argv)
    args.rounds = args.rounds or (QUICK_ROUNDS if args.quick else ROUNDS)
    args.seconds = args.seconds or (QUICK_SECONDS if args.quick else SECONDS)
    args.pages = dict(PAGES)
    for item in args.page:
        name, sep, path = item.partition("=")
        if not sep or not path.startswith("/"):
            parser.error(f"--page wants NAME=/path, got {item!r}")
        args.pages[name] = path
    if args.database_url and args.tickets:
        parser.error("--database-url and --tickets exclude each other")
    if not (1 <= args.rate <= 1000 and 1 <= args.clients <= 500 and 1 <= args.seconds <= 120):
        parser.error("need 1 <= --rate <= 1000, 1 <= --clients <= 500, 1 <= --seconds <= 120")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        details = asyncio.run(bench(args))
    except KeyboardInterrupt:
        print("interrupted; the service stopped", file=sys.stderr)
        return 130
    line = result_line(details, args)
    common.emit(line, summarize(line))
    return 0 if line["details"]["checks"]["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
