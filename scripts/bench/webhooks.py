"""Benchmark: signed Twilio SMS webhooks over HTTP against the full service and a minimal app.

The full service (`python -m contact_center serve`: web, worker and inbound SMTP in one process)
and, as the baseline, a minimal aiohttp app defined here (the same X-Twilio-Signature check with
twilio's RequestValidator, one idempotent INSERT, an empty TwiML answer: the floor of this
stack) each run as a subprocess on 127.0.0.1, with the same pool size, on one fresh database.
The load generator is an aiohttp client in this process. Measured:

(a) saturation: N signed webhooks at concurrency C against both, alternating in slices;
(b) a fixed offered rate (500/s for 10 s) against the service, open-loop: sends leave at their
    scheduled times whatever the answers do, and latency counts from the scheduled time;
(c) email intake: M messages over SMTP at concurrency 10 against the service.
Every slice and phase starts once servers and database are idle again (waits are reported).

    .venv/bin/python scripts/bench/webhooks.py [--quick] [-n N] [-c C] [-m M] [--fixed-seconds S]

Acknowledgements stay on: the service's Twilio REST calls go to a stand-in in this process
(201 for every message) and its outbound mail to a local SMTP sink. The database server is
DATABASE_URL when set, else an embedded PostgreSQL in a temporary folder; the database is
created, migrated and dropped here. A summary goes to stderr; the last line of stdout is one
JSON object (DESIGN.md section 6). Exit status 1 when the stored rows do not match what was sent.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import secrets
import signal
import socket
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

import aiohttp
import aiosmtplib
import asyncpg
import phonenumbers
from aiohttp import web
from aiosmtpd.smtp import SMTP, Envelope, Session
from multidict import MultiDict
from twilio.request_validator import RequestValidator

from contact_center.db import create_pool
from contact_center.db.migrate import migrate

# Run as a file, this folder is no package: put it on sys.path so that the helpers shared
# with the other benchmarks (common.py, next to this script) import as `common`.
sys.path.insert(0, str(Path(__file__).resolve().parent))
import common

DEFAULT_N, QUICK_N, DEFAULT_C = 5000, 500, 50
RATE, RATE_SECONDS, QUICK_RATE_SECONDS = 500, 10.0, 3.0
DEFAULT_M, QUICK_M, MAIL_C = 500, 100, 10
ROUNDS = 4  # baseline and service alternate over this many slices of the saturation run
WARM_UP = 200  # webhooks per server before any clock starts
OPEN_LOOP_CONNECTIONS = 256
POOL_SIZE = 10  # what `serve` opens (runtime.open_database's default), for the baseline too
REQUEST_TIMEOUT, START_TIMEOUT, PHASE_TIMEOUT = 30.0, 90.0, 900.0
SETTLE_PROBE, SETTLE_LIMIT, SETTLE_IDLE_SHARE = 0.5, 20.0, 0.05  # idle: under 5% of one CPU
NEW_SENDER_SHARE, REPLAY_SHARE = 0.5, 0.01  # the rest are repeat senders
AIMS = {"per_second_min": 1000.0, "ratio_min": 0.5, "fixed_rate_p99_ms_max": 100.0}

SCRIPT = Path(__file__).resolve()
ROOT = SCRIPT.parents[2]
SMS_PATH = "/webhooks/twilio/sms"
ACCOUNT_SID = "AC" + "0" * 32
SUPPORT_NUMBER = "+12025550100"
MAIL_DOMAIN = "example.com"
TEXTS = (
    "Hi, my order 4471 has not arrived yet. Can you check?",
    "The kettle I received is broken, I want a refund please.",
    "Are you open on Saturday morning?",
    "Could you send me a copy of the invoice for March?",
    "Third time the delivery is late. Not acceptable.",
    "你好，我上周下的订单还没有收到，请帮忙查一下。",
    "昨天买的茶叶包装破了，能换一盒吗？",
)

BASELINE_TABLE = """
CREATE TABLE bench_webhooks (
    id bigserial PRIMARY KEY, provider_id text UNIQUE NOT NULL, sender text, body text,
    payload jsonb, at timestamptz NOT NULL DEFAULT now()
)"""
BASELINE_INSERT = """
INSERT INTO bench_webhooks (provider_id, sender, body, payload) VALUES ($1, $2, $3, $4)
ON CONFLICT (provider_id) DO NOTHING"""
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
COUNT_SMS = """
SELECT count(*), count(DISTINCT provider_id), count(*) FILTER (WHERE provider_id = ANY($1::text[]))
FROM messages WHERE channel = 'sms' AND direction = 'inbound'"""
COUNT_EMAIL = "SELECT count(*) FROM messages WHERE channel = 'email' AND direction = 'inbound'"
COUNT_BASELINE = "SELECT count(*) FROM bench_webhooks"
OUTBOX = "SELECT channel, status, count(*) FROM outbound_messages GROUP BY 1, 2 ORDER BY 1, 2"


# ---------------------------------------------------------------- workload


@dataclass(frozen=True)
class Signed:
    sid: str
    body: bytes
    headers: dict[str, str]


def fictional_phone(rng: random.Random, seen: set[str]) -> str:
    """A new valid US number in 202-3xx-xxxx (checked with phonenumbers)."""
    while True:
        number = f"+12023{rng.randint(0, 99):02d}{rng.randint(0, 9999):04d}"
        if number not in seen and phonenumbers.is_valid_number(phonenumbers.parse(number)):
            seen.add(number)
            return number


def sms_params(sid: str, sender: str, text: str) -> dict[str, str]:
    return {
        "ToCountry": "US",
        "SmsMessageSid": sid,
        "NumMedia": "0",
        "SmsSid": sid,
        "SmsStatus": "received",
        "Body": text,
        "FromCountry": "US",
        "To": SUPPORT_NUMBER,
        "NumSegments": "1",
        "MessageSid": sid,
        "AccountSid": ACCOUNT_SID,
        "From": sender,
        "ApiVersion": "2010-04-01",
    }


def make_webhooks(n: int, rng: random.Random, seen: set[str]) -> list[dict[str, str]]:
    """n webhook forms: half from new senders, the rest from earlier senders of this list,
    and about 1% exact replays of an earlier webhook (Twilio retrying)."""
    forms: list[dict[str, str]] = []
    senders: list[str] = []
    for _ in range(n):
        roll = rng.random()
        if forms and roll < REPLAY_SHARE:
            forms.append(rng.choice(forms))
            continue
        if not senders or roll < REPLAY_SHARE + NEW_SENDER_SHARE:
            senders.append(fictional_phone(rng, seen))
            sender = senders[-1]
        else:
            sender = rng.choice(senders)
        sid = "SM" + "".join(rng.choices("0123456789abcdef", k=32))
        forms.append(sms_params(sid, sender, rng.choice(TEXTS)))
    return forms


def sign_all(forms: Sequence[dict[str, str]], token: str, public_url: str) -> list[Signed]:
    """Bodies and headers signed like Twilio over public_url + path, before any clock starts."""
    validator = RequestValidator(token)
    url = public_url + SMS_PATH
    signed = []
    for form in forms:
        headers = {
            "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
            "X-Twilio-Signature": str(validator.compute_signature(url, form)),
        }
        signed.append(Signed(form["MessageSid"], urlencode(form).encode(), headers))
    return signed


def make_mails(m: int, rng: random.Random, tag: str) -> list[tuple[str, bytes]]:
    """(sender, raw message) pairs: 70% new conversations, 30% replies to an earlier one."""
    mails: list[tuple[str, bytes]] = []
    firsts: list[tuple[str, str, str]] = []  # sender, Message-ID, subject
    for i in range(m):
        mail = EmailMessage()
        message_id = make_msgid(domain="mail.example.net")
        if firsts and i >= MAIL_C and rng.random() < 0.3:
            sender, parent, subject = rng.choice(firsts[: max(1, len(firsts) - MAIL_C)])
            mail["Subject"] = f"Re: {subject}"
            mail["In-Reply-To"] = mail["References"] = parent
        else:
            sender, subject = f"customer{i}.{tag}@example.net", f"Question {i}"
            firsts.append((sender, message_id, subject))
            mail["Subject"] = subject
        mail["From"], mail["To"] = sender, f"support@{MAIL_DOMAIN}"
        mail["Message-ID"] = message_id
        mail.set_content(rng.choice(TEXTS), cte="quoted-printable")
        mails.append((sender, mail.as_bytes()))
    return mails


# ---------------------------------------------------------------- measuring


async def machine_busy_over(seconds: float) -> float | None:
    """Share of all CPUs busy over the next `seconds`: other work on the host shows here."""
    before = common.cpu_ticks()
    await asyncio.sleep(seconds)
    return common.round_or_none(common.busy_share(before, common.cpu_ticks()))


def process_cpu(pids: Sequence[int]) -> float:
    """CPU seconds (user + system) used so far by these processes; gone ones count 0."""
    total = 0
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text("ascii")
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


@dataclass
class Watch:
    """CPU of the processes that matter: the server under test and the database's."""

    server: Callable[[], float]  # CPU seconds used so far
    database: Callable[[], float] | None  # None: not on this host (DATABASE_URL)


@dataclass
class Load:
    """What one batch of requests got back, and what it cost."""

    codes: Counter[int] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    wall: float = 0.0
    cpu: dict[str, float] = field(default_factory=dict)  # seconds per process group
    machine_busy: float | None = None
    late_sends: float = 0.0  # open loop: the latest a send left after its scheduled time
    offsets: list[float] = field(default_factory=list)  # open loop: when each was due, from 0

    @property
    def count(self) -> int:
        return len(self.latencies)

    @property
    def ok(self) -> int:
        return sum(n for code, n in self.codes.items() if 200 <= code < 300)

    def by_second(self) -> list[float]:
        """Open loop: the p99 latency in ms of the requests due in each second."""
        buckets: dict[int, list[float]] = {}
        for offset, latency in zip(self.offsets, self.latencies, strict=True):
            buckets.setdefault(int(offset), []).append(latency)
        return [
            round(common.latency_cuts(b)[98] * 1000, 1)
            for _, b in sorted(buckets.items())
            if len(b) > 1
        ]

    def summary(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "per_second": round(self.ok / self.wall, 1),
            **common.percentiles_ms(self.latencies),
            "max_ms": round(max(self.latencies) * 1000, 2),
            "errors": self.count - self.ok,
            "codes": {str(k): v for k, v in sorted(self.codes.items())},
            "error_kinds": dict(self.errors),
            "wall_s": round(self.wall, 3),
            "cpu_ms_per_request": {k: round(v * 1000 / self.count, 3) for k, v in self.cpu.items()},
            "machine_cpu_busy": common.round_or_none(self.machine_busy),
        }


@asynccontextmanager
async def measured(load: Load, watch: Watch) -> AsyncIterator[None]:
    """Time the block and charge the CPU used meanwhile to client, server and database."""
    groups: dict[str, Callable[[], float]] = {"client": time.process_time, "server": watch.server}
    if watch.database is not None:
        groups["database"] = watch.database
    before = {name: read() for name, read in groups.items()}
    ticks, start = common.cpu_ticks(), time.perf_counter()
    yield
    load.wall = time.perf_counter() - start
    load.cpu = {name: read() - before[name] for name, read in groups.items()}
    load.machine_busy = common.busy_share(ticks, common.cpu_ticks())


async def post(session: aiohttp.ClientSession, url: str, item: Signed, load: Load) -> None:
    try:
        async with session.post(url, data=item.body, headers=item.headers) as response:
            await response.read()
            load.codes[response.status] += 1
    except (aiohttp.ClientError, OSError, TimeoutError) as exc:
        load.errors[type(exc).__name__] += 1


async def closed_loop(url: str, items: Sequence[Signed], concurrency: int, watch: Watch) -> Load:
    """All items through `concurrency` connections, each sending its next when answered."""
    load = Load()
    queue = iter(items)
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
    connector = aiohttp.TCPConnector(limit=concurrency)

    async def lane(session: aiohttp.ClientSession) -> None:
        for item in queue:
            start = time.perf_counter()
            await post(session, url, item, load)
            load.latencies.append(time.perf_counter() - start)

    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        async with asyncio.timeout(PHASE_TIMEOUT), measured(load, watch):
            await asyncio.gather(*(lane(session) for _ in range(concurrency)))
    return load


async def open_loop(url: str, items: Sequence[Signed], rate: float, watch: Watch) -> Load:
    """Item i leaves at i / rate seconds whether or not earlier ones were answered; latency
    counts from the scheduled time, so a queue in the client or the server shows in it."""
    load = Load()
    loop = asyncio.get_running_loop()
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
    connector = aiohttp.TCPConnector(limit=OPEN_LOOP_CONNECTIONS)
    start = loop.time() + 0.05

    async def one(session: aiohttp.ClientSession, item: Signed, due: float) -> None:
        await post(session, url, item, load)
        load.latencies.append(loop.time() - due)
        load.offsets.append(due - start)

    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        async with asyncio.timeout(PHASE_TIMEOUT), measured(load, watch):
            tasks = []
            for i, item in enumerate(items):
                due = start + i / rate
                await asyncio.sleep(max(0.0, due - loop.time()))
                load.late_sends = max(load.late_sends, loop.time() - due)
                tasks.append(asyncio.create_task(one(session, item, due)))
            await asyncio.gather(*tasks)
    return load


async def send_mails(
    port: int, mails: Sequence[tuple[str, bytes]], concurrency: int, watch: Watch
) -> Load:
    """Each message in its own SMTP session (connect, MAIL, RCPT, DATA, QUIT)."""
    load = Load()
    queue = iter(mails)

    async def lane() -> None:
        for sender, raw in queue:
            start = time.perf_counter()
            try:
                async with aiosmtplib.SMTP(
                    hostname="127.0.0.1", port=port, timeout=REQUEST_TIMEOUT, start_tls=False
                ) as client:
                    await client.mail(sender)
                    await client.rcpt(f"support@{MAIL_DOMAIN}")
                    load.codes[(await client.data(raw)).code] += 1
            except aiosmtplib.SMTPResponseException as exc:
                load.codes[exc.code] += 1
            except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
                load.errors[type(exc).__name__] += 1
            load.latencies.append(time.perf_counter() - start)

    async with asyncio.timeout(PHASE_TIMEOUT), measured(load, watch):
        await asyncio.gather(*(lane() for _ in range(concurrency)))
    return load


async def settle(watches: Sequence[Watch]) -> float:
    """Wait until the servers and the database have been nearly idle for SETTLE_PROBE seconds,
    so that a phase does not pay for the tail of the one before; at most SETTLE_LIMIT s."""
    start = time.perf_counter()

    def used() -> float:
        database = watches[0].database
        return sum(w.server() for w in watches) + (database() if database else 0.0)

    while time.perf_counter() - start < SETTLE_LIMIT:
        before = used()
        await asyncio.sleep(SETTLE_PROBE)
        if used() - before < SETTLE_PROBE * SETTLE_IDLE_SHARE:
            break
    return round(time.perf_counter() - start, 2)


def merge(loads: Sequence[Load]) -> Load:
    """One load out of consecutive ones: counts and walls added, CPU summed per group."""
    total = Load(wall=sum(x.wall for x in loads), machine_busy=common.merged_busy(loads))
    for x in loads:
        total.codes.update(x.codes)
        total.errors.update(x.errors)
        total.latencies.extend(x.latencies)
        for name, seconds in x.cpu.items():
            total.cpu[name] = total.cpu.get(name, 0.0) + seconds
    return total


# ---------------------------------------------------------------- processes


def free_ports(count: int) -> list[int]:
    """Ports the kernel has just handed out on 127.0.0.1 (held together, so all distinct)."""
    sockets = [socket.socket(socket.AF_INET, socket.SOCK_STREAM) for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def python() -> str:
    venv = ROOT / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def base_env() -> dict[str, str]:
    """Only what a process needs to run: no service settings leak in from this shell."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "PYTHONPATH")
    return {name: os.environ[name] for name in keep if name in os.environ}


def tail_of(log: Path) -> str:
    return log.read_text("utf-8", "replace")[-3000:]


@asynccontextmanager
async def running(
    name: str, command: Sequence[str], env: dict[str, str], log: Path
) -> AsyncIterator[asyncio.subprocess.Process]:
    """A subprocess with its output in `log`; terminated (then killed) on the way out."""
    with log.open("wb") as out:
        process = await asyncio.create_subprocess_exec(
            *command, cwd=ROOT, env=env, stdout=out, stderr=asyncio.subprocess.STDOUT
        )
    try:
        yield process
    finally:
        if process.returncode is None:
            process.terminate()
            try:
                await asyncio.wait_for(process.wait(), 15)
            except TimeoutError:
                process.kill()
                await process.wait()
        if process.returncode not in (0, -15):
            print(f"{name} exited with {process.returncode}; log tail:", file=sys.stderr)
            print(tail_of(log), file=sys.stderr)


async def wait_healthy(url: str, process: asyncio.subprocess.Process, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=2)) as session:
        while time.monotonic() < deadline:
            if process.returncode is not None:
                raise RuntimeError(f"{url} exited with {process.returncode}:\n{tail_of(log)}")
            try:
                async with session.get(url + "/healthz") as response:
                    if response.status == 200:
                        return
            except (aiohttp.ClientError, OSError, TimeoutError):
                pass
            await asyncio.sleep(0.2)
    raise RuntimeError(f"{url}/healthz did not answer 200 within {START_TIMEOUT:.0f} s")


def postgres_cpu(postmaster: int) -> float:
    """CPU seconds of a PostgreSQL server: the postmaster, its reaped children, live children."""
    total = 0
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat_file.read_text("ascii").rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, parent = int(stat_file.parent.name), int(fields[1])
        if pid == postmaster:
            total += sum(int(v) for v in fields[11:15])  # utime stime cutime cstime
        elif parent == postmaster:
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


# ---------------------------------------------------------------- stand-ins


class SinkHandler:
    """Takes any mail (the service's acknowledgements) and counts it."""

    def __init__(self, received: Counter[str]) -> None:
        self.received = received

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.received["smtp_sink"] += 1
        return "250 OK"


@asynccontextmanager
async def stand_ins(received: Counter[str]) -> AsyncIterator[tuple[str, int]]:
    """(TWILIO_API_BASE, SMTP port) of a local Twilio REST stand-in and a local mail sink."""

    async def create_message(request: web.Request) -> web.Response:
        form = await request.post()
        received["twilio_api"] += 1
        sid = "SM" + secrets.token_hex(16)
        answer = {"sid": sid, "status": "queued", "account_sid": request.match_info["account"]}
        answer.update({"to": str(form.get("To", "")), "from": str(form.get("From", ""))})
        return web.json_response(answer, status=201)

    app = web.Application()
    app.router.add_post("/2010-04-01/Accounts/{account}/Messages.json", create_message)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    twilio_port, smtp_port = free_ports(2)
    await web.TCPSite(runner, "127.0.0.1", twilio_port).start()
    handler = SinkHandler(received)
    loop = asyncio.get_running_loop()
    sink = await loop.create_server(lambda: SMTP(handler), "127.0.0.1", smtp_port)
    try:
        yield f"http://127.0.0.1:{twilio_port}", smtp_port
    finally:
        sink.close()
        await runner.cleanup()


# ---------------------------------------------------------------- the baseline app


def baseline_app(pool: asyncpg.Pool[Any], token: str, public_url: str) -> web.Application:
    """Signature check as channels/twilio_auth.py does it, one INSERT, empty TwiML."""
    url = public_url + SMS_PATH

    async def webhook(request: web.Request) -> web.Response:
        body = await request.read()
        form = MultiDict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
        signature = request.headers.get("X-Twilio-Signature", "")
        if not signature or not RequestValidator(token).validate(url, form, signature):
            return web.Response(status=403)
        sid = form.get("MessageSid", "")
        if not sid:
            return web.Response(status=400)
        payload = {key: form.getall(key)[0] for key in form}
        async with pool.acquire() as conn:
            await conn.execute(
                BASELINE_INSERT, sid, form.get("From", ""), form.get("Body"), payload
            )
        return web.Response(text=EMPTY_TWIML, content_type="text/xml")

    async def healthz(request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    app = web.Application(client_max_size=1024 * 1024)
    app.router.add_post(SMS_PATH, webhook)
    app.router.add_get("/healthz", healthz)
    return app


async def serve_baseline(port: int, dsn: str) -> None:
    """The hidden --baseline-server mode: run the minimal app until SIGTERM."""
    token, public_url = os.environ["TWILIO_AUTH_TOKEN"], os.environ["PUBLIC_URL"]
    pool = await create_pool(dsn, max_size=POOL_SIZE)
    runner = web.AppRunner(baseline_app(pool, token, public_url), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        asyncio.get_running_loop().add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()
        await pool.close()


# ---------------------------------------------------------------- the run


@dataclass(frozen=True)
class Servers:
    service: str  # base URLs, also each one's PUBLIC_URL
    baseline: str
    smtp_port: int
    service_watch: Watch
    baseline_watch: Watch


@dataclass(frozen=True)
class Workload:
    warm: list[dict[str, str]]
    saturation: list[dict[str, str]]
    fixed: list[dict[str, str]]
    warm_mails: list[tuple[str, bytes]]
    mails: list[tuple[str, bytes]]


def make_workload(n: int, m: int, fixed_seconds: float, seed: int) -> Workload:
    rng, seen = random.Random(seed), set[str]()
    return Workload(
        warm=make_webhooks(WARM_UP, rng, seen),
        saturation=make_webhooks(n, rng, seen),
        fixed=make_webhooks(round(RATE * fixed_seconds), rng, seen),
        warm_mails=make_mails(MAIL_C * 2, rng, "w"),
        mails=make_mails(m, rng, "t"),
    )


async def saturation(
    servers: Servers, work: Workload, token: str, concurrency: int, settled: list[float]
) -> tuple[Load, Load]:
    """Warm both up, then baseline and service take turns on slices of the same webhooks,
    each slice starting once the machine is quiet (the waits are appended to `settled`)."""
    service_url, baseline_url = servers.service + SMS_PATH, servers.baseline + SMS_PATH
    to_service = sign_all(work.saturation, token, servers.service)
    to_baseline = sign_all(work.saturation, token, servers.baseline)
    for url, public_url, watch in (
        (baseline_url, servers.baseline, servers.baseline_watch),
        (service_url, servers.service, servers.service_watch),
    ):
        await closed_loop(url, sign_all(work.warm, token, public_url), concurrency, watch)
    baselines: list[Load] = []
    services: list[Load] = []
    watches = (servers.service_watch, servers.baseline_watch)
    for part in common.slices(len(to_service), ROUNDS):
        settled.append(await settle(watches))
        baselines.append(
            await closed_loop(baseline_url, to_baseline[part], concurrency, servers.baseline_watch)
        )
        settled.append(await settle(watches))
        services.append(
            await closed_loop(service_url, to_service[part], concurrency, servers.service_watch)
        )
    return merge(services), merge(baselines)


async def verify(
    conn: asyncpg.Connection[Any], work: Workload, loads: Sequence[Load]
) -> dict[str, Any]:
    """Stored rows against what was sent: one inbound SMS message per distinct MessageSid,
    one inbound email message per mail, one baseline row per distinct MessageSid."""
    to_service = {f["MessageSid"] for f in [*work.warm, *work.saturation, *work.fixed]}
    to_baseline = {f["MessageSid"] for f in [*work.warm, *work.saturation]}
    counts = await conn.fetchrow(COUNT_SMS, list(to_service))
    stored, distinct, matching = counts if counts is not None else (0, 0, 0)
    emails = await conn.fetchval(COUNT_EMAIL)
    baseline_rows = await conn.fetchval(COUNT_BASELINE)
    sent_emails = len(work.warm_mails) + len(work.mails)
    checks: dict[str, Any] = {
        "sms_webhooks_sent": sum(len(x) for x in (work.warm, work.saturation, work.fixed)),
        "distinct_message_sids": len(to_service),
        "sms_messages_stored": stored,
        "sms_messages_matching_sent_sids": matching,
        "emails_sent": sent_emails,
        "email_messages_stored": emails,
        "baseline_distinct_sids": len(to_baseline),
        "baseline_rows": baseline_rows,
        "failed_requests": sum(x.count - x.ok for x in loads),
    }
    checks["ok"] = (
        stored == distinct == matching == len(to_service)
        and emails == sent_emails
        and baseline_rows == len(to_baseline)
        and checks["failed_requests"] == 0
    )
    return checks


async def measure(
    servers: Servers, work: Workload, token: str, args: argparse.Namespace
) -> dict[str, Any]:
    settled: list[float] = []
    busy_before = await machine_busy_over(1.0)
    service, baseline = await saturation(servers, work, token, args.c, settled)
    watches = (servers.service_watch, servers.baseline_watch)
    to_service = sign_all(work.fixed, token, servers.service)
    settled.append(await settle(watches))
    fixed = await open_loop(servers.service + SMS_PATH, to_service, RATE, servers.service_watch)
    settled.append(await settle(watches))
    await send_mails(servers.smtp_port, work.warm_mails, MAIL_C, servers.service_watch)
    mail = await send_mails(servers.smtp_port, work.mails, MAIL_C, servers.service_watch)
    return {
        "n": len(work.saturation),
        "concurrency": args.c,
        "pool_size": POOL_SIZE,
        "mix": {
            "new_sender_share": NEW_SENDER_SHARE,
            "replay_share": REPLAY_SHARE,
            "repeat_sender_share": round(1 - NEW_SENDER_SHARE - REPLAY_SHARE, 2),
        },
        "order": f"warm-up {WARM_UP} each, then {ROUNDS} rounds of baseline slice + service "
        "slice, then the fixed rate, then email; each after the machine is quiet",
        "settle_waits_s": settled,
        "machine_busy_before_start": busy_before,
        "service": service.summary(),
        "baseline": baseline.summary(),
        "fixed_rate": {
            "offered_per_second": RATE,
            "seconds": len(work.fixed) / RATE,
            "latest_send_behind_schedule_ms": round(fixed.late_sends * 1000, 2),
            "p99_ms_by_second": fixed.by_second(),
            **fixed.summary(),
        },
        "email": {"concurrency": MAIL_C, **mail.summary()},
        "loads": [service, baseline, fixed, mail],
    }


def stand_in_settings(twilio_base: str, sink_port: int) -> dict[str, str]:
    """The service's settings that keep all its traffic on this host: Twilio's REST API is
    the stand-in, outbound mail goes to the sink; acknowledgements stay on (the default)."""
    return {
        "INBOUND_SMTP_HOST": "127.0.0.1",
        "MAIL_DOMAIN": MAIL_DOMAIN,
        "TWILIO_API_BASE": twilio_base,
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_FROM_NUMBER": SUPPORT_NUMBER,
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(sink_port),
        "SMTP_STARTTLS": "false",
    }


async def start_all(
    stack: AsyncExitStack, dsn: str, token: str, postmaster: int | None
) -> tuple[Servers, Counter[str]]:
    """The stand-ins, the service and the baseline app, all answering, each stopped when
    `stack` closes; also the counter of what the stand-ins received."""
    folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="cc-bench-webhooks-")))
    received: Counter[str] = Counter()
    twilio_base, sink_port = await stack.enter_async_context(stand_ins(received))
    service_port, baseline_port, smtp_port = free_ports(3)
    service_url = f"http://127.0.0.1:{service_port}"
    baseline_url = f"http://127.0.0.1:{baseline_port}"
    common = {**base_env(), "TWILIO_AUTH_TOKEN": token, "LOG_LEVEL": "WARNING"}
    service_env = {
        **common,
        "DATABASE_URL": dsn,
        "DATA_DIR": str(folder / "data"),
        "PUBLIC_URL": service_url,
        "INBOUND_SMTP_PORT": str(smtp_port),
        **stand_in_settings(twilio_base, sink_port),
    }
    service_cmd = [python(), "-m", "contact_center", "serve", "--port", str(service_port)]
    baseline_cmd = [python(), str(SCRIPT), "--baseline-server", str(baseline_port), dsn]
    baseline_env = {**common, "PUBLIC_URL": baseline_url}
    service = await stack.enter_async_context(
        running("service", service_cmd, service_env, folder / "service.log")
    )
    baseline = await stack.enter_async_context(
        running("baseline", baseline_cmd, baseline_env, folder / "baseline.log")
    )
    await wait_healthy(service_url, service, folder / "service.log")
    await wait_healthy(baseline_url, baseline, folder / "baseline.log")

    def database() -> float:
        assert postmaster is not None
        return postgres_cpu(postmaster)

    on_host = database if postmaster is not None else None

    return (
        Servers(
            service=service_url,
            baseline=baseline_url,
            smtp_port=smtp_port,
            service_watch=Watch(lambda: process_cpu([service.pid]), on_host),
            baseline_watch=Watch(lambda: process_cpu([baseline.pid]), on_host),
        ),
        received,
    )


async def bench(
    server_dsn: str, postmaster: int | None, args: argparse.Namespace
) -> dict[str, Any]:
    token = secrets.token_hex(16)
    work = make_workload(args.n, args.m, args.fixed_seconds, args.seed)
    async with AsyncExitStack() as stack:
        dsn = await stack.enter_async_context(
            common.fresh_database(server_dsn, "cc_bench_webhooks_")
        )
        await migrate(dsn)
        conn = await asyncpg.connect(dsn)
        stack.push_async_callback(conn.close)
        await conn.execute(BASELINE_TABLE)
        servers, received = await start_all(stack, dsn, token, postmaster)
        details = await measure(servers, work, token, args)
        details["verification"] = await verify(conn, work, details.pop("loads"))
        details["stand_ins_received"] = dict(received)
        details["outbox_at_end"] = {
            f"{row['channel']} {row['status']}": row["count"] for row in await conn.fetch(OUTBOX)
        }
        details["postgres"] = await common.server_facts(conn)
        return details


# ---------------------------------------------------------------- reporting


def aims_of(line: dict[str, Any]) -> dict[str, Any]:
    d = line["details"]
    met = {
        "per_second": line["value"] >= AIMS["per_second_min"],
        "ratio": (line["ratio"] or 0) >= AIMS["ratio_min"],
        "fixed_rate_p99": d["fixed_rate"]["p99_ms"] < AIMS["fixed_rate_p99_ms_max"]
        and d["fixed_rate"]["errors"] == 0,
    }
    return {**AIMS, "met": met, "all_met": all(met.values())}


def result_line(details: dict[str, Any], source: str) -> dict[str, Any]:
    value, baseline = details["service"]["per_second"], details["baseline"]["per_second"]
    line = common.result_line(
        bench="webhooks",
        metric="sms_webhooks_per_second",
        value=value,
        unit="webhooks/s",
        baseline=baseline,
        details=details,
        source=source,
    )
    details["aims"] = aims_of(line)
    return line


def figures(label: str, s: dict[str, Any]) -> str:
    cpu = "  ".join(f"{k} {v:.3f}" for k, v in s["cpu_ms_per_request"].items())
    busy = s["machine_cpu_busy"]
    return (
        f"{label:<10}{s['per_second']:>8.1f}/s  p50 {s['p50_ms']:7.2f} ms"
        f"  p99 {s['p99_ms']:7.2f} ms  errors {s['errors']}  CPU ms/req: {cpu}"
        + ("" if busy is None else f"  machine {busy:.0%} busy")
    )


def summarize(line: dict[str, Any]) -> str:
    d = line["details"]
    fixed, aims = d["fixed_rate"], d["aims"]
    return "\n".join(
        [
            figures("service", d["service"]),
            figures("baseline", d["baseline"]),
            f"ratio     {line['ratio']}  (n={d['n']}, concurrency={d['concurrency']}, "
            f"{line['machine']['cpus']} CPUs, PostgreSQL {line['machine']['postgres']} "
            f"{d['database']['source']})",
            figures(f"{fixed['offered_per_second']:.0f}/s", fixed)
            + f"  (offered for {fixed['seconds']:.0f} s, sends at most"
            f" {fixed['latest_send_behind_schedule_ms']:.1f} ms late)",
            figures("email", d["email"]),
            f"verified  {common.verdict(d['verification'])}: {d['verification']}",
            f"settled   waited {d['settle_waits_s']} s for a quiet machine before the phases",
            f"stand-ins {d['stand_ins_received']}  outbox at the end {d['outbox_at_end']}",
            f"aims      {'all met' if aims['all_met'] else 'NOT all met'}: {aims['met']}",
        ]
    )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    add = parser.add_argument
    add("--quick", action="store_true", help=f"a small run (n={QUICK_N}, m={QUICK_M})")
    add("-n", type=int, default=None, help=f"webhooks in the saturation run (default {DEFAULT_N})")
    add("-c", type=int, default=DEFAULT_C, help=f"concurrency (default {DEFAULT_C})")
    add("-m", type=int, default=None, help=f"emails over SMTP (default {DEFAULT_M})")
    add(
        "--fixed-seconds",
        type=float,
        default=None,
        help=f"length of the {RATE}/s run"
        f" (default {RATE_SECONDS:.0f}, --quick {QUICK_RATE_SECONDS:.0f}, at most 120)",
    )
    add("--seed", type=int, default=20261130, help="workload random seed")
    add("--baseline-server", nargs=2, metavar=("PORT", "DSN"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.n = args.n or (QUICK_N if args.quick else DEFAULT_N)
    args.m = args.m or (QUICK_M if args.quick else DEFAULT_M)
    args.fixed_seconds = args.fixed_seconds or (QUICK_RATE_SECONDS if args.quick else RATE_SECONDS)
    if not (ROUNDS * 2 <= args.n <= 100_000 and 1 <= args.c <= 500 and 1 <= args.m <= 20_000):
        parser.error(f"need {ROUNDS * 2} <= n <= 100000, 1 <= c <= 500 and 1 <= m <= 20000")
    if not 1 <= args.fixed_seconds <= 120:
        parser.error("need 1 <= --fixed-seconds <= 120")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.baseline_server:
        port, dsn = args.baseline_server
        asyncio.run(serve_baseline(int(port), dsn))
        return 0
    # SIGTERM unwinds like Ctrl-C, so the subprocesses and the database are cleaned up.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        with common.database_server() as server:
            details = asyncio.run(bench(server.dsn, server.postmaster, args))
    except KeyboardInterrupt:
        print("interrupted; servers stopped and the database dropped", file=sys.stderr)
        return 130
    line = result_line(details, server.source)
    common.emit(line, summarize(line))
    return 0 if details["verification"]["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
