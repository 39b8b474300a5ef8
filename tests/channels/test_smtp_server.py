"""The SMTP server under a flood of idle connections, and with long lines, over real sockets.

Linux routes all of 127.0.0.0/8 to the loopback, so the flood comes from 127.0.0.1 and the real
mail from 127.0.0.2: two client addresses, as in a real flood, with no special case for the
loopback in the server.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import AsyncIterator
from typing import Any

import aiosmtplib
import asyncpg
import pytest
import pytest_asyncio

from contact_center.app import create_smtp_server
from contact_center.config import Settings

pytestmark = pytest.mark.commits

LIMIT = 3
IDLE_SECONDS = 1


@pytest_asyncio.fixture
async def smtp_settings(
    settings: Settings, unused_tcp_port: int, pool: asyncpg.Pool[Any]
) -> AsyncIterator[Settings]:
    configured = dataclasses.replace(
        settings,
        inbound_smtp_port=unused_tcp_port,
        inbound_smtp_idle_seconds=IDLE_SECONDS,
        inbound_smtp_connections_per_address=LIMIT,
        max_mail_bytes=200_000,
    )
    server = await create_smtp_server(configured, pool)
    yield configured
    server.close()
    await server.wait_closed()


async def connect(settings: Settings) -> tuple[asyncio.StreamReader, asyncio.StreamWriter, bytes]:
    reader, writer = await asyncio.open_connection(
        "127.0.0.1", settings.inbound_smtp_port, local_addr=("127.0.0.1", 0)
    )
    greeting = await asyncio.wait_for(reader.readline(), 5)
    return reader, writer, greeting


async def send(settings: Settings, raw: bytes, source: str = "127.0.0.2") -> Any:
    return await aiosmtplib.send(
        raw,
        sender="customer@example.net",
        recipients=["support@example.com"],
        hostname="127.0.0.1",
        port=settings.inbound_smtp_port,
        source_address=(source, 0),
    )


def mail(message_id: str, body: bytes, charset: str = "utf-8") -> bytes:
    return (
        b"From: Casey Ashdown <casey@example.net>\r\nTo: support@example.com\r\n"
        b"Subject: Long line\r\nMessage-ID: " + message_id.encode() + b"\r\n"
        b"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=" + charset.encode() + b"\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n\r\n" + body + b"\r\n"
    )


async def stored_text(pool: asyncpg.Pool[Any], message_id: str) -> str:
    async with pool.acquire() as conn:
        text: str = await conn.fetchval(
            "SELECT m.body_text FROM inbound_contacts i JOIN messages m ON m.id = i.message_id "
            "WHERE i.provider_id LIKE $1",
            f"support@example.com:{message_id} %",
        )
    return text


async def test_a_flood_of_idle_connections_is_capped_and_timed_out_while_mail_gets_through(
    smtp_settings: Settings, pool: asyncpg.Pool[Any]
) -> None:
    # Before the connections open: each one's idle timer starts when it does, so timing from
    # after the last one could measure a hair under IDLE_SECONDS for the first.
    began = time.monotonic()
    opened = [await connect(smtp_settings) for _ in range(LIMIT)]
    assert all(greeting.startswith(b"220") for _, _, greeting in opened)

    # Over the limit from the same address: 421 at once, then closed.
    reader, writer, greeting = await connect(smtp_settings)
    assert greeting.startswith(b"421 4.7.0")
    assert await asyncio.wait_for(reader.read(), 5) == b""
    writer.close()

    # Meanwhile a real mail from another address is accepted and stored.
    errors, reply = await send(smtp_settings, mail("<flood@example.net>", b"Still here"))
    assert errors == {} and reply.startswith("OK")
    assert await stored_text(pool, "<flood@example.net>") == "Still here"

    # The idle ones are told and closed after the idle timeout.
    for reader, writer, _ in opened:
        last = await asyncio.wait_for(reader.read(), IDLE_SECONDS + 5)
        assert last.startswith(b"421 4.4.2")
        writer.close()
    assert IDLE_SECONDS <= time.monotonic() - began < IDLE_SECONDS + 5

    # Their slots are free again.
    _, writer, greeting = await connect(smtp_settings)
    assert greeting.startswith(b"220")
    writer.close()


async def test_a_slow_sender_is_not_cut_while_bytes_keep_arriving(
    smtp_settings: Settings,
) -> None:
    reader, writer, _ = await connect(smtp_settings)
    for line in (b"EHLO client.example.net", b"MAIL FROM:<casey@example.net>"):
        writer.write(line + b"\r\n")
        while not (await reader.readline())[3:4] == b" ":
            pass
    # Bytes trickle in for longer than the idle timeout, none of the gaps as long.
    command = b"RCPT TO:<support@example.com>\r\n"
    for start in range(0, len(command), 6):
        writer.write(command[start : start + 6])
        await asyncio.sleep(IDLE_SECONDS / 3)
    assert (await asyncio.wait_for(reader.readline(), 5)).startswith(b"250")
    writer.close()


async def test_long_lines_are_accepted_and_the_size_limit_is_kept(
    smtp_settings: Settings, pool: asyncpg.Pool[Any]
) -> None:
    long_line = b"x" * 5000
    errors, reply = await send(smtp_settings, mail("<long@example.net>", long_line))
    assert errors == {} and reply.startswith("OK")
    assert await stored_text(pool, "<long@example.net>") == long_line.decode()

    chinese = "退款和发货的问题，" * 400  # 3,600 characters, 7,200 bytes in GBK on one line
    raw = mail("<gbk@example.net>", chinese.encode("gbk"), charset="gbk")
    errors, reply = await send(smtp_settings, raw)
    assert errors == {} and reply.startswith("OK")
    assert await stored_text(pool, "<gbk@example.net>") == chinese

    with pytest.raises(aiosmtplib.SMTPResponseException) as caught:
        await send(smtp_settings, mail("<huge@example.net>", b"y" * 300_000))
    assert caught.value.code == 552
