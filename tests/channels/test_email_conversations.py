"""A mailbox's worth of conversations through our SMTP server: a few senders start many
conversations with distinct subjects, and reply to some of them, by subject alone or with
references. Every new conversation is a ticket; every reply lands on its conversation's."""

from __future__ import annotations

import asyncio
import dataclasses
import random
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import aiosmtplib
import asyncpg
import pytest
import pytest_asyncio

from contact_center.app import create_smtp_server
from contact_center.config import Settings

pytestmark = pytest.mark.commits

SENDERS = [f"buyer{n}@shop{n}.example.net" for n in range(5)]
CONVERSATIONS = 700
REPLIES = 300
REPLY_PREFIXES = ["Re: ", "RE: ", "Re: Re: ", "AW: ", "SV: ", "回复：", "答复: ", "Fwd: ", "FW: "]
TOPICS = ["lid", "invoice", "delivery", "refund", "colour", "size", "label", "pallet"]


@pytest_asyncio.fixture
async def smtp_settings(
    settings: Settings, unused_tcp_port: int, pool: asyncpg.Pool[Any]
) -> AsyncIterator[Settings]:
    configured = dataclasses.replace(settings, inbound_smtp_port=unused_tcp_port, acknowledge=False)
    server = await create_smtp_server(configured, pool)
    yield configured
    server.close()
    await server.wait_closed()


def mail(sender: str, message_id: str, subject: str, body: str, refs: str = "") -> bytes:
    threading = f"In-Reply-To: {refs}\r\nReferences: {refs}\r\n" if refs else ""
    return (
        f"From: {sender}\r\nTo: support@example.com\r\nSubject: {subject}\r\n"
        f"Message-ID: {message_id}\r\n{threading}"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        f"{body}\r\n"
    ).encode()


def corpus(rng: random.Random) -> tuple[list[tuple[str, bytes]], dict[str, str]]:
    """(sender, mail) in sending order, and each mail's Message-ID → its conversation's."""
    timeline: list[tuple[float, str, bytes]] = []
    conversation_of: dict[str, str] = {}
    started: list[tuple[int, str, str, str]] = []
    for n in range(CONVERSATIONS):
        sender = SENDERS[n % len(SENDERS)]
        subject = f"Order {4000 + n}: question about the {rng.choice(TOPICS)}"
        message_id = f"<conv{n}@shop.example.net>"
        timeline.append((n, sender, mail(sender, message_id, subject, f"New matter {n}")))
        conversation_of[message_id] = message_id
        started.append((n, sender, message_id, subject))
    for n in range(REPLIES):
        position, sender, original, subject = rng.choice(started)
        message_id = f"<reply{n}@shop.example.net>"
        if n % 2:  # a reply by subject alone, as some mailers and people write them
            raw = mail(sender, message_id, rng.choice(REPLY_PREFIXES) + subject, "Any news?")
        else:  # a reply that references its conversation, whatever the subject became
            raw = mail(sender, message_id, "Quick question", "See below", refs=original)
        # Anywhere after the mail it answers, among later new conversations and replies.
        timeline.append((rng.uniform(position + 0.5, CONVERSATIONS + 50), sender, raw))
        conversation_of[message_id] = original
    timeline.sort(key=lambda event: event[0])
    return [(sender, raw) for _, sender, raw in timeline], conversation_of


async def send_all(settings: Settings, mails: list[bytes]) -> None:
    async with aiosmtplib.SMTP(hostname="127.0.0.1", port=settings.inbound_smtp_port) as client:
        for raw in mails:
            errors, _ = await client.sendmail("relay@example.net", ["support@example.com"], raw)
            assert errors == {}


async def test_new_conversations_open_tickets_and_replies_join_theirs(
    smtp_settings: Settings, pool: asyncpg.Pool[Any]
) -> None:
    mails, conversation_of = corpus(random.Random(6))
    # One connection per sender, all at once; each sender's mails keep their order.
    await asyncio.gather(
        *(send_all(smtp_settings, [raw for s, raw in mails if s == sender]) for sender in SENDERS)
    )

    async with pool.acquire() as conn:
        tickets = await conn.fetchval("SELECT count(*) FROM tickets WHERE channel = 'email'")
        rows = await conn.fetch(
            "SELECT rfc_message_id, ticket_id FROM messages WHERE direction = 'inbound'"
        )
    ticket_of = {r["rfc_message_id"]: r["ticket_id"] for r in rows}
    assert len(ticket_of) == CONVERSATIONS + REPLIES
    assert tickets == CONVERSATIONS
    misplaced = [m for m, c in conversation_of.items() if ticket_of[m] != ticket_of[c]]
    assert misplaced == []
    per_ticket = Counter(ticket_of.values())
    assert len(per_ticket) == CONVERSATIONS and sum(per_ticket.values()) == 1000
