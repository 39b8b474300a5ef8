"""Send made-up customer traffic to a running contact-center: signed SMS webhooks, SMTP mail and
phone calls (signed voice webhooks through the IVR, with status callbacks: simulate_calls.py).

For demos and load tests. SMS arrive as Twilio would send them (form-encoded, X-Twilio-Signature
computed with twilio's RequestValidator over --public-url + path); mail goes over SMTP to the
inbound server for addresses at --mail-domain. Senders are fictional (+1 202 3xx xxxx numbers
checked with phonenumbers, addresses at example.net) and the texts are invented.

Against `scripts/serve` (demo mode) it needs no flags: it signs with demo mode's development
Twilio token, asks the service where its SMTP server listens, and at the end counts the
acknowledgements that reached the development sink.

    .venv/bin/python scripts/simulate.py
    .venv/bin/python scripts/simulate.py --sms 50 --emails 20 --calls 5 [--rate 10]

Prints a summary; the exit status is 1 when any request failed (non-2xx answer or an error),
2 when the service or its SMTP server cannot be reached (one line says which and what to pass).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import secrets
import statistics
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from urllib.parse import urlencode

import aiohttp
import aiosmtplib
import phonenumbers
from simulate_calls import CallOutcomes, Voice, place_call, plan_calls
from simulate_service import Unreachable, prepare, wait_for_sink
from twilio.request_validator import RequestValidator

from contact_center.config import DEV_TWILIO_ACCOUNT_SID, DEV_TWILIO_AUTH_TOKEN

SMS_PATH = "/webhooks/twilio/sms"
DEFAULT_TO_NUMBER = "+12025550100"
TIMEOUT_SECONDS = 30.0
MAX_MESSAGES = 100_000

# (subject, text): complaints, orders and questions, in English and some Chinese.
TEXTS: tuple[tuple[str, str], ...] = (
    ("Where is my order?", "Hi, my order 4471 has not arrived yet. Can you check?"),
    ("Broken on arrival", "The kettle I received is broken. I want a refund please."),
    ("Wrong size", "I ordered size M but got XL. How do I exchange it?"),
    ("Opening hours", "Are you open on Saturday morning? I would like to come by."),
    ("Invoice copy", "Could you send me a copy of the invoice for March?"),
    ("Very disappointed", "Third time the delivery is late. This is not acceptable."),
    ("Cancel order", "Please cancel order 5531, I ordered it twice by mistake."),
    ("Setup question", "How do I reset the timer on the coffee machine?"),
    ("Thanks", "Thanks for the quick help yesterday, everything works now."),
    ("订单查询", "你好，我上周下的订单 6620 还没有收到，请帮忙查一下。"),
    ("包装破损", "昨天买的茶叶包装破了，能换一盒吗？"),
    ("营业时间", "请问周日营业吗？几点关门？"),
    ("投诉", "客服电话一直打不通，非常不满意。"),
)
REPLY_TEXTS: tuple[str, ...] = (
    "Any news on this?",
    "Thank you, that helps.",
    "Still waiting for an answer, please.",
    "I attached the order number above.",
    "谢谢，请尽快处理。",
    "还有一个问题想问一下。",
)
FIRST_NAMES = ("Alex", "Sam", "Jordan", "Robin", "Casey", "Taylor", "Morgan", "Jamie", "Li", "Wei")
LAST_NAMES = ("Sample", "Example", "Testwood", "Placeholder", "Fictus", "Demo", "Mock", "Dummy")


@dataclass(frozen=True)
class Sms:
    sender: str
    text: str
    follow_up: bool = False  # continues an earlier conversation of this run


@dataclass(frozen=True)
class Mail:
    sender: str
    name: str
    subject: str
    text: str
    message_id: str
    in_reply_to: str = ""
    references: tuple[str, ...] = ()

    @property
    def follow_up(self) -> bool:
        return bool(self.in_reply_to)


Planned = Sms | Mail


@dataclass
class Outcomes:
    """What came back: HTTP statuses, SMTP reply codes, errors and each message's latency."""

    http: Counter[int] = field(default_factory=Counter)
    smtp: Counter[int] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    latencies: dict[str, list[float]] = field(default_factory=lambda: {"sms": [], "email": []})
    # Messages continuing an earlier conversation: they land on its ticket, which was
    # acknowledged once already, so they get no acknowledgement of their own.
    follow_ups: Counter[str] = field(default_factory=Counter)

    @property
    def failed(self) -> int:
        bad_http = sum(n for code, n in self.http.items() if not 200 <= code < 300)
        bad_smtp = sum(n for code, n in self.smtp.items() if not 200 <= code < 300)
        return bad_http + bad_smtp + sum(self.errors.values())


# ---------------------------------------------------------------- made-up traffic


class People:
    """Fictional senders: unique valid US numbers in 202-3xx-xxxx and example.net addresses."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._phones: set[str] = set()
        self._emails = 0

    def phone(self) -> str:
        while True:
            number = f"+12023{self._rng.randint(0, 99):02d}{self._rng.randint(0, 9999):04d}"
            if number in self._phones:
                continue
            parsed = phonenumbers.parse(number, "US")
            if phonenumbers.is_valid_number(parsed):
                self._phones.add(number)
                return number

    def email(self) -> tuple[str, str]:
        self._emails += 1
        first, last = self._rng.choice(FIRST_NAMES), self._rng.choice(LAST_NAMES)
        tag = self._rng.randrange(16**4)
        return f"{first}.{last}{self._emails}.{tag:04x}@example.net".lower(), f"{first} {last}"


def plan_sms(people: People, rng: random.Random, earlier: list[Sms], reply_share: float) -> Sms:
    if earlier and rng.random() < reply_share:
        return Sms(rng.choice(earlier).sender, rng.choice(REPLY_TEXTS), follow_up=True)
    return Sms(people.phone(), rng.choice(TEXTS)[1])


def plan_mail(people: People, rng: random.Random, earlier: list[Mail], reply_share: float) -> Mail:
    message_id = make_msgid(domain="mail.example.net")
    if earlier and rng.random() < reply_share:
        first = rng.choice(earlier)
        subject = first.subject if first.subject.startswith("Re:") else f"Re: {first.subject}"
        return Mail(
            sender=first.sender,
            name=first.name,
            subject=subject,
            text=rng.choice(REPLY_TEXTS),
            message_id=message_id,
            in_reply_to=first.message_id,
            references=(*first.references, first.message_id),
        )
    sender, name = people.email()
    subject, text = rng.choice(TEXTS)
    return Mail(sender, name, subject, text, message_id)


def make_plan(sms: int, emails: int, reply_share: float, rng: random.Random) -> list[Planned]:
    """SMS and mail interleaved at random; a reply continues an earlier conversation."""
    kinds = ["sms"] * sms + ["email"] * emails
    rng.shuffle(kinds)
    people = People(rng)
    texts: list[Sms] = []
    mails: list[Mail] = []
    for kind in kinds:
        if kind == "sms":
            texts.append(plan_sms(people, rng, texts, reply_share))
        else:
            mails.append(plan_mail(people, rng, mails, reply_share))
    by_kind: dict[str, Iterator[Planned]] = {"sms": iter(texts), "email": iter(mails)}
    return [next(by_kind[kind]) for kind in kinds]


# ---------------------------------------------------------------- SMS over HTTP


def sms_form(message: Sms, to_number: str, account_sid: str) -> dict[str, str]:
    """Twilio's documented inbound fields for one SMS, with a fresh MessageSid (random even
    under --seed: a repeated run must not look like Twilio retrying the first one)."""
    sid = "SM" + secrets.token_hex(16)
    per_segment = 160 if message.text.isascii() else 70
    return {
        "ToCountry": "US",
        "ToState": "DC",
        "SmsMessageSid": sid,
        "NumMedia": "0",
        "ToCity": "WASHINGTON",
        "SmsSid": sid,
        "SmsStatus": "received",
        "Body": message.text,
        "FromCountry": "US",
        "To": to_number,
        "NumSegments": str(-(-len(message.text) // per_segment)),
        "MessageSid": sid,
        "AccountSid": account_sid,
        "From": message.sender,
        "ApiVersion": "2010-04-01",
    }


def signed_request(token: str, url: str, params: dict[str, str]) -> tuple[bytes, dict[str, str]]:
    """The body and headers of a POST signed exactly as Twilio signs it."""
    signature = RequestValidator(token).compute_signature(url, params)
    headers = {
        "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
        "X-Twilio-Signature": str(signature),
        "User-Agent": "TwilioProxy/1.1",
    }
    return urlencode(params).encode(), headers


async def post_sms(
    session: aiohttp.ClientSession, url: str, body: bytes, headers: dict[str, str]
) -> int:
    async with session.post(url, data=body, headers=headers) as response:
        await response.read()
        return response.status


# ---------------------------------------------------------------- mail over SMTP


def build_mail(message: Mail, to_address: str) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = f"{message.name} <{message.sender}>"
    mail["To"] = to_address
    mail["Subject"] = message.subject
    mail["Date"] = format_datetime(datetime.now(UTC))
    mail["Message-ID"] = message.message_id
    if message.in_reply_to:
        mail["In-Reply-To"] = message.in_reply_to
        mail["References"] = " ".join(message.references)
    # Quoted-printable keeps Chinese text 7-bit, so no 8BITMIME is needed on the way.
    cte = "7bit" if message.text.isascii() else "quoted-printable"
    mail.set_content(f"{message.text}\n\n{message.name}\n", cte=cte)
    return mail


async def send_mail(host: str, port: int, mail: EmailMessage, sender: str, to: str) -> int:
    """One SMTP session per message, as most sending servers do; returns the DATA reply code."""
    async with aiosmtplib.SMTP(
        hostname=host, port=port, timeout=TIMEOUT_SECONDS, start_tls=False
    ) as client:
        await client.mail(sender)
        await client.rcpt(to)
        reply = await client.data(mail.as_bytes())
        return reply.code


# ---------------------------------------------------------------- running


@dataclass(frozen=True)
class Target:
    sms_url: str  # what is signed (PUBLIC_URL + path) and where the webhook is posted
    token: str
    to_number: str
    account_sid: str
    smtp_host: str
    smtp_port: int
    inbox: str


async def send_one(
    session: aiohttp.ClientSession, target: Target, message: Planned
) -> tuple[str, int]:
    """Send one message; returns (channel, status or reply code)."""
    if isinstance(message, Sms):
        params = sms_form(message, target.to_number, target.account_sid)
        body, headers = signed_request(target.token, target.sms_url, params)
        return "sms", await post_sms(session, target.sms_url, body, headers)
    mail = build_mail(message, target.inbox)
    code = await send_mail(target.smtp_host, target.smtp_port, mail, message.sender, target.inbox)
    return "email", code


def recorder(
    outcomes: Outcomes, send: Callable[[Planned], Awaitable[tuple[str, int]]]
) -> Callable[[Planned], Awaitable[None]]:
    """Wrap `send` so that every outcome, error and latency lands in `outcomes`."""

    async def run(message: Planned) -> None:
        channel = "sms" if isinstance(message, Sms) else "email"
        start = time.perf_counter()
        try:
            result = await send(message)
        except aiosmtplib.SMTPResponseException as exc:
            outcomes.smtp[exc.code] += 1
        except (aiohttp.ClientError, aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            outcomes.errors[f"{channel}: {type(exc).__name__}"] += 1
        else:
            (outcomes.http if channel == "sms" else outcomes.smtp)[result[1]] += 1
        outcomes.latencies[channel].append(time.perf_counter() - start)

    return run


async def pace(
    messages: Sequence[Planned],
    work: Callable[[Planned], Awaitable[None]],
    rate: float,
    concurrency: int,
) -> float:
    """Start message i at i / rate seconds (at once when rate is 0), with at most
    `concurrency` in flight; returns the wall time."""
    gate = asyncio.Semaphore(concurrency)
    loop = asyncio.get_running_loop()
    start = loop.time()

    async def one(index: int, message: Planned) -> None:
        if rate > 0:
            await asyncio.sleep(max(0.0, start + index / rate - loop.time()))
        async with gate:
            await work(message)

    await asyncio.gather(*(one(i, m) for i, m in enumerate(messages)))
    return loop.time() - start


def count_follow_ups(plan: Sequence[Planned]) -> Counter[str]:
    return Counter("sms" if isinstance(m, Sms) else "email" for m in plan if m.follow_up)


async def simulate(args: argparse.Namespace, target: Target) -> tuple[Outcomes, float]:
    rng = random.Random(args.seed)
    plan = make_plan(args.sms, args.emails, args.reply_share, rng)
    outcomes = Outcomes(follow_ups=count_follow_ups(plan))
    timeout = aiohttp.ClientTimeout(total=TIMEOUT_SECONDS)
    connector = aiohttp.TCPConnector(limit=args.concurrency)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:

        async def send(message: Planned) -> tuple[str, int]:
            return await send_one(session, target, message)

        wall = await pace(plan, recorder(outcomes, send), args.rate, args.concurrency)
    return outcomes, wall


async def simulate_calls(args: argparse.Namespace, target: Target) -> CallOutcomes:
    """The calls one after another, each following the TwiML the service answers."""
    rng = random.Random(args.seed)
    people = People(rng)
    outcomes = CallOutcomes()
    voice = Voice(args.public_url, target.token, target.account_sid, target.to_number)
    timeout = aiohttp.ClientTimeout(total=TIMEOUT_SECONDS)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        for call in plan_calls(args.calls, [people.phone() for _ in range(args.calls)], rng):
            try:
                await place_call(session, voice, call, outcomes, rng)
            except (aiohttp.ClientError, OSError, TimeoutError) as exc:
                outcomes.http[0] += 1
                print(f"call {call.sid}: {type(exc).__name__}: {exc}", file=sys.stderr)
    return outcomes


# ---------------------------------------------------------------- reporting


def percentiles(values: list[float]) -> str:
    if not values:
        return "-"
    if len(values) == 1:
        return f"p50 {values[0] * 1000:.1f} ms  p99 {values[0] * 1000:.1f} ms"
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return f"p50 {cuts[49] * 1000:.1f} ms  p99 {cuts[98] * 1000:.1f} ms"


def follow_up_line(follow_ups: Counter[str], sent: int) -> str:
    """How many messages continue a conversation, so the acknowledgement count adds up."""
    total = sum(follow_ups.values())
    return (
        f"{total} of them followed up an earlier conversation ({follow_ups['sms']} SMS, "
        f"{follow_ups['email']} emails): they join its ticket, no new acknowledgement expected; "
        f"{sent - total} opened new conversations"
    )


def summary(outcomes: Outcomes, wall: float) -> str:
    every = outcomes.latencies["sms"] + outcomes.latencies["email"]
    rate = len(every) / wall if wall > 0 else 0.0
    rows = [
        f"sent     {len(every)} in {wall:.2f} s ({rate:.1f}/s): "
        f"{len(outcomes.latencies['sms'])} SMS, {len(outcomes.latencies['email'])} emails",
        f"follow   {follow_up_line(outcomes.follow_ups, len(every))}",
        f"HTTP     {dict(sorted(outcomes.http.items())) or '-'}",
        f"SMTP     {dict(sorted(outcomes.smtp.items())) or '-'}",
        f"errors   {dict(outcomes.errors) or 0}",
        f"latency  all: {percentiles(every)}",
        f"         SMS: {percentiles(outcomes.latencies['sms'])}",
        f"         email: {percentiles(outcomes.latencies['email'])}",
        f"result   {'FAILED: ' + str(outcomes.failed) + ' failed' if outcomes.failed else 'ok'}",
    ]
    return "\n".join(rows)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    add = parser.add_argument
    add("--sms", type=int, default=10, help="SMS webhooks to send (default 10)")
    add("--emails", type=int, default=5, help="emails to send over SMTP (default 5)")
    add("--calls", type=int, default=3, help="phone calls through the IVR (default 3)")
    add("--rate", type=float, default=0.0, help="messages per second overall; 0 = unpaced")
    add("--concurrency", type=int, default=10, help="most messages in flight (default 10)")
    add("--reply-share", type=float, default=0.3, help="share continuing a conversation, 0..1")
    add("--seed", type=int, default=None, help="random seed, for a repeatable run")
    add("--public-url", default="http://localhost:8080", help="the service's PUBLIC_URL")
    add(
        "--auth-token",
        default=None,
        help="Twilio auth token (default: TWILIO_AUTH_TOKEN, else demo mode's development token)",
    )
    add("--to-number", default=None, help="our Twilio number (default: TWILIO_FROM_NUMBER)")
    add("--smtp-host", default=None, help="inbound SMTP host (default: asked, else 127.0.0.1)")
    add("--smtp-port", type=int, default=None, help="inbound SMTP port (default: asked, else 2525)")
    add("--mail-domain", default=None, help="the service's MAIL_DOMAIN (default: asked)")
    args = parser.parse_args(argv)
    args.auth_token = (
        args.auth_token or os.environ.get("TWILIO_AUTH_TOKEN") or DEV_TWILIO_AUTH_TOKEN
    )
    args.to_number = args.to_number or os.environ.get("TWILIO_FROM_NUMBER") or DEFAULT_TO_NUMBER
    counts = (args.sms, args.emails, args.calls)
    if not all(0 <= n <= MAX_MESSAGES for n in counts):
        parser.error(f"--sms, --emails and --calls must be between 0 and {MAX_MESSAGES}")
    if args.rate < 0 or args.concurrency < 1 or not 0 <= args.reply_share <= 1:
        parser.error("need --rate >= 0, --concurrency >= 1 and 0 <= --reply-share <= 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.public_url = args.public_url.rstrip("/")
    try:
        service = asyncio.run(prepare(args))
    except Unreachable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    target = Target(
        sms_url=args.public_url + SMS_PATH,
        token=args.auth_token,
        to_number=args.to_number,
        account_sid=os.environ.get("TWILIO_ACCOUNT_SID") or DEV_TWILIO_ACCOUNT_SID,
        smtp_host=args.smtp_host,
        smtp_port=args.smtp_port,
        inbox=f"support@{args.mail_domain.lower()}",
    )
    outcomes, wall = asyncio.run(simulate(args, target))
    print(summary(outcomes, wall))
    calls = asyncio.run(simulate_calls(args, target))
    bad_calls = sum(n for code, n in calls.http.items() if not 200 <= code < 300)
    print(
        f"calls    {args.calls}: {dict(sorted(calls.ends.items())) or '-'}; "
        f"HTTP {dict(sorted(calls.http.items())) or '-'}"
        + (f"; FAILED: {bad_calls} requests" if bad_calls else "")
    )
    if service is not None:
        before = dict(service["counts"])
        try:
            new = asyncio.run(wait_for_sink(args.public_url, before))
        except Unreachable as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        print(
            f"sink     +{new['sms']} SMS, +{new['email']} emails sent to the development sink "
            f"(acknowledgements of new conversations): {args.public_url}/dev/outbox"
        )
    return 1 if outcomes.failed or bad_calls else 0


if __name__ == "__main__":
    sys.exit(main())
