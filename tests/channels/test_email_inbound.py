"""Our inbound SMTP server, receiving mail sent by aiosmtplib over a real socket."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from typing import Any

import aiosmtplib
import asyncpg
import pytest
import pytest_asyncio

from contact_center import tickets
from contact_center.app import create_smtp_server
from contact_center.config import Settings

pytestmark = pytest.mark.commits


@pytest_asyncio.fixture
async def smtp_settings(
    settings: Settings, unused_tcp_port: int, pool: asyncpg.Pool[Any]
) -> AsyncIterator[Settings]:
    configured = dataclasses.replace(
        settings, inbound_smtp_port=unused_tcp_port, max_mail_bytes=50_000
    )
    server = await create_smtp_server(configured, pool)
    yield configured
    server.close()
    await server.wait_closed()


async def send(
    settings: Settings,
    raw: bytes,
    to: str = "support@example.com",
    sender: str = "customer@example.net",
) -> Any:
    return await aiosmtplib.send(
        raw,
        sender=sender,
        recipients=[to],
        hostname="127.0.0.1",
        port=settings.inbound_smtp_port,
    )


def message(message_id: str, subject: str = "Broken lid", body: str = "The lid is broken") -> bytes:
    return (
        f"From: Casey Ashdown <Casey@Example.net>\r\nTo: support@example.com\r\n"
        f"Subject: {subject}\r\nMessage-ID: {message_id}\r\n\r\n{body}\r\n"
    ).encode()


async def ticket_of(pool: asyncpg.Pool[Any], message_id: str) -> Any:
    async with pool.acquire() as conn:
        return await conn.fetchrow(
            "SELECT t.id, t.number FROM messages m JOIN tickets t ON t.id = m.ticket_id "
            "WHERE m.rfc_message_id = $1 AND m.direction = 'inbound'",
            message_id,
        )


async def stored(pool: asyncpg.Pool[Any], message_id: str) -> list[Any]:
    """Every inbound message stored under this Message-ID, oldest first, with its raw copy."""
    async with pool.acquire() as conn:
        return list(
            await conn.fetch(
                "SELECT m.id, m.ticket_id, m.body_text, m.warnings, i.raw FROM messages m"
                " JOIN inbound_contacts i ON i.message_id = m.id"
                " WHERE m.rfc_message_id = $1 AND m.direction = 'inbound' ORDER BY m.created_at",
                message_id,
            )
        )


async def test_mail_becomes_a_ticket_and_a_redelivery_changes_nothing(
    smtp_settings: Settings, pool: asyncpg.Pool[Any]
) -> None:
    raw = message("<first@example.net>")
    errors, reply = await send(smtp_settings, raw)
    assert errors == {} and reply.startswith("OK")
    await send(smtp_settings, raw)
    ticket = await ticket_of(pool, "<first@example.net>")
    assert ticket is not None
    copies = await stored(pool, "<first@example.net>")
    assert len(copies) == 1 and copies[0]["raw"] == raw

    follow_up = message(
        "<second@example.net>", subject=f"Re: Broken lid [#{ticket['number']}]", body="Any news?"
    )
    await send(smtp_settings, follow_up)
    assert (await ticket_of(pool, "<second@example.net>"))["id"] == ticket["id"]


async def test_foreign_recipients_are_refused(smtp_settings: Settings) -> None:
    with pytest.raises(aiosmtplib.SMTPRecipientsRefused) as caught:
        await send(smtp_settings, message("<relay@example.net>"), to="someone@elsewhere.example")
    assert caught.value.recipients[0].code == 550


async def test_oversize_mail_is_refused_with_552(smtp_settings: Settings) -> None:
    # aiosmtplib announces the size in MAIL FROM, so the refusal comes before any data is sent.
    with pytest.raises(aiosmtplib.SMTPResponseException) as caught:
        await send(smtp_settings, message("<big@example.net>", body="x" * 60_000))
    assert caught.value.code == 552


async def test_unreadable_mail_is_kept_raw_with_its_error(
    smtp_settings: Settings, pool: asyncpg.Pool[Any]
) -> None:
    raw = b"Subject: no sender here\r\n\r\nwho am I?\r\n"
    errors, _ = await send(smtp_settings, raw, sender="daemon@localhost")
    assert errors == {}
    async with pool.acquire() as conn:
        row = await conn.fetchrow(
            "SELECT parse_error, raw, message_id FROM inbound_contacts WHERE raw = $1", raw
        )
    assert row is not None and row["message_id"] is None and "From" in row["parse_error"]


async def test_agents_see_what_could_not_be_parsed(
    smtp_settings: Settings, pool: asyncpg.Pool[Any]
) -> None:
    raw = b"Subject: still no sender\r\n\r\nplease read me\r\n"
    await send(smtp_settings, raw, sender="daemon@localhost")
    found = await tickets.list_unplaced(pool)
    mine = [f for f in found if "please read me" in f["preview"]]
    assert mine and mine[0]["parse_error"] and mine[0]["channel"] == "email"


TRACE_A = (
    b"Return-Path: <customer@example.net>\r\nDelivered-To: support@example.com\r\n"
    b"Received: from mx1.example.net by mail.example.com; Mon, 2 Mar 2026 10:00:00 +0000\r\n"
)
TRACE_B = (
    b"Return-Path: <bounces+x@relay.example.org>\r\nX-Original-To: help@example.com\r\n"
    b"Delivered-To: support@example.com\r\n"
    b"Received: from relay.example.org by mail.example.com; Mon, 2 Mar 2026 10:05:00 +0000\r\n"
    b"Received: from mx2.example.net by relay.example.org; Mon, 2 Mar 2026 10:04:00 +0000\r\n"
    b"ARC-Seal: i=1; a=rsa-sha256; cv=none; d=relay.example.org; b=abc\r\n"
    b"Authentication-Results: relay.example.org; spf=pass smtp.mailfrom=example.net\r\n"
    b"X-Received: by 2002:a05:6000:1:b0::1 with SMTP id x; Mon, 2 Mar 2026 10:04:01 +0000\r\n"
)


async def test_a_redelivery_by_another_path_is_stored_once(
    smtp_settings: Settings, pool: asyncpg.Pool[Any]
) -> None:
    original = message("<twice@example.net>", subject="Where is my parcel", body="Parcel 77")
    await send(smtp_settings, TRACE_A + original)
    errors, reply = await send(smtp_settings, TRACE_B + original)
    assert errors == {} and reply.startswith("OK")
    copies = await stored(pool, "<twice@example.net>")
    assert len(copies) == 1 and copies[0]["warnings"] == []


async def test_a_different_mail_reusing_a_message_id_is_stored_with_a_warning(
    smtp_settings: Settings, pool: asyncpg.Pool[Any]
) -> None:
    first = message("<template@example.net>", subject="Order 1", body="Please send 4 boxes")
    second = message("<template@example.net>", subject="Order 2", body="Please send 9 crates")
    await send(smtp_settings, first)
    errors, reply = await send(smtp_settings, second)
    assert errors == {} and reply.startswith("OK")
    copies = await stored(pool, "<template@example.net>")
    assert [c["body_text"] for c in copies] == ["Please send 4 boxes", "Please send 9 crates"]
    assert copies[0]["warnings"] == []
    assert any("same Message-ID" in w for w in copies[1]["warnings"])
    # Delivered again, the second one is a redelivery like any other.
    await send(smtp_settings, TRACE_B + second)
    assert len(await stored(pool, "<template@example.net>")) == 2


async def test_a_reply_to_a_reused_message_id_is_threaded_onto_one_of_its_tickets(
    smtp_settings: Settings, pool: asyncpg.Pool[Any]
) -> None:
    await send(smtp_settings, message("<shared@example.net>", subject="Crate", body="one"))
    await send(smtp_settings, message("<shared@example.net>", subject="Pallet", body="two"))
    holders = {c["ticket_id"] for c in await stored(pool, "<shared@example.net>")}
    reply = message("<answer@example.net>", subject="Thanks", body="three").replace(
        b"\r\n\r\n", b"\r\nIn-Reply-To: <shared@example.net>\r\n\r\n", 1
    )
    errors, _ = await send(smtp_settings, reply)
    assert errors == {}
    assert (await ticket_of(pool, "<answer@example.net>"))["id"] in holders


def without_message_id(body: str) -> bytes:
    return (
        "From: Casey Ashdown <casey@example.net>\r\nTo: support@example.com\r\n"
        f"Subject: no id\r\n\r\n{body}\r\n"
    ).encode()


async def test_mail_without_a_message_id_dedupes_by_content_whatever_the_path(
    smtp_settings: Settings, pool: asyncpg.Pool[Any]
) -> None:
    mail = without_message_id("Old mailer, first mail")
    await send(smtp_settings, TRACE_A + mail)
    await send(smtp_settings, TRACE_B + mail)
    await send(smtp_settings, without_message_id("Old mailer, second mail"))
    async with pool.acquire() as conn:
        rows = await conn.fetch(
            "SELECT body_text, warnings FROM messages WHERE body_text LIKE 'Old mailer, %'"
            " ORDER BY body_text"
        )
    assert [r["body_text"] for r in rows] == ["Old mailer, first mail", "Old mailer, second mail"]
    assert all(r["warnings"] == [] for r in rows)


@pytest.mark.parametrize("header", ["a@example.com b@example.com", "Big Bug bb@bug.example"])
async def test_a_broken_from_header_falls_back_to_the_envelope_sender(
    smtp_settings: Settings, pool: asyncpg.Pool[Any], header: str
) -> None:
    raw = f"From: {header}\r\nTo: support@example.com\r\nSubject: lid\r\n\r\nbroken\r\n".encode()
    errors, _ = await send(smtp_settings, raw, sender="bb@bug.example")
    assert errors == {}
    async with pool.acquire() as conn:
        message = await conn.fetchrow(
            "SELECT m.from_address, m.warnings, m.ticket_id FROM inbound_contacts i "
            "JOIN messages m ON m.id = i.message_id WHERE i.raw = $1",
            raw,
        )
        identities = await conn.fetchval(
            "SELECT array_agg(value) FROM customer_identities WHERE kind = 'email'"
        )
        acks = await conn.fetch(
            "SELECT to_address FROM outbound_messages WHERE ticket_id = $1", message["ticket_id"]
        )
    assert message["from_address"] == "bb@bug.example"
    assert "envelope sender bb@bug.example is used" in message["warnings"][0]
    assert all(value.count("@") == 1 and " " not in value for value in identities)
    assert [a["to_address"] for a in acks] in ([], ["bb@bug.example"])


async def test_mail_with_no_answerable_sender_is_kept_unplaced_with_the_reason(
    smtp_settings: Settings, pool: asyncpg.Pool[Any]
) -> None:
    raw = b"From: Big Bug bb@bug.example\r\nSubject: who\r\n\r\nanswer me if you can\r\n"
    errors, _ = await send(smtp_settings, raw, sender="bb@localhost")
    assert errors == {}
    found = [f for f in await tickets.list_unplaced(pool) if "answer me" in f["preview"]]
    assert "ambiguous From header" in found[0]["parse_error"]
    assert "envelope sender is not answerable" in found[0]["parse_error"]


async def test_a_bounce_with_a_null_envelope_sender_is_still_stored(
    smtp_settings: Settings, pool: asyncpg.Pool[Any]
) -> None:
    raw = (
        b"From: MAILER-DAEMON@mx.example.net (Mail Delivery System)\r\nTo: support@example.com\r\n"
        b"Subject: Undelivered Mail Returned to Sender\r\nX-Failed-Recipients: gone@example.net\r\n"
        b"Message-ID: <bounce-1@mx.example.net>\r\n\r\nThe mail could not be delivered.\r\n"
    )
    client = aiosmtplib.SMTP(hostname="127.0.0.1", port=smtp_settings.inbound_smtp_port)
    async with client:
        errors, _ = await client.sendmail("", ["support@example.com"], raw)  # MAIL FROM:<>
    assert errors == {}
    async with pool.acquire() as conn:
        message = await conn.fetchrow(
            "SELECT m.from_address, m.warnings FROM inbound_contacts i "
            "JOIN messages m ON m.id = i.message_id WHERE i.raw = $1",
            raw,
        )
    assert message["from_address"] == "mailer-daemon@mx.example.net" and not message["warnings"]
