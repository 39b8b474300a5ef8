"""Intake announces through the one bus: customer.created for a new sender, ticket.opened and
message.received, in the intake's transaction; and audits the tickets it opens."""

from __future__ import annotations

import json
from typing import Any

from contact_center import audit, tickets
from contact_center.db import Conn
from contact_center.timeutil import utc_now
from tests.builders import make_inbound_sms, unique_phone
from tests.conftest import SingleConnectionPool


async def events_after(conn: Conn, after: int) -> list[tuple[str, dict[str, Any]]]:
    rows = await conn.fetch(
        "SELECT name, payload::text AS payload FROM events WHERE id > $1 ORDER BY id", after
    )
    return [(r["name"], json.loads(r["payload"])) for r in rows]


async def latest(conn: Conn) -> int:
    value: int = await conn.fetchval("SELECT coalesce(max(id), 0) FROM events")
    return value


async def test_a_first_contact_publishes_customer_ticket_and_message_events(
    db: SingleConnectionPool, conn: Conn
) -> None:
    before = await latest(conn)
    result = await tickets.intake(db, make_inbound_sms(), now=utc_now())
    published = await events_after(conn, before)
    assert [name for name, _ in published] == [
        "customer.created",
        "ticket.opened",
        "message.received",
        "item.queued",  # the new SMS ticket waits for an agent
        "clock.updated",  # its first-response clock started
        "clock.updated",  # its resolution clock started
    ]
    created, opened, received, queued, first, resolution = (payload for _, payload in published)
    assert (first["kind"], first["event"]) == ("first_response", "started")
    assert (resolution["kind"], resolution["event"]) == ("resolution", "started")
    assert queued["ticket_id"] == str(result.ticket_id) and queued["kind"] == "ticket"
    assert created["customer_id"] == str(result.customer_id)
    assert opened["ticket_id"] == str(result.ticket_id)
    assert opened["ticket_number"] == result.ticket_number
    assert opened["customer_id"] == str(result.customer_id)
    assert {opened["channel"], opened["status"], opened["kind"]} >= {"sms", "new"}
    assert received["message_id"] == str(result.message_id)
    assert received["opened"] is True
    row = await conn.fetchrow(
        "SELECT ticket_id, customer_id FROM events WHERE name = 'ticket.opened' AND id > $1",
        before,
    )
    assert (row["ticket_id"], row["customer_id"]) == (result.ticket_id, result.customer_id)


async def test_a_follow_up_publishes_only_the_message(db: SingleConnectionPool, conn: Conn) -> None:
    phone = unique_phone()
    first = await tickets.intake(db, make_inbound_sms(from_address=phone), now=utc_now())
    before = await latest(conn)
    again = await tickets.intake(
        db, make_inbound_sms(from_address=phone, text="And another thing"), now=utc_now()
    )
    assert again.ticket_id == first.ticket_id
    published = await events_after(conn, before)
    assert [(name, payload["opened"]) for name, payload in published] == [
        ("message.received", False)
    ]


async def test_a_replayed_webhook_publishes_nothing(db: SingleConnectionPool, conn: Conn) -> None:
    contact = make_inbound_sms()
    await tickets.intake(db, contact, now=utc_now())
    before = await latest(conn)
    assert (await tickets.intake(db, contact, now=utc_now())).replay
    assert await events_after(conn, before) == []


async def test_intake_audits_the_ticket_it_opens(db: SingleConnectionPool, conn: Conn) -> None:
    result = await tickets.intake(db, make_inbound_sms(), now=utc_now())
    (entry,) = await audit.list_entries(conn, "ticket", [str(result.ticket_id)])
    assert (entry.action, entry.actor_label, entry.actor_id) == ("opened", "system:intake", None)
    assert entry.after is not None
    assert entry.after["number"] == result.ticket_number
    assert entry.after["customer_id"] == str(result.customer_id)
    assert entry.after["channel"] == "sms"
