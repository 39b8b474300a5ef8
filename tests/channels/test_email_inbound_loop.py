"""A giant mail is parsed without stalling the event loop that serves everything else."""

from __future__ import annotations

import asyncio
import dataclasses
import random
import sys
import time
from collections.abc import AsyncIterator
from typing import Any

import aiosmtplib
import asyncpg
import pytest
import pytest_asyncio

from channels import email_shape
from channels.email_identity import content_digest
from channels.email_inbound import INLINE_READ_BYTES
from channels.email_mime import parse_email
from channels.email_shape import MAX_PARTS
from contact_center.app import create_smtp_server
from contact_center.config import Settings

pytestmark = pytest.mark.commits


@pytest_asyncio.fixture
async def big_mail_settings(
    settings: Settings, unused_tcp_port: int, pool: asyncpg.Pool[Any]
) -> AsyncIterator[Settings]:
    configured = dataclasses.replace(
        settings, inbound_smtp_port=unused_tcp_port, max_mail_bytes=10 * 1024 * 1024
    )
    server = await create_smtp_server(configured, pool)
    yield configured
    server.close()
    await server.wait_closed()


SEND = """
import asyncio, sys
import aiosmtplib
errors, reply = asyncio.run(aiosmtplib.send(
    sys.stdin.buffer.read(), sender="casey@example.net", recipients=["support@example.com"],
    hostname="127.0.0.1", port=int(sys.argv[1]), timeout=60))
print(reply if not errors else errors)
"""


def giant_mail(size: int = 8_000_000) -> bytes:
    """As many text parts as the parser accepts, filling `size` bytes: about 1 s to parse."""
    parts = MAX_PARTS - 10
    line = b"the lid of the kettle is broken again " * 2 + b"\r\n"
    text = line * (size // parts // len(line))
    head = (
        b"From: Casey Ashdown <casey@example.net>\r\nTo: support@example.com\r\n"
        b"Subject: Broken lids\r\nMessage-ID: <giant@example.net>\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="part"\r\n\r\n'
    )
    part = b"--part\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + text
    return head + part * parts + b"--part--\r\n"


async def longest_stall(stop: asyncio.Event) -> float:
    """The worst lateness of a 5 ms sleep until `stop`: how long the loop was not ours."""
    worst = 0.0
    while not stop.is_set():
        started = time.perf_counter()
        await asyncio.sleep(0.005)
        worst = max(worst, time.perf_counter() - started - 0.005)
    return worst


async def test_a_giant_mail_is_parsed_off_the_event_loop(
    big_mail_settings: Settings, pool: asyncpg.Pool[Any]
) -> None:
    raw = giant_mail()
    started = time.perf_counter()
    parse_email(raw)
    content_digest(raw)
    parse_seconds = time.perf_counter() - started
    assert parse_seconds > 0.2, "the mail must be expensive for the stall to mean anything"

    stop = asyncio.Event()
    probe = asyncio.create_task(longest_stall(stop))
    # The client runs in its own process: in ours, its regex passes over the 8 MB would hold
    # the GIL and show up as stalls of the server's loop.
    client = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        SEND,
        str(big_mail_settings.inbound_smtp_port),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    reply, _ = await client.communicate(raw)
    stop.set()
    stall = await probe
    assert client.returncode == 0 and reply.startswith(b"OK"), reply
    async with pool.acquire() as conn:
        stored = await conn.fetchval(
            "SELECT count(*) FROM messages WHERE rfc_message_id = '<giant@example.net>'"
        )
    assert stored == 1
    print(f"parse {parse_seconds * 1000:.0f} ms, longest loop stall {stall * 1000:.0f} ms")
    assert stall < parse_seconds / 4


async def test_unreadable_mail_read_by_a_worker_is_kept_raw_with_its_error(
    big_mail_settings: Settings, pool: asyncpg.Pool[Any]
) -> None:
    raw = b"Subject: no sender here\r\n\r\n" + b"who am I?\r\n" * 1_000
    assert len(raw) > INLINE_READ_BYTES
    await aiosmtplib.send(
        raw,
        sender="daemon@localhost",
        recipients=["support@example.com"],
        hostname="127.0.0.1",
        port=big_mail_settings.inbound_smtp_port,
    )
    async with pool.acquire() as conn:
        row = await conn.fetchrow(
            "SELECT parse_error, message_id FROM inbound_contacts WHERE raw = $1", raw
        )
    assert row is not None and row["message_id"] is None and "From" in row["parse_error"]


def test_the_shape_scans_find_window_by_window_what_one_pass_finds() -> None:
    rng = random.Random(6)
    pieces = [b"\r", b"\n", b"\r\n", b"--", b"b", b"boundary=", b'"', b";", b"x" * 60]
    pieces += [b"Content-Type:", b"content-disposition :", b"BOUNDARY*0*=", b"\n--b--\r\n"]
    raw = b"".join(rng.choice(pieces) for _ in range(40_000))
    for pattern in (email_shape._SHAPE, email_shape._MIME_HEADER):
        whole = [(m.span(), m.groups()) for m in pattern.finditer(raw)]
        assert whole and [(m.span(), m.groups()) for m in email_shape.scan(pattern, raw)] == whole
