"""SQL for inbound contacts (the raw copies intake deduplicates on) and the files that came
with messages. Split from store.py for size; the same rules apply."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from contact_center.db import Conn
from contact_center.errors import NotFound
from contact_center.tickets.model import Channel, InboundFile

INSERT_INBOUND = """
INSERT INTO inbound_contacts (channel, provider_id, payload, received_at, raw, parse_error)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (channel, provider_id) DO NOTHING RETURNING id
"""
FIND_INBOUND_RESULT = """
SELECT m.id AS message_id, t.id AS ticket_id, t.number, t.customer_id
FROM inbound_contacts i JOIN messages m ON m.id = i.message_id JOIN tickets t ON t.id = m.ticket_id
WHERE i.channel = $1 AND i.provider_id = $2
"""
LIST_INBOUND_FOR_TICKETS = """
SELECT i.channel, i.provider_id, i.received_at, i.payload, i.parse_error,
       i.raw
FROM inbound_contacts i JOIN messages m ON m.id = i.message_id
WHERE m.ticket_id = ANY($1) ORDER BY i.received_at
"""
LIST_UNPLACED = """
SELECT id, channel, provider_id, received_at, parse_error, octet_length(raw) AS raw_bytes,
       substring(raw for 2000) AS head
FROM inbound_contacts WHERE message_id IS NULL
ORDER BY received_at DESC LIMIT $1
"""
# Inbound mail to the same inbox under the same Message-ID that is not a replay (intake's dedupe
# key also holds the content): a mailer reusing the id. Found by the Message-ID index.
FIND_EARLIER_MESSAGE_ID = """
SELECT t.number FROM messages m JOIN tickets t ON t.id = m.ticket_id
WHERE m.rfc_message_id = $1 AND m.direction = 'inbound' AND m.channel = $2 AND m.to_address = $3
ORDER BY m.created_at LIMIT 1
"""
INSERT_ATTACHMENTS = """
INSERT INTO attachments (message_id, filename, content_type, content_id, inline, size, content)
SELECT $1, f.filename, f.content_type, f.content_id, f.inline, octet_length(f.content), f.content
FROM unnest($2::text[], $3::text[], $4::text[], $5::boolean[], $6::bytea[])
     AS f(filename, content_type, content_id, inline, content)
"""
GET_ATTACHMENT = """
SELECT a.id, a.message_id, m.ticket_id, a.filename, a.content_type, a.inline, a.size, a.content
FROM attachments a JOIN messages m ON m.id = a.message_id WHERE a.id = $1
"""
LIST_FILES = """
SELECT id, message_id, filename, content_type, content_id, inline, size FROM attachments
WHERE message_id = ANY($1) ORDER BY created_at, filename
"""


async def insert_inbound(
    conn: Conn,
    *,
    channel: Channel,
    provider_id: str,
    payload: dict[str, Any],
    at: datetime,
    raw: bytes | None = None,
    parse_error: str | None = None,
) -> UUID | None:
    """Store the raw contact. None means a replay of an already-stored provider id.

    A concurrent insert of the same id waits for the first transaction and then sees the
    conflict, so exactly one caller gets an id back.
    """
    inbound_id: UUID | None = await conn.fetchval(
        INSERT_INBOUND, str(channel), provider_id, payload, at, raw, parse_error
    )
    return inbound_id


async def find_inbound_result(
    conn: Conn, channel: Channel, provider_id: str
) -> dict[str, Any] | None:
    row = await conn.fetchrow(FIND_INBOUND_RESULT, str(channel), provider_id)
    return None if row is None else dict(row)


async def find_earlier_message_id(
    conn: Conn, *, rfc_message_id: str, channel: Channel, to_address: str
) -> int | None:
    """The number of the ticket holding an inbound message already received by `to_address`
    under this Message-ID, or None."""
    number: int | None = await conn.fetchval(
        FIND_EARLIER_MESSAGE_ID, rfc_message_id, str(channel), to_address
    )
    return number


async def list_inbound_for_tickets(conn: Conn, ticket_ids: list[UUID]) -> list[dict[str, Any]]:
    return [dict(r) for r in await conn.fetch(LIST_INBOUND_FOR_TICKETS, ticket_ids)]


async def list_unplaced(conn: Conn, limit: int) -> list[dict[str, Any]]:
    """Inbound contacts kept raw because they could not be parsed, newest first."""
    rows = await conn.fetch(LIST_UNPLACED, limit)
    return [
        {
            **{k: v for k, v in dict(r).items() if k != "head"},
            "preview": (r["head"] or b"").decode("utf-8", "replace"),
        }
        for r in rows
    ]


async def insert_attachments(conn: Conn, message_id: UUID, files: list[InboundFile]) -> None:
    """All of a message's files in one round trip."""
    await conn.execute(
        INSERT_ATTACHMENTS,
        message_id,
        [f.filename for f in files],
        [f.content_type for f in files],
        [f.content_id for f in files],
        [f.inline for f in files],
        [f.content for f in files],
    )


async def get_attachment(conn: Conn, attachment_id: UUID) -> dict[str, Any]:
    row = await conn.fetchrow(GET_ATTACHMENT, attachment_id)
    if row is None:
        raise NotFound("no such attachment")
    return dict(row)


async def list_files(conn: Conn, message_ids: list[UUID]) -> dict[UUID, list[dict[str, Any]]]:
    """Stored files per message (without their bytes)."""
    found: dict[UUID, list[dict[str, Any]]] = {}
    for row in await conn.fetch(LIST_FILES, message_ids):
        found.setdefault(row["message_id"], []).append(
            {k: row[k] for k in ("id", "filename", "content_type", "content_id", "inline", "size")}
        )
    return found


# A contact first kept raw (unparseable, or through the fallback URL) that now arrives readable:
# the placing transaction takes its row over. A concurrent taker waits for the row lock and then
# finds message_id set, so only one places it.
ADOPT_UNPLACED = """
UPDATE inbound_contacts SET payload = $3, raw = coalesce($4, raw), parse_error = NULL
WHERE channel = $1 AND provider_id = $2 AND message_id IS NULL
RETURNING id
"""


async def adopt_unplaced(
    conn: Conn, *, channel: Channel, provider_id: str, payload: dict[str, Any], raw: bytes | None
) -> UUID | None:
    inbound_id: UUID | None = await conn.fetchval(
        ADOPT_UNPLACED, str(channel), provider_id, payload, raw
    )
    return inbound_id
