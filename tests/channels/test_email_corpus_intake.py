"""Every corpus mail through our SMTP server and intake: each is stored, none crashes, machines
are never acknowledged, bounces mark the address, replies thread."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiosmtplib
import asyncpg
import pytest
import pytest_asyncio

from channels.email_mime import ParseError, parse_email
from contact_center import customers
from contact_center.app import create_smtp_server
from contact_center.config import Settings
from contact_center.customers import NewCustomer
from tests.builders import TEST_ACTOR

pytestmark = pytest.mark.commits

CORPUS = Path(__file__).parents[1] / "data" / "mail"
UNPARSEABLE = {"35_unparseable_deep_nesting.eml"}
# Placed under the envelope sender (MAIL FROM), with a note saying so.
NO_FROM = "34_unparseable_no_from.eml"
MACHINE = {
    "22_dsn_bounce.eml",
    "23_mailer_daemon_plain_bounce.eml",
    "24_auto_submitted_auto_replied.eml",
    "25_x_autoreply.eml",
    "26_precedence_bulk.eml",
    "27_list_id.eml",
    "37_x_auto_response_suppress.eml",
    "38_noreply_sender.eml",
    "42_x_loop.eml",
    "45_postmaster_dsn_gb2312.eml",
}


@pytest_asyncio.fixture(scope="module")
async def delivered(
    pool: asyncpg.Pool[Any], unused_tcp_port_factory: Any
) -> AsyncIterator[Settings]:
    """Send the whole corpus once, to a fresh module database."""
    settings = Settings(mail_domain="example.com", inbound_smtp_port=unused_tcp_port_factory())
    # The bounce in 22 reports this address; it must be a known customer's email.
    await customers.create_customer(
        pool,
        TEST_ACTOR,
        NewCustomer(name="Olga", emails=["olga.pirogova@example.net"]),
        region="US",
    )
    server = await create_smtp_server(settings, pool)
    for path in sorted(CORPUS.glob("*.eml")):
        errors, _ = await aiosmtplib.send(
            path.read_bytes(),
            sender="relay@example.net",
            recipients=["support@example.com"],
            hostname="127.0.0.1",
            port=settings.inbound_smtp_port,
        )
        assert errors == {}, path.name
    yield settings
    server.close()
    await server.wait_closed()


async def rows(pool: asyncpg.Pool[Any], sql: str, *args: Any) -> list[Any]:
    async with pool.acquire() as conn:
        return list(await conn.fetch(sql, *args))


async def test_every_mail_is_stored_and_placed_or_kept_raw(
    delivered: Settings, pool: asyncpg.Pool[Any]
) -> None:
    stored = await rows(
        pool, "SELECT message_id, parse_error FROM inbound_contacts WHERE channel = 'email'"
    )
    assert len(stored) == len(list(CORPUS.glob("*.eml")))
    assert sum(r["message_id"] is None for r in stored) == len(UNPARSEABLE)
    assert all(r["parse_error"] for r in stored if r["message_id"] is None)


async def test_machines_get_no_acknowledgement_and_people_do(
    delivered: Settings, pool: asyncpg.Pool[Any]
) -> None:
    acked = await rows(pool, "SELECT to_address FROM outbound_messages WHERE automatic")
    acked_to = {r["to_address"] for r in acked}
    for path in CORPUS.glob("*.eml"):
        if path.name in MACHINE:
            sender = _sender(path)
            assert sender not in acked_to, path.name
    assert len(acked) >= 15
    for row in await rows(pool, "SELECT headers FROM outbound_messages WHERE automatic"):
        assert row["headers"]["Auto-Submitted"] == "auto-replied"


async def test_bounces_mark_the_address_as_bouncing(
    delivered: Settings, pool: asyncpg.Pool[Any]
) -> None:
    found = await rows(
        pool,
        "SELECT bouncing_since FROM customer_identities WHERE value = 'olga.pirogova@example.net'",
    )
    assert found[0]["bouncing_since"] is not None


async def test_new_text_and_quotes_are_kept_apart(
    delivered: Settings, pool: asyncpg.Pool[Any]
) -> None:
    found = await rows(
        pool,
        "SELECT body_text, quoted_text FROM messages WHERE direction = 'inbound' "
        "AND channel = 'email' AND quoted_text <> ''",
    )
    assert len(found) >= 5
    assert all(r["quoted_text"] not in r["body_text"] for r in found)


async def test_attachments_are_stored_with_their_bytes(
    delivered: Settings, pool: asyncpg.Pool[Any]
) -> None:
    found = await rows(pool, "SELECT filename, size FROM attachments")
    assert found and all(r["size"] > 0 for r in found)
    assert any(not r["filename"].isascii() for r in found)


def _sender(path: Path) -> str:
    try:
        return parse_email(path.read_bytes()).from_address
    except ParseError:
        return ""


async def test_a_reply_to_our_acknowledgement_threads_by_reference(
    delivered: Settings, pool: asyncpg.Pool[Any]
) -> None:
    (ack,) = await rows(
        pool,
        "SELECT ticket_id, headers, to_address FROM outbound_messages "
        "WHERE automatic ORDER BY created_at LIMIT 1",
    )
    token = ack["headers"]["Reply-To"].split("+")[1].split("@")[0]
    by_reference = (
        f"From: {ack['to_address']}\r\nTo: support@example.com\r\nSubject: Re: thanks\r\n"
        f"Message-ID: <r1@mail.example.net>\r\nIn-Reply-To: {ack['headers']['Message-ID']}\r\n\r\nOne more thing.\r\n"
    ).encode()
    by_token = (
        f"From: someone.else@example.net\r\nTo: reply+{token}@example.com\r\nSubject: hello\r\n"
        f"Message-ID: <r2@mail.example.net>\r\n\r\nForwarded to me, answering for my colleague.\r\n"
    ).encode()
    for raw, rcpt in (
        (by_reference, "support@example.com"),
        (by_token, f"reply+{token}@example.com"),
    ):
        await aiosmtplib.send(
            raw,
            sender="x@example.net",
            recipients=[rcpt],
            hostname="127.0.0.1",
            port=delivered.inbound_smtp_port,
        )
    placed = await rows(
        pool,
        "SELECT ticket_id FROM messages WHERE rfc_message_id = ANY($1::text[])",
        ["<r1@mail.example.net>", "<r2@mail.example.net>"],
    )
    assert [r["ticket_id"] for r in placed] == [ack["ticket_id"]] * 2


async def test_a_failed_dmarc_is_shown_as_a_warning(
    delivered: Settings, pool: asyncpg.Pool[Any]
) -> None:
    found = await rows(pool, "SELECT warnings FROM messages WHERE cardinality(warnings) > 0")
    dmarc = [r["warnings"] for r in found if "DMARC" in r["warnings"][0]]
    envelope = [r["warnings"] for r in found if "envelope sender" in r["warnings"][0]]
    assert len(dmarc) == 1 and len(envelope) == 1 and len(found) == 2


async def test_mail_without_from_is_placed_under_the_envelope_sender(
    delivered: Settings, pool: asyncpg.Pool[Any]
) -> None:
    (row,) = await rows(
        pool,
        "SELECT m.from_address, m.warnings FROM inbound_contacts i "
        "JOIN messages m ON m.id = i.message_id WHERE i.raw = $1",
        (CORPUS / NO_FROM).read_bytes(),
    )
    assert row["from_address"] == "relay@example.net"
    assert "no From header" in row["warnings"][0]
