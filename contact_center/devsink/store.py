"""SQL for the development sink. The only module touching `dev_sink_messages`."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from contact_center.db import Conn
from contact_center.devsink.model import SinkEntry

COLUMNS = (
    "id, outbound_id, ticket_id, channel, from_address, to_address, subject, body_text, headers,"
    " received_at, purpose"
)
# One entry per outbound message: an email attempt repeated after a lost answer adds nothing.
INSERT_ENTRY = """
WITH ins AS (
    INSERT INTO dev_sink_messages (outbound_id, ticket_id, channel, from_address, to_address,
                                   subject, body_text, headers, received_at, purpose)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
    ON CONFLICT (outbound_id) DO NOTHING
    RETURNING id
)
SELECT id FROM ins UNION ALL SELECT id FROM dev_sink_messages WHERE outbound_id = $1
LIMIT 1
"""
LIST_ENTRIES = f"""
SELECT {COLUMNS} FROM dev_sink_messages
WHERE $1::text IS NULL OR channel = $1
ORDER BY received_at DESC, id LIMIT $2
"""
GET_ENTRY = f"SELECT {COLUMNS} FROM dev_sink_messages WHERE id = $1"
COUNT_ENTRIES = "SELECT channel, count(*) AS n FROM dev_sink_messages GROUP BY channel"


async def insert_entry(conn: Conn, entry: dict[str, Any], *, at: datetime) -> UUID:
    entry_id: UUID = await conn.fetchval(
        INSERT_ENTRY,
        entry["outbound_id"],
        entry["ticket_id"],
        entry["channel"],
        entry["from_address"],
        entry["to_address"],
        entry["subject"],
        entry["body_text"],
        entry["headers"],
        at,
        entry["purpose"],
    )
    return entry_id


async def list_entries(conn: Conn, *, channel: str | None, limit: int) -> list[SinkEntry]:
    return [SinkEntry(**dict(r)) for r in await conn.fetch(LIST_ENTRIES, channel, limit)]


async def get_entry(conn: Conn, entry_id: UUID) -> SinkEntry:
    row = await conn.fetchrow(GET_ENTRY, entry_id)
    if row is None:
        raise LookupError(f"no sink entry {entry_id}")
    return SinkEntry(**dict(row))


async def count_entries(conn: Conn) -> dict[str, int]:
    return {r["channel"]: r["n"] for r in await conn.fetch(COUNT_ENTRIES)}
