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

    .venv/bin/python scripts/bench/webhooks.py [--quick] [-n N] [-c C] [-m M]

Acknowledgements stay on: the service's Twilio REST calls go to a stand-in in this process
(201 for every message) and its outbound mail to a local SMTP sink. The database server is
DATABASE_URL when set, else an embedded PostgreSQL in a temporary folder; the database is
created, migrated and dropped here. A summary goes to stderr; the last line of stdout is one
JSON object (DESIGN.md section 6). Exit status 1 when the stored rows do not match what was sent.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import secrets
import signal
import socket
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from contextlib import AsyncExitStack, asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import aiohttp
import aiosmtplib
import asyncpg
import phonenumbers
from aiohttp import web
from aiosmtpd.smtp import SMTP, Envelope, Session
from multidict import MultiDict
from twilio.request_validator import RequestValidator

from contact_center.db import create_pool
from contact_center.db.embedded import start_embedded
from contact_center.db.migrate import migrate

DEFAULT_N, QUICK_N, DEFAULT_C = 5000, 500, 50
RATE, RATE_SECONDS, QUICK_RATE_SECONDS = 500, 10.0, 3.0
DEFAULT_M, QUICK_M, MAIL_C = 500, 100, 10
ROUNDS = 4  # baseline and service alternate over this many slices of the saturation run
WARM_UP = 200  # webhooks per server before any clock starts
OPEN_LOOP_CONNECTIONS = 256
POOL_SIZE = 10  # what `serve` opens (runtime.open_database's default), for the baseline too
REQUEST_TIMEOUT, START_TIMEOUT, PHASE_TIMEOUT = 30.0, 90.0, 900.0
NEW_SENDER_SHARE, REPLAY_SHARE = 0.5, 0.01  # the rest are repeat senders
AIMS = {"per_second_min": 1000.0, "ratio_min": 0.5, "fixed_rate_p99_ms_max": 100.0}

ROOT = Path(__file__).resolve().parents[2]
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
            mail["Subject"], mail["In-Reply-To"], mail["References"] = f"Re: {subject}", parent, parent
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


def cpu_ticks() -> tuple[int, int] | None:
    """(busy, total) clock ticks of all CPUs since boot, from /proc/stat; None elsewhere."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            fields = [int(v) for v in stat.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return sum(fields[:8]) - idle, sum(fields[:8])


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

    server: Callable[[], list[int]]
    database: Callable[[], list[int]]


@dataclass
class Load:
    codes: Counter[int] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    wall: float = 0.0
    cpu: dict[str, float] = field(default_factory=dict)  # seconds per process group
    machine_busy: float | None = None
    late_sends: float = 0.0  # open loop: the latest a send left after its scheduled time

    @property
    def count(self) -> int:
        return len(self.latencies)

    @property
    def ok(self) -> int:
        return sum(n for code, n in self.codes.items() if 200 <= code < 300)

    def summary(self) -> dict[str, Any]:
        cuts = statistics.quantiles(self.latencies, n=100, method="inclusive")
        return {
            "count": self.count,
            "per_second": round(self.ok / self.wall, 1),
            "p50_ms": round(cuts[49] * 1000, 2),
            "p99_ms": round(cuts[98] * 1000, 2),
            "max_ms": round(max(self.latencies) * 1000, 2),
            "errors": self.count - self.ok,
            "codes": {str(k): v for k, v in sorted(self.codes.items())},
            "error_kinds": dict(self.errors),
            "wall_s": round(self.wall, 3),
            "cpu_ms_per_request": {k: round(v * 1000 / self.count, 3) for k, v in self.cpu.items()},
            "machine_cpu_busy": None if self.machine_busy is None else round(self.machine_busy, 3),
        }


@asynccontextmanager
async def measured(load: Load, watch: Watch) -> AsyncIterator[None]:
    """Time the block and charge the CPU used meanwhile to client, server and database."""
    groups: dict[str, Callable[[], float]] = {
        "client": time.process_time,
        "server": lambda: process_cpu(watch.server()),
        "database": lambda: process_cpu(watch.database()),
    }
    before = {name: read() for name, read in groups.items()}
    ticks, start = cpu_ticks(), time.perf_counter()
    yield
    load.wall = time.perf_counter() - start
    load.cpu = {name: read() - before[name] for name, read in groups.items()}
    after = cpu_ticks()
    if ticks and after and after[1] > ticks[1]:
        load.machine_busy = (after[0] - ticks[0]) / (after[1] - ticks[1])


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

    async def one(session: aiohttp.ClientSession, item: Signed, due: float) -> None:
        await post(session, url, item, load)
        load.latencies.append(loop.time() - due)

    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        async with asyncio.timeout(PHASE_TIMEOUT), measured(load, watch):
            start, tasks = loop.time() + 0.01, []
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


def merge(loads: Sequence[Load]) -> Load:
    """One load out of consecutive ones: counts and walls added, CPU summed per group."""
    total = Load(wall=sum(x.wall for x in loads))
    busy = [x.machine_busy * x.wall for x in loads if x.machine_busy is not None]
    total.machine_busy = sum(busy) / total.wall if len(busy) == len(loads) else None
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
            print(log.read_text("utf-8", "replace")[-3000:], file=sys.stderr)


async def wait_healthy(url: str, process: asyncio.subprocess.Process, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=2)) as session:
        while time.monotonic() < deadline:
            if process.returncode is not None:
                tail = log.read_text("utf-8", "replace")[-3000:]
                raise RuntimeError(f"{url} exited with {process.returncode}:\n{tail}")
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
            await conn.execute(BASELINE_INSERT, sid, form.get("From", ""), form.get("Body"), payload)
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


# ---------------------------------------------------------------- database


@contextmanager
def database_server() -> Iterator[tuple[str, str, int | None]]:
    """(dsn of a server we may create databases on, where it came from, postmaster pid)."""
    url = os.environ.get("DATABASE_URL")
    if url:
        yield url, "DATABASE_URL", None
        return
    with tempfile.TemporaryDirectory(prefix="cc-bench-") as folder:
        server = start_embedded(Path(folder), delete_on_exit=True)
        try:
            pid_file = Path(folder) / "pgdata" / "postmaster.pid"
            pid = int(pid_file.read_text().split()[0]) if pid_file.exists() else None
            yield server.uri(), "embedded", pid
        finally:
            server.stop()


def database_dsn(server_dsn: str, name: str) -> str:
    parts = urlsplit(server_dsn)
    if parts.scheme not in ("postgres", "postgresql"):
        raise SystemExit("DATABASE_URL must be a postgresql:// URL")
    return urlunsplit(parts._replace(path=f"/{name}"))


@asynccontextmanager
async def fresh_database(server_dsn: str) -> AsyncIterator[str]:
    """A new, empty database with a random name, dropped on the way out."""
    name = f"cc_bench_webhooks_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(server_dsn)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield database_dsn(server_dsn, name)
        finally:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


async def server_facts(conn: asyncpg.Connection[Any]) -> dict[str, str]:
    return {
        name: str(await conn.fetchval(f"SHOW {name}"))
        for name in ("server_version", "fsync", "synchronous_commit", "shared_buffers")
    }
