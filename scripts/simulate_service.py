"""What simulate.py asks the running service before and after it sends: where its SMTP server
listens and what the development sink holds (demo mode), and whether both answer at all."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

import aiohttp
import aiosmtplib

SINK_API = "/api/v1/dev/sink"
SINK_WAIT_SECONDS = 20.0


class Unreachable(Exception):
    """The service or its SMTP server does not answer where we were told to look."""


async def ask_service(public_url: str) -> dict[str, Any] | None:
    """The development sink's view (demo mode): where mail goes in, what was sent so far.
    None when the service is not in demo mode. Raises Unreachable when nothing answers."""
    timeout = aiohttp.ClientTimeout(total=10)
    try:
        async with (
            aiohttp.ClientSession(timeout=timeout) as session,
            session.get(f"{public_url}{SINK_API}?limit=1") as response,
        ):
            if response.status != 200:
                return None
            found: dict[str, Any] = await response.json()
            return found
    except (aiohttp.ClientError, OSError, TimeoutError) as exc:
        raise Unreachable(
            f"cannot reach contact-center at {public_url} ({reason(exc)}): is scripts/serve "
            "running? Pass --public-url if it serves on another address or port."
        ) from None


async def check_smtp(host: str, port: int) -> None:
    try:
        async with aiosmtplib.SMTP(hostname=host, port=port, timeout=10, start_tls=False):
            pass
    except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
        raise Unreachable(
            f"cannot reach the inbound SMTP server at {host}:{port} ({reason(exc)}): pass "
            "--smtp-port (scripts/serve prints it as 'inbound mail on HOST:PORT')."
        ) from None


def reason(exc: BaseException) -> str:
    cause = getattr(exc, "os_error", None) or exc  # aiohttp wraps the socket's error
    text = str(cause).strip()
    if isinstance(cause, ConnectionRefusedError) or "connect call failed" in text.lower():
        return "connection refused"
    return text or type(cause).__name__


async def sink_counts(public_url: str) -> dict[str, int]:
    found = await ask_service(public_url)
    return dict(found["counts"]) if found else {}


async def wait_for_sink(public_url: str, before: dict[str, int]) -> dict[str, int]:
    """New entries in the development sink since `before`, once they stop arriving."""
    loop = asyncio.get_running_loop()
    deadline, last, steady = loop.time() + SINK_WAIT_SECONDS, None, 0
    while loop.time() < deadline:
        now = await sink_counts(public_url)
        steady = steady + 1 if now == last and now != before else 0
        if steady >= 3:
            break
        last = now
        await asyncio.sleep(1)
    after = last or {}
    return {k: after.get(k, 0) - before.get(k, 0) for k in ("sms", "email")}


async def prepare(args: argparse.Namespace) -> dict[str, Any] | None:
    """Fill in what was not given from the service itself; check both ports answer."""
    service = await ask_service(args.public_url)
    inbound = service["inbound"] if service else {}
    args.smtp_host = args.smtp_host or inbound.get("smtp_host") or "127.0.0.1"
    args.smtp_port = args.smtp_port or inbound.get("smtp_port") or 2525
    args.mail_domain = args.mail_domain or inbound.get("mail_domain") or "example.com"
    if args.emails:
        await check_smtp(args.smtp_host, args.smtp_port)
    return service
