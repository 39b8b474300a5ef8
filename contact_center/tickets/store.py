"""SQL for tickets, messages and inbound contacts. The only module that touches these tables."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from contact_center.db import Conn
from contact_center.errors import NotFound
from contact_center.tickets.model import (
    UPDATABLE_FIELDS,
    Channel,
    Direction,
    Kind,
    Message,
    Priority,
    Status,
    Ticket,
    TicketCandidate,
)

TICKET_COLUMNS = (
    "id, number, subject, kind, status, priority, queue, assignee_id, customer_id, organization_id,"
    " channel, created_at, updated_at, last_message_at, first_response_at, resolved_at, closed_at,"
    " reply_token, linked_ticket_id, tags, due_at"
)
MESSAGE_COLUMNS = (
    "id, ticket_id, direction, channel, provider_id, from_address, to_address, subject, body_text,"
    " body_html, attachments, delivery_status, author_id, created_at, rfc_message_id, quoted_text,"
    " warnings, seq, draft_key"
)

LIST_CANDIDATES = """
SELECT id, number, channel, status, last_message_at, closed_at, subject_key FROM tickets
WHERE customer_id = $1 AND status IN ('new', 'open', 'pending', 'resolved')
ORDER BY last_message_at DESC LIMIT 50
"""
# An email joins only a conversation with its subject, so only those are read (by index), however
# many other tickets the sender has open.
LIST_SUBJECT_CANDIDATES = """
SELECT id, number, channel, status, last_message_at, closed_at, subject_key FROM tickets
WHERE customer_id = $1 AND subject_key = $2 AND status IN ('new', 'open', 'pending', 'resolved')
ORDER BY last_message_at DESC LIMIT 50
"""
# What a contact explicitly refers to: our reply address token or a Message-ID we stored
# (both unguessable, so any sender may use them), or "[#1234]" (only on the sender's own ticket).
# Three separate indexed look-ups: an OR across them would read every ticket.
FIND_REFERENCED_TICKET = """
SELECT id, number, channel, status, last_message_at, closed_at, by_token FROM (
    SELECT t.id, t.number, t.channel, t.status, t.last_message_at, t.closed_at, true AS by_token
    FROM tickets t WHERE t.reply_token = ANY($2::text[])
    UNION ALL
    SELECT t.id, t.number, t.channel, t.status, t.last_message_at, t.closed_at, false
    FROM tickets t
    WHERE t.id IN (SELECT m.ticket_id FROM messages m WHERE m.rfc_message_id = ANY($1::text[]))
    UNION ALL
    SELECT t.id, t.number, t.channel, t.status, t.last_message_at, t.closed_at, false
    FROM tickets t WHERE t.number = $3 AND t.customer_id = $4
) AS found
ORDER BY by_token DESC, last_message_at DESC
LIMIT 1
"""
# Bounded by the customer index: a ticket's last message is never older than the ticket.
COUNT_OPENED_SINCE = """
SELECT count(*) FROM tickets
WHERE customer_id = $1 AND channel = $2 AND last_message_at >= $3 AND created_at >= $3
"""
INSERT_TICKET = f"""
INSERT INTO tickets (subject, kind, priority, customer_id, organization_id, channel, queue,
                     created_at, updated_at, last_message_at, status, assignee_id, linked_ticket_id,
                     subject_key, due_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $8, $9, $10, $11, nullif($12, ''), $13)
RETURNING {TICKET_COLUMNS}
"""
# One round trip appends the message, touches the ticket and links the raw inbound row; the
# ticket as it is now.
APPEND_INBOUND_MESSAGE = f"""
WITH m AS (
    INSERT INTO messages (id, ticket_id, direction, channel, provider_id, from_address,
                          to_address, subject, body_text, body_html, attachments, created_at,
                          rfc_message_id, quoted_text, warnings)
    VALUES ($13, $1, 'inbound', $2, $3, $4, $5, $6, $7, $8, $9, $10, nullif($14, ''), $15, $16)
    RETURNING id
), t AS (
    -- The customer wrote again: the ticket is active once more (new or open), never resolved.
    UPDATE tickets SET last_message_at = $10, updated_at = $10, status = $11,
                       resolved_at = NULL, closed_at = NULL,
                       -- intake's messages carry a provider id; the trigger skips them (0015)
                       search_doc = search_doc || cc_search_vector($6 || ' ' || $7)
    WHERE id = $1 RETURNING {TICKET_COLUMNS}
), i AS (
    UPDATE inbound_contacts SET message_id = (SELECT id FROM m) WHERE id = $12
)
SELECT * FROM t
"""
INSERT_MESSAGE = f"""
INSERT INTO messages (ticket_id, direction, channel, from_address, to_address, subject, body_text,
                      body_html, author_id, created_at, delivery_status, rfc_message_id, id,
                      draft_key)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, coalesce($13, gen_random_uuid()), $14)
RETURNING {MESSAGE_COLUMNS}
"""
MARK_FIRST_RESPONSE = """
UPDATE tickets SET first_response_at = $2 WHERE id = $1 AND first_response_at IS NULL
"""
# An undone reply that was the first response: the ticket has had none after all.
UNMARK_FIRST_RESPONSE = """
UPDATE tickets SET first_response_at = NULL WHERE id = $1 AND first_response_at = $2
"""
SET_RESPONSE_DUE = "UPDATE tickets SET due_at = $2 WHERE id = $1 AND due_at IS DISTINCT FROM $2"
GET_TICKET = f"SELECT {TICKET_COLUMNS} FROM tickets WHERE id = $1"
LAST_INBOUND_ON_CHANNEL = """
SELECT from_address, to_address, rfc_message_id FROM messages
WHERE ticket_id = $1 AND channel = $2 AND direction = 'inbound'
ORDER BY created_at DESC, seq DESC LIMIT 1
"""
LIST_THREAD_IDS = """
SELECT rfc_message_id FROM messages WHERE ticket_id = $1 AND rfc_message_id IS NOT NULL
ORDER BY created_at, seq LIMIT 50
"""
LOCK_TICKET = f"SELECT {TICKET_COLUMNS} FROM tickets WHERE id = $1 FOR UPDATE"
# The order things happened: by time, and at one instant by the order they were recorded, so an
# acknowledgement written in its message's transaction always follows it.
LIST_MESSAGES = (
    f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE ticket_id = $1 ORDER BY created_at, seq"
)
LIST_CUSTOMER_TICKETS = (
    f"SELECT {TICKET_COLUMNS} FROM tickets WHERE customer_id = $1 ORDER BY created_at, id"
)
LIST_MESSAGES_OF_TICKETS = (
    f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE ticket_id = ANY($1::uuid[])"
    " ORDER BY ticket_id, created_at, id"
)
MOVE_TICKETS = (
    "UPDATE tickets SET customer_id = $2, updated_at = now() WHERE customer_id = $1 RETURNING id"
)
RESTORE_TICKETS = "UPDATE tickets SET customer_id = $2, updated_at = now() WHERE id = ANY($1)"
TICKET_NUMBERS = "SELECT id, number FROM tickets WHERE id = ANY($1)"
CUSTOMER_TICKET_NUMBERS = "SELECT number FROM tickets WHERE customer_id = $1 ORDER BY number"


def ticket_from_row(row: Any) -> Ticket:
    return Ticket(
        **{
            **dict(row),
            "kind": Kind(row["kind"]),
            "status": Status(row["status"]),
            "priority": Priority(row["priority"]),
            "channel": Channel(row["channel"]),
        }
    )


def _message(row: Any) -> Message:
    return Message(
        **{
            **dict(row),
            "direction": Direction(row["direction"]),
            "channel": Channel(row["channel"]),
        }
    )


def _candidate(row: Any) -> TicketCandidate:
    return TicketCandidate(
        id=row["id"],
        number=row["number"],
        channel=Channel(row["channel"]),
        status=Status(row["status"]),
        last_message_at=row["last_message_at"],
        closed_at=row["closed_at"],
        subject_key=row.get("subject_key") or "",
    )


async def list_candidates(
    conn: Conn, customer_id: UUID, *, subject_key: str | None = None
) -> list[TicketCandidate]:
    """The customer's active and resolved tickets (those a contact may still join), most
    recently active first; with `subject_key`, only those whose conversation has that subject."""
    if subject_key is None:
        return [_candidate(r) for r in await conn.fetch(LIST_CANDIDATES, customer_id)]
    rows = await conn.fetch(LIST_SUBJECT_CANDIDATES, customer_id, subject_key)
    return [_candidate(r) for r in rows]


async def find_referenced_ticket(
    conn: Conn, *, rfc_ids: list[str], tokens: list[str], number: int | None, customer_id: UUID
) -> TicketCandidate | None:
    row = await conn.fetchrow(FIND_REFERENCED_TICKET, rfc_ids, tokens, number, customer_id)
    return None if row is None else _candidate(row)


async def count_opened_since(
    conn: Conn, customer_id: UUID, channel: Channel, since: datetime
) -> int:
    count: int = await conn.fetchval(COUNT_OPENED_SINCE, customer_id, str(channel), since)
    return count


async def insert_ticket(
    conn: Conn,
    *,
    subject: str,
    kind: Kind,
    priority: Priority,
    customer_id: UUID,
    organization_id: UUID | None,
    channel: Channel,
    queue: str,
    at: datetime,
    status: Status = Status.NEW,
    assignee_id: UUID | None = None,
    linked_ticket_id: UUID | None = None,
    subject_key: str = "",
    due_at: datetime | None = None,
) -> Ticket:
    row = await conn.fetchrow(
        INSERT_TICKET,
        subject,
        str(kind),
        str(priority),
        customer_id,
        organization_id,
        str(channel),
        queue,
        at,
        str(status),
        assignee_id,
        linked_ticket_id,
        subject_key,
        due_at,
    )
    return ticket_from_row(row)


async def append_inbound_message(
    conn: Conn,
    *,
    message_id: UUID,
    ticket_id: UUID,
    inbound_id: UUID,
    channel: Channel,
    provider_id: str,
    from_address: str,
    to_address: str,
    subject: str,
    text: str,
    html: str,
    attachments: list[dict[str, Any]],
    at: datetime,
    ticket_status: Status,
    rfc_message_id: str = "",
    quoted: str = "",
    warnings: list[str] | None = None,
) -> Ticket:
    """Append the inbound message to its ticket and mark the ticket active again: the ticket
    as it is now."""
    row = await conn.fetchrow(
        APPEND_INBOUND_MESSAGE,
        ticket_id,
        str(channel),
        provider_id,
        from_address,
        to_address,
        subject,
        text,
        html,
        attachments,
        at,
        str(ticket_status),
        inbound_id,
        message_id,
        rfc_message_id,
        quoted,
        warnings or [],
    )
    if row is None:
        raise NotFound("no such ticket")
    return ticket_from_row(row)


async def insert_message(
    conn: Conn,
    *,
    ticket_id: UUID,
    direction: Direction,
    channel: Channel,
    text: str,
    author_id: UUID | None,
    at: datetime,
    from_address: str = "",
    to_address: str = "",
    subject: str = "",
    html: str = "",
    delivery_status: str | None = None,
    rfc_message_id: str | None = None,
    message_id: UUID | None = None,
    draft_key: str | None = None,
) -> Message:
    row = await conn.fetchrow(
        INSERT_MESSAGE,
        ticket_id,
        str(direction),
        str(channel),
        from_address,
        to_address,
        subject,
        text,
        html,
        author_id,
        at,
        delivery_status,
        rfc_message_id,
        message_id,
        draft_key,
    )
    return _message(row)


async def mark_first_response(conn: Conn, ticket_id: UUID, at: datetime) -> None:
    await conn.execute(MARK_FIRST_RESPONSE, ticket_id, at)


async def unmark_first_response(conn: Conn, ticket_id: UUID, at: datetime) -> None:
    """Clear the first response if it was the one made at `at`."""
    await conn.execute(UNMARK_FIRST_RESPONSE, ticket_id, at)


async def set_response_due(conn: Conn, ticket_id: UUID, due_at: datetime | None) -> None:
    await conn.execute(SET_RESPONSE_DUE, ticket_id, due_at)


async def get_ticket(conn: Conn, ticket_id: UUID) -> Ticket:
    row = await conn.fetchrow(GET_TICKET, ticket_id)
    if row is None:
        raise NotFound("no such ticket")
    return ticket_from_row(row)


async def lock_ticket(conn: Conn, ticket_id: UUID) -> Ticket:
    row = await conn.fetchrow(LOCK_TICKET, ticket_id)
    if row is None:
        raise NotFound("no such ticket")
    return ticket_from_row(row)


async def update_ticket(
    conn: Conn, ticket_id: UUID, *, changes: dict[str, Any], at: datetime
) -> Ticket:
    """Set the given updatable fields plus the matching resolved/closed timestamps."""
    columns = [c for c in UPDATABLE_FIELDS if c in changes]
    values = [
        str(changes[c]) if c in {"kind", "status", "priority"} else changes[c] for c in columns
    ]
    sets = [f"{c} = ${n}" for n, c in enumerate(columns, start=3)]
    if "status" in changes:
        # Right-hand sides of SET see the old row, so the new status is read from its parameter.
        new_status = f"${columns.index('status') + 3}::text"
        sets.append(
            f"resolved_at = CASE WHEN {new_status} IN ('resolved', 'closed')"
            " THEN coalesce(resolved_at, $2) END"
        )
        sets.append(
            f"closed_at = CASE WHEN {new_status} = 'closed' THEN coalesce(closed_at, $2) END"
        )
    assignments = ", ".join([*sets, "updated_at = $2"])
    sql = f"UPDATE tickets SET {assignments} WHERE id = $1 RETURNING {TICKET_COLUMNS}"
    try:
        row = await conn.fetchrow(sql, ticket_id, at, *values)
    except asyncpg.ForeignKeyViolationError:
        raise NotFound("no such user", field="assignee_id") from None
    if row is None:
        raise NotFound("no such ticket")
    return ticket_from_row(row)


async def list_messages(conn: Conn, ticket_id: UUID) -> list[Message]:
    return [_message(r) for r in await conn.fetch(LIST_MESSAGES, ticket_id)]


async def list_customer_tickets(
    conn: Conn, customer_id: UUID
) -> list[tuple[Ticket, list[Message]]]:
    """Every ticket of a customer with its messages, in two statements."""
    found = [ticket_from_row(r) for r in await conn.fetch(LIST_CUSTOMER_TICKETS, customer_id)]
    messages: dict[UUID, list[Message]] = {t.id: [] for t in found}
    if found:
        for row in await conn.fetch(LIST_MESSAGES_OF_TICKETS, list(messages)):
            messages[row["ticket_id"]].append(_message(row))
    return [(t, messages[t.id]) for t in found]


async def move_tickets(conn: Conn, from_customer: UUID, to_customer: UUID) -> list[UUID]:
    return [r["id"] for r in await conn.fetch(MOVE_TICKETS, from_customer, to_customer)]


async def restore_tickets(conn: Conn, ticket_ids: list[UUID], to_customer: UUID) -> None:
    await conn.execute(RESTORE_TICKETS, ticket_ids, to_customer)


async def last_inbound_on_channel(
    conn: Conn, ticket_id: UUID, channel: Channel
) -> dict[str, Any] | None:
    row = await conn.fetchrow(LAST_INBOUND_ON_CHANNEL, ticket_id, str(channel))
    return None if row is None else dict(row)


async def list_thread_ids(conn: Conn, ticket_id: UUID) -> list[str]:
    """The Message-IDs of the ticket's emails, oldest first (for a References header)."""
    return [r["rfc_message_id"] for r in await conn.fetch(LIST_THREAD_IDS, ticket_id)]


async def ticket_numbers(conn: Conn, ticket_ids: list[UUID]) -> dict[UUID, int]:
    return {r["id"]: r["number"] for r in await conn.fetch(TICKET_NUMBERS, ticket_ids)}


async def customer_ticket_numbers(conn: Conn, customer_id: UUID) -> list[int]:
    return [r["number"] for r in await conn.fetch(CUSTOMER_TICKET_NUMBERS, customer_id)]


async def set_assignee(conn: Conn, ticket_id: UUID, user_id: UUID, *, at: datetime) -> UUID | None:
    """Set the assignee; returns the previous one. Locks the ticket row until commit."""
    previous = await conn.fetchrow(
        "SELECT assignee_id FROM tickets WHERE id = $1 FOR UPDATE", ticket_id
    )
    if previous is None:
        raise NotFound("no such ticket")
    await conn.execute(
        "UPDATE tickets SET assignee_id = $2, updated_at = $3 WHERE id = $1", ticket_id, user_id, at
    )
    return previous["assignee_id"]  # type: ignore[no-any-return]


LAST_ASSIGNEE = """
SELECT assignee_id FROM tickets
WHERE customer_id = $1 AND assignee_id IS NOT NULL
ORDER BY last_message_at DESC NULLS LAST, created_at DESC LIMIT 1
"""


async def last_assignee(conn: Conn, customer_id: UUID) -> UUID | None:
    found: UUID | None = await conn.fetchval(LAST_ASSIGNEE, customer_id)
    return found
