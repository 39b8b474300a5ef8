"""The live half of scripts/bench/console.py: Server-Sent Events clients on `GET /live/events`,
signed SMS webhooks at a fixed rate, and the bare `pg_notify` → LISTEN round trip that is its
baseline. Run console.py, not this file."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import secrets
import time
from collections import Counter
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

import aiohttp
import asyncpg
import common
import phonenumbers
from twilio.request_validator import RequestValidator
from webhooks import SMS_PATH, process_cpu, sms_params

from contact_center.db import create_pool

LIVE_PATH = "/live/events"
LIVE_EVENT = "message.received"
DRAIN_SECONDS = 10.0  # how long clients may still receive events after the last webhook
NOTIFY_SECONDS = 5.0
TICKET_OF_SID = """
SELECT m.provider_id, t.number FROM messages m JOIN tickets t ON t.id = m.ticket_id
WHERE m.channel = 'sms' AND m.provider_id = ANY($1::text[])
"""


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def cuts_ms(values: Sequence[float]) -> dict[str, float | int]:
    """Count, p50, p95, p99 and max in ms of latencies in seconds."""
    if len(values) < 2:
        return {"count": len(values)}
    cuts = common.latency_cuts(values)
    return {
        "count": len(values),
        "p50_ms": ms(cuts[49]),
        "p95_ms": ms(cuts[94]),
        "p99_ms": ms(cuts[98]),
        "max_ms": ms(max(values)),
    }


class SseClient:
    """One `GET /live/events` stream; keeps the first arrival of each ticket's event."""

    def __init__(self) -> None:
        self.status = 0
        self.content_type = ""
        self.arrivals: dict[int, float] = {}
        self.events: Counter[str] = Counter()
        self.connected = asyncio.Event()
        self.complete = asyncio.Event()  # set once every wanted ticket's event arrived
        self.wanted: set[int] | None = None

    def expect(self, wanted: set[int]) -> None:
        self.wanted = wanted
        self.check_complete()

    def check_complete(self) -> None:
        if self.wanted is not None and self.wanted <= self.arrivals.keys():
            self.complete.set()

    async def run(self, session: aiohttp.ClientSession, url: str) -> None:
        headers = {"Accept": "text/event-stream"}
        try:
            async with session.get(url, headers=headers) as answer:
                self.status, self.content_type = answer.status, answer.content_type
                self.connected.set()
                if answer.status != 200:
                    return
                buffer = b""
                async for chunk in answer.content.iter_any():
                    now = time.perf_counter()
                    buffer += chunk.replace(b"\r\n", b"\n")
                    *blocks, buffer = buffer.split(b"\n\n")
                    for block in blocks:
                        self.dispatch(block, now)
        finally:
            self.connected.set()

    def dispatch(self, block: bytes, now: float) -> None:
        event, data = "message", []
        for line in block.decode("utf-8", "replace").split("\n"):
            field, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if field == "event":
                event = value
            elif field == "data":
                data.append(value)
        if not data:
            return
        self.events[event] += 1
        if event == LIVE_EVENT:
            number = json.loads("\n".join(data)).get("ticket_number")
            if isinstance(number, int) and number not in self.arrivals:
                self.arrivals[number] = now
                self.check_complete()


def new_phones(count: int, seed: int) -> list[str]:
    """Valid US numbers in +1 202 4xx xxxx, away from gen_data's 202 3xx customers."""
    rng, seen = random.Random(seed), set[str]()
    while len(seen) < count:
        number = f"+12024{rng.randint(0, 99):02d}{rng.randint(0, 9999):04d}"
        if phonenumbers.is_valid_number(phonenumbers.parse(number)):
            seen.add(number)
    return sorted(seen, key=lambda _: rng.random())


async def send_webhooks(
    url: str, token: str, phones: list[str], rate: float
) -> dict[str, tuple[int, float, float]]:
    """Open loop at `rate`: sid → (status, sent at, answered at)."""
    validator, sign_url = RequestValidator(token), url + SMS_PATH
    answers: dict[str, tuple[int, float, float]] = {}

    async def one(session: aiohttp.ClientSession, phone: str, due: float) -> None:
        sid = "SM" + secrets.token_hex(16)
        form = sms_params(sid, phone, "Is there any news about my delivery?")
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Twilio-Signature": str(validator.compute_signature(sign_url, form)),
        }
        try:
            async with session.post(sign_url, data=urlencode(form), headers=headers) as answer:
                await answer.read()
                answers[sid] = (answer.status, due, time.perf_counter())
        except (aiohttp.ClientError, OSError, TimeoutError):
            answers[sid] = (0, due, time.perf_counter())

    connector = aiohttp.TCPConnector(limit=256)
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        start, tasks = time.perf_counter(), []
        for n, phone in enumerate(phones):
            due = start + n / rate
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            tasks.append(asyncio.create_task(one(session, phone, due)))
        await asyncio.gather(*tasks)
    return answers


async def notify_round_trips(dsn: str, count: int, rate: float) -> list[float]:
    """`pg_notify` on one connection to its arrival at a LISTENing one, at `rate`."""
    channel = f"cc_bench_{secrets.token_hex(4)}"
    arrived: dict[str, float] = {}
    all_arrived = asyncio.Event()

    def heard(conn: Any, pid: int, channel: str, payload: object) -> None:
        arrived.setdefault(str(payload), time.perf_counter())
        if len(arrived) == count:
            all_arrived.set()

    listener = await asyncpg.connect(dsn)
    sender = await create_pool(dsn, min_size=4, max_size=4)
    sent: dict[str, float] = {}
    try:
        await listener.add_listener(channel, heard)

        async def one(key: str) -> None:
            sent[key] = time.perf_counter()
            await sender.execute("SELECT pg_notify($1, $2)", channel, key)

        start, tasks = time.perf_counter(), []
        for n in range(count):
            await asyncio.sleep(max(0.0, start + n / rate - time.perf_counter()))
            tasks.append(asyncio.create_task(one(str(n))))
        await asyncio.gather(*tasks)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(all_arrived.wait(), NOTIFY_SECONDS)
    finally:
        await listener.close()
        await sender.close()
    return [arrived[k] - sent[k] for k in sent if k in arrived]


async def ready(url: str, cookie: str) -> None:
    """Wait while the stream answers 503 (its listener has not caught up yet after start)."""
    deadline = time.monotonic() + 30
    async with aiohttp.ClientSession(headers={"Cookie": cookie}) as session:
        while time.monotonic() < deadline:
            async with session.get(url, headers={"Accept": "text/event-stream"}) as answer:
                if answer.status != 503:
                    return
            await asyncio.sleep(0.5)


async def measure_live(
    url: str, cookie: str, token: str, dsn: str, service_pid: int, args: argparse.Namespace
) -> dict[str, Any]:
    count = round(args.rate * args.seconds)
    baseline = await notify_round_trips(dsn, count, args.rate)
    await ready(url + LIVE_PATH, cookie)
    clients = [SseClient() for _ in range(args.clients)]
    connector = aiohttp.TCPConnector(limit=0)
    timeout = aiohttp.ClientTimeout(total=None, sock_read=None)
    async with aiohttp.ClientSession(
        connector=connector, timeout=timeout, headers={"Cookie": cookie}
    ) as session:
        tasks = [asyncio.create_task(c.run(session, url + LIVE_PATH)) for c in clients]
        await asyncio.gather(*(c.connected.wait() for c in clients))
        refused = Counter(f"{c.status} {c.content_type}" for c in clients if c.status != 200)
        if refused:
            for task in tasks:
                task.cancel()
            return {"unavailable": f"{LIVE_PATH} answered {dict(refused)}"}
        await asyncio.sleep(0.5)  # the service has registered every subscriber
        phones = new_phones(count, args.seed)
        cpu = (process_cpu([service_pid]), time.process_time(), common.cpu_ticks())
        started = time.perf_counter()
        answers = await send_webhooks(url, token, phones, args.rate)
        wall = time.perf_counter() - started
        cpu_used = {
            # CPU seconds per second of the webhook phase: the service (web, worker and SSE
            # fan-out in one process), this bench (webhooks and the clients' parsing), and
            # the share of the whole machine that was busy.
            "service_cpu_per_second": round((process_cpu([service_pid]) - cpu[0]) / wall, 3),
            "bench_cpu_per_second": round((time.process_time() - cpu[1]) / wall, 3),
            "machine_busy": common.round_or_none(common.busy_share(cpu[2], common.cpu_ticks())),
        }
        conn = await asyncpg.connect(dsn)
        try:
            rows = await conn.fetch(TICKET_OF_SID, list(answers))
        finally:
            await conn.close()
        number_of = {r["provider_id"]: r["number"] for r in rows}
        wanted = {number_of[s] for s, a in answers.items() if a[0] == 200 and s in number_of}
        for client in clients:
            client.expect(wanted)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(
                asyncio.gather(*(c.complete.wait() for c in clients)), DRAIN_SECONDS
            )
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    from_accepted, from_sent, missed = [], [], 0
    for sid, (status, sent_at, answered_at) in answers.items():
        number = number_of.get(sid)
        if status != 200 or number is None:
            continue
        for client in clients:
            arrival = client.arrivals.get(number)
            if arrival is None:
                missed += 1
                continue
            from_accepted.append(arrival - answered_at)
            from_sent.append(arrival - sent_at)
    codes = Counter(str(a[0]) for a in answers.values())
    return {
        "rate_per_second": args.rate,
        "clients": args.clients,
        "webhooks": len(answers),
        "webhook_codes": dict(codes),
        "webhook_latency": cuts_ms([a[2] - a[1] for a in answers.values()]),
        "events_seen": sum((c.events for c in clients), Counter()),
        "missed_deliveries": missed,
        "webhook_phase_seconds": round(wall, 2),
        **cpu_used,
        "from_accepted": cuts_ms(from_accepted),
        "from_sent": cuts_ms(from_sent),
        "notify_baseline": cuts_ms(baseline),
        "ok": set(codes) == {"200"} and missed == 0 and len(wanted) == count,
    }
