"""Benchmark: ticket intake against bare asyncpg inserts, both measured in the same run.

Stores N inbound contacts through `contact_center.tickets.intake` at concurrency C and, as the
baseline, N single-row INSERTs each in its own transaction with bare asyncpg, on the same pool
and in the same fresh database. The intake mix is ~40% new customers (SMS from new numbers),
~30% known customers opening a new conversation and ~30% replies onto an open ticket (the
last two alternate between SMS and email). Known customers and the tickets that replies land
on are created before the clock starts.

    .venv/bin/python scripts/bench/intake.py [--quick] [-n N] [-c C] [--profile]

The database server is DATABASE_URL when set, else an embedded PostgreSQL in a temporary
folder; either way a database with a random name is created, migrated and dropped at the end.
A summary goes to stderr; the last line of stdout is one JSON object (DESIGN.md section 6).
`--profile` adds a per-step breakdown of intake's round trips (a separate, untimed pass).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import random
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar, cast

from contact_center.audit import Actor
from contact_center.customers import NewCustomer, create_customer, phone_or_none
from contact_center.db import Conn, Pool, create_pool
from contact_center.db.migrate import migrate
from contact_center.tickets import Channel, InboundContact, IntakeOptions, IntakeResult, intake
from contact_center.timeutil import utc_now

# Run as a file, this folder is no package: put it on sys.path so that the helpers shared
# with the other benchmarks (common.py, next to this script) import as `common`.
sys.path.insert(0, str(Path(__file__).resolve().parent))
import common

DEFAULT_N, QUICK_N, DEFAULT_C, PROFILE_N = 4000, 500, 20, 300
ROUNDS = 4  # baseline and intake alternate over this many slices of the contacts
REGION = "US"
INTAKE_OPTIONS = IntakeOptions(region=REGION)
AREA_CODES = ("202", "206", "212", "303", "305", "312", "404", "415", "512", "617", "713")
SUPPORT_PHONE, SUPPORT_EMAIL = "+14155550100", "support@example.com"
BENCH_ACTOR = Actor.system("bench")
TEXTS = (
    ("Where is my order?", "Hi, I placed order 5531 last week and it has not arrived yet."),
    ("Opening hours", "Are you open on Saturday morning? I would like to come by."),
    ("Broken on arrival", "The kettle I received is broken, I want a refund please."),
    ("Invoice copy", "Could you send me a copy of the invoice for March?"),
    ("Question", "Thanks for the quick help yesterday, one more question about setup."),
)

BASELINE_TABLE = """
CREATE TABLE bench_baseline (
    id bigserial PRIMARY KEY, provider_id text UNIQUE, body text, at timestamptz
)"""
BASELINE_INSERT = "INSERT INTO bench_baseline (provider_id, body, at) VALUES ($1, $2, $3)"
COUNT_MESSAGES = "SELECT count(*) FROM messages WHERE provider_id = ANY($1::text[])"
COUNT_LINKED = """
SELECT count(*) FROM inbound_contacts WHERE provider_id = ANY($1::text[]) AND message_id IS NOT NULL
"""
COUNT_BASELINE = "SELECT count(*) FROM bench_baseline WHERE provider_id = ANY($1::text[])"
COUNT_TICKETS = "SELECT count(*) FROM tickets"
# Two active tickets for one customer on one channel (for email: with one subject) is the twin
# that threading must prevent.
COUNT_TWINS = """
SELECT count(*) FROM (
    SELECT customer_id, channel FROM tickets WHERE status IN ('new', 'open', 'pending')
    GROUP BY customer_id, channel, subject_key HAVING count(*) > 1
) AS twins"""

T = TypeVar("T")
R = TypeVar("R")


# ---------------------------------------------------------------- workload


@dataclass(frozen=True)
class Planned:
    """One timed contact: `kind` is new, known or reply; `seed` indexes a reply's first contact."""

    kind: str
    contact: InboundContact
    seed: int | None = None


@dataclass(frozen=True)
class Plan:
    known: list[NewCustomer]  # created before timing
    seeds: list[InboundContact]  # first contacts of the reply conversations, before timing
    timed: list[Planned]  # shuffled


class Addresses:
    """Unique phone numbers valid in the US (checked the way intake normalizes) and emails."""

    def __init__(self, rng: random.Random, tag: str) -> None:
        self._rng, self._tag = rng, tag
        self._seen: set[str] = set()
        self._emails = 0

    def phone(self) -> str:
        while True:
            area, exchange = self._rng.choice(AREA_CODES), self._rng.randint(200, 999)
            number = f"+1{area}{exchange}{self._rng.randint(0, 9999):04d}"
            if number not in self._seen and phone_or_none(number, REGION) == number:
                self._seen.add(number)
                return number

    def email(self) -> str:
        self._emails += 1
        return f"customer{self._emails}.{self._tag}@example.net"


def sms(provider_id: str, phone: str, text: str) -> InboundContact:
    payload = {
        "MessageSid": provider_id,
        "From": phone,
        "To": SUPPORT_PHONE,
        "Body": text,
        "NumMedia": "0",
        "FromCountry": "US",
    }
    return InboundContact(
        channel=Channel.SMS,
        provider_id=provider_id,
        from_address=phone,
        to_address=SUPPORT_PHONE,
        text=text,
        payload=payload,
    )


def email(provider_id: str, address: str, subject: str, text: str) -> InboundContact:
    payload = {"message_id": provider_id, "from": address, "to": SUPPORT_EMAIL, "subject": subject}
    return InboundContact(
        channel=Channel.EMAIL,
        provider_id=provider_id,
        from_address=address,
        to_address=SUPPORT_EMAIL,
        subject=subject,
        text=text,
        display_name=address.split("@")[0].title(),
        payload=payload,
    )


class ContactMaker:
    """Contacts with provider ids unique per contact, tagged so each pass can be counted."""

    def __init__(self, rng: random.Random, tag: str) -> None:
        self._rng, self._tag, self._count = rng, tag, 0

    def __call__(self, channel: Channel, address: str) -> InboundContact:
        self._count += 1
        subject, text = self._rng.choice(TEXTS)
        if channel is Channel.SMS:
            return sms(f"SM{self._tag}{self._count:08d}", address, text)
        return email(f"<{self._tag}.{self._count}@mail.example.net>", address, subject, text)


def make_plan(n: int, rng: random.Random, tag: str) -> Plan:
    """The timed contacts in the 40/30/30 mix, plus what must exist before the clock starts."""
    addresses, contact = Addresses(rng, tag), ContactMaker(rng, tag)
    n_new, n_known = round(n * 0.4), round(n * 0.3)
    timed = [Planned("new", contact(Channel.SMS, addresses.phone())) for _ in range(n_new)]
    known: list[NewCustomer] = []
    for i in range(n_known):
        if i % 2 == 0:
            phone = addresses.phone()
            known.append(NewCustomer(name=f"Known SMS {tag}{i}", phones=[phone]))
            timed.append(Planned("known", contact(Channel.SMS, phone)))
        else:
            address = addresses.email()
            known.append(NewCustomer(name=f"Known Email {tag}{i}", emails=[address]))
            timed.append(Planned("known", contact(Channel.EMAIL, address)))
    seeds: list[InboundContact] = []
    for i in range(n - n_new - n_known):
        channel = Channel.SMS if i % 2 == 0 else Channel.EMAIL
        address = addresses.phone() if channel is Channel.SMS else addresses.email()
        seed, reply = contact(channel, address), contact(channel, address)
        seeds.append(seed)
        if channel is Channel.EMAIL:  # a reply naming no ticket is threaded by its subject
            reply = dataclasses.replace(reply, subject=f"Re: {seed.subject}")
        timed.append(Planned("reply", reply, seed=i))
    rng.shuffle(timed)
    return Plan(known=known, seeds=seeds, timed=timed)


def mix_of(plan: Plan) -> dict[str, Any]:
    kinds = Counter(p.kind for p in plan.timed)
    channels = Counter(str(p.contact.channel) for p in plan.timed)
    return {
        "new_customer_sms": kinds["new"],
        "known_customer_new_ticket": kinds["known"],
        "reply_on_open_ticket": kinds["reply"],
        "sms": channels["sms"],
        "email": channels["email"],
    }


# ---------------------------------------------------------------- running


@dataclass(frozen=True)
class Run(Generic[R]):
    results: list[R]
    latencies: list[float]  # seconds, per call, from semaphore entry to return
    wall: float  # seconds for the whole batch
    cpu: float  # seconds of this process's CPU during the batch
    machine_busy: float | None  # share of all CPUs busy during the batch (Linux only)

    @property
    def rate(self) -> float:
        return len(self.results) / self.wall

    def summary(self) -> dict[str, float | None]:
        return {
            "per_second": round(self.rate, 1),
            **common.percentiles_ms(self.latencies),
            "wall_s": round(self.wall, 3),
            "client_cpu_ms_per_call": round(self.cpu * 1000 / len(self.results), 3),
            "machine_cpu_busy": common.round_or_none(self.machine_busy),
        }


async def drive(items: Sequence[T], work: Callable[[T], Awaitable[R]], concurrency: int) -> Run[R]:
    """Run `work` on every item, at most `concurrency` at a time, timing each call."""
    gate = asyncio.Semaphore(concurrency)
    latencies = [0.0] * len(items)

    async def one(index: int, item: T) -> R:
        async with gate:
            start = time.perf_counter()
            result = await work(item)
            latencies[index] = time.perf_counter() - start
            return result

    ticks_start, cpu_start, start = common.cpu_ticks(), time.process_time(), time.perf_counter()
    results = await asyncio.gather(*(one(i, item) for i, item in enumerate(items)))
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    busy = common.busy_share(ticks_start, common.cpu_ticks())
    return Run(list(results), latencies, wall, cpu, busy)


def merge(runs: list[Run[R]]) -> Run[R]:
    """One run out of consecutive ones: results in order, walls and CPU summed."""
    return Run(
        [x for r in runs for x in r.results],
        [x for r in runs for x in r.latencies],
        sum(r.wall for r in runs),
        sum(r.cpu for r in runs),
        common.merged_busy(runs),
    )


async def alternate(
    pool: Pool, contacts: list[InboundContact], concurrency: int
) -> tuple[Run[None], Run[IntakeResult]]:
    """Baseline then intake on each slice in turn, so the machine's drift hits both alike."""
    baselines: list[Run[None]] = []
    intakes: list[Run[IntakeResult]] = []
    for part_of in common.slices(len(contacts), ROUNDS):
        part = contacts[part_of]
        baselines.append(await drive(part, baseline_work(pool), concurrency))
        intakes.append(await drive(part, intake_work(pool), concurrency))
    return merge(baselines), merge(intakes)


def intake_work(pool: Pool) -> Callable[[InboundContact], Awaitable[IntakeResult]]:
    async def work(contact: InboundContact) -> IntakeResult:
        return await intake(pool, contact, now=utc_now(), options=INTAKE_OPTIONS)

    return work


def baseline_work(pool: Pool) -> Callable[[InboundContact], Awaitable[None]]:
    async def work(contact: InboundContact) -> None:
        async with pool.acquire() as conn, conn.transaction():
            await conn.execute(BASELINE_INSERT, contact.provider_id, contact.text, utc_now())

    return work


async def prepare(pool: Pool, plan: Plan, concurrency: int) -> list[IntakeResult]:
    """Create the known customers and open the reply conversations; returns the seed results."""

    async def create(new: NewCustomer) -> None:
        await create_customer(pool, BENCH_ACTOR, new, region=REGION)

    await drive(plan.known, create, concurrency)
    seeded = await drive(plan.seeds, intake_work(pool), concurrency)
    return seeded.results


# ---------------------------------------------------------------- checking


def wrong_outcomes(plan: Plan, seeds: list[IntakeResult], results: list[IntakeResult]) -> int:
    """Contacts whose result is not what their kind calls for."""
    wrong = 0
    for planned, got in zip(plan.timed, results, strict=True):
        if planned.kind == "new":
            ok = got.created_customer and got.opened_ticket
        elif planned.kind == "known":
            ok = not got.created_customer and got.opened_ticket
        else:
            assert planned.seed is not None
            ok = not got.opened_ticket and got.ticket_id == seeds[planned.seed].ticket_id
        wrong += not ok or got.replay
    return wrong


async def verify(
    pool: Pool, plan: Plan, seeds: list[IntakeResult], run: Run[IntakeResult]
) -> dict[str, Any]:
    """Every timed contact is one message, linked from its inbound row, on the right ticket."""
    ids = [p.contact.provider_id for p in plan.timed]
    async with pool.acquire() as conn:
        messages = await conn.fetchval(COUNT_MESSAGES, ids)
        linked = await conn.fetchval(COUNT_LINKED, ids)
        baseline_rows = await conn.fetchval(COUNT_BASELINE, ids)
        tickets = await conn.fetchval(COUNT_TICKETS)
        twins = await conn.fetchval(COUNT_TWINS)
    n = len(plan.timed)
    expected_tickets = len(plan.seeds) + sum(p.kind != "reply" for p in plan.timed)
    checks = {
        "messages": messages,
        "inbound_linked": linked,
        "baseline_rows": baseline_rows,
        "tickets": tickets,
        "expected_tickets": expected_tickets,
        "duplicate_active_tickets": twins,
        "wrong_outcomes": wrong_outcomes(plan, seeds, run.results),
    }
    checks["ok"] = (
        messages == linked == baseline_rows == n
        and tickets == expected_tickets
        and twins == 0
        and checks["wrong_outcomes"] == 0
    )
    return checks


# ---------------------------------------------------------------- profiling

# Intake's statements, recognized by a fragment of their SQL, in the order intake sends them.
STEPS = (
    ("BEGIN", "begin"),
    ("INSERT INTO inbound_contacts", "insert raw inbound"),
    ("FROM customer_identities", "find customer by identity"),
    ("'identity:'", "lock identity value"),
    ("INSERT INTO customers", "insert customer"),
    ("INSERT INTO customer_identities", "insert identity"),
    ("INSERT INTO audit_log", "audit"),
    ("'tickets-of:'", "lock customer tickets"),
    ("ORDER BY last_message_at", "list candidates"),
    ("is_key_account", "account of customer"),
    ("INSERT INTO tickets", "insert ticket"),
    ("WITH m AS", "append message"),
    ("pg_notify", "publish event"),
    ("COMMIT", "commit"),
)


def step_of(query: str) -> str:
    return next((label for fragment, label in STEPS if fragment in query), query.strip()[:40])


class ProfiledPool:
    """A pool whose connections report every statement's elapsed time while lent out."""

    def __init__(self, pool: Pool) -> None:
        self._pool = pool
        self.calls: Counter[str] = Counter()
        self.seconds: Counter[str] = Counter()

    def _record(self, record: Any) -> None:
        step = step_of(record.query)
        self.calls[step] += 1
        self.seconds[step] += record.elapsed

    @asynccontextmanager
    async def acquire(self) -> AsyncIterator[Conn]:
        async with self._pool.acquire() as conn:
            conn.add_query_logger(self._record)
            try:
                yield conn
            finally:
                conn.remove_query_logger(self._record)


async def profile_steps(pool: Pool, rng: random.Random, n: int) -> dict[str, Any]:
    """Intake one at a time (no queueing) on a fresh mix, attributing time to each statement."""
    plan = make_plan(n, rng, tag="p")
    await prepare(pool, plan, concurrency=1)
    profiled = ProfiledPool(pool)
    contacts = [p.contact for p in plan.timed]
    run = await drive(contacts, intake_work(profiled), concurrency=1)
    await asyncio.sleep(0.05)  # query loggers are called soon after, not during, each statement
    total_ms = sum(run.latencies) * 1000 / n
    steps = {
        step: {
            "calls_per_contact": round(profiled.calls[step] / n, 2),
            "ms_per_contact": round(profiled.seconds[step] * 1000 / n, 3),
        }
        for step in sorted(profiled.seconds, key=profiled.seconds.__getitem__, reverse=True)
    }
    in_sql = sum(profiled.seconds.values()) * 1000 / n
    return {
        "n": n,
        "concurrency": 1,
        "ms_per_contact": round(total_ms, 3),
        "statements_per_contact": round(sum(profiled.calls.values()) / n, 2),
        "outside_statements_ms_per_contact": round(total_ms - in_sql, 3),
        "steps": steps,
    }


# ---------------------------------------------------------------- measuring


async def measure(pool: Pool, n: int, concurrency: int) -> dict[str, Any]:
    """Set up, warm up, time the baseline and then intake, and check what intake stored."""
    rng = random.Random(20261129)
    plan = make_plan(n, rng, tag="t")
    seeds = await prepare(pool, plan, concurrency)  # also warms every pooled connection for intake
    async with pool.acquire() as conn:
        await conn.execute(BASELINE_TABLE)
    warm = [sms(f"warm{i}", SUPPORT_PHONE, "warm-up") for i in range(concurrency * 5)]
    await drive(warm, baseline_work(pool), concurrency)
    baseline, timed = await alternate(pool, [p.contact for p in plan.timed], concurrency)
    return {
        "n": n,
        "concurrency": concurrency,
        "pool_size": concurrency,
        "mix": mix_of(plan),
        "order": f"setup, baseline warm-up, then {ROUNDS} rounds of baseline slice + intake slice",
        "intake": timed.summary(),
        "baseline": baseline.summary(),
        "verification": await verify(pool, plan, seeds, timed),
        "rates": (timed.rate, baseline.rate),
    }


async def bench(server_dsn: str, n: int, concurrency: int, profile: bool) -> dict[str, Any]:
    async with common.fresh_database(server_dsn, "cc_bench_intake_") as dsn:
        await migrate(dsn)
        raw_pool = await create_pool(dsn, min_size=concurrency, max_size=concurrency)
        pool = cast(Pool, raw_pool)  # asyncpg lends proxies that stand in for connections
        try:
            details = await measure(pool, n, concurrency)
            async with pool.acquire() as conn:
                details["postgres"] = await common.server_facts(conn)
            if profile:
                details["profile"] = await profile_steps(pool, random.Random(7), min(n, PROFILE_N))
            return details
        finally:
            await raw_pool.close()


def result_line(details: dict[str, Any], source: str) -> dict[str, Any]:
    value, baseline = details.pop("rates")
    return common.result_line(
        bench="intake",
        metric="contacts_per_second",
        value=round(value, 1),
        unit="contacts/s",
        baseline=round(baseline, 1),
        details=details,
        source=source,
    )


def figures(label: str, summary: dict[str, Any], unit: str) -> str:
    busy = summary["machine_cpu_busy"]
    return (
        f"{label:<9}{summary['per_second']:>9.1f} {unit}s/s  p50 {summary['p50_ms']:6.2f} ms"
        f"  p99 {summary['p99_ms']:6.2f} ms  client CPU"
        f" {summary['client_cpu_ms_per_call']:.3f} ms/{unit}"
        + ("" if busy is None else f"  machine CPUs {busy:.0%} busy")
    )


def summarize(line: dict[str, Any]) -> str:
    d = line["details"]
    rows = [
        figures("intake", d["intake"], "contact"),
        figures("baseline", d["baseline"], "insert"),
        f"ratio    {line['ratio']:.3f}  (n={d['n']}, concurrency={d['concurrency']}, "
        f"PostgreSQL {line['machine']['postgres']} {d['database']['source']}, "
        f"{line['machine']['cpus']} CPUs)",
        f"mix      {d['mix']}",
        f"verified {common.verdict(d['verification'])}: {d['verification']}",
    ]
    profile = d.get("profile")
    if profile:
        rows.append(
            f"profile  one at a time, {profile['ms_per_contact']:.3f} ms/contact,"
            f" {profile['statements_per_contact']:.2f} statements/contact"
        )
        for step, cost in profile["steps"].items():
            rows.append(
                f"  {step:<28} {cost['calls_per_contact']:5.2f} calls"
                f"  {cost['ms_per_contact']:7.3f} ms/contact"
            )
        rows.append(
            f"  {'(outside statements)':<28}{'':12}"
            f"{profile['outside_statements_ms_per_contact']:7.3f} ms/contact"
        )
    return "\n".join(rows)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help=f"a small run (n={QUICK_N})")
    parser.add_argument("-n", type=int, default=None, help=f"contacts (default {DEFAULT_N})")
    parser.add_argument("-c", type=int, default=DEFAULT_C, help="concurrency (and pool size)")
    parser.add_argument("--profile", action="store_true", help="add a per-statement breakdown")
    args = parser.parse_args(argv)
    args.n = args.n or (QUICK_N if args.quick else DEFAULT_N)
    if args.n < 10 or args.c < 1:
        parser.error("need -n >= 10 and -c >= 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    with common.database_server() as server:
        details = asyncio.run(bench(server.dsn, args.n, args.c, args.profile))
    line = result_line(details, server.source)
    common.emit(line, summarize(line))
    return 0 if line["details"]["verification"]["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
