"""SQL for changing many tickets at once: a batch of missed deadlines raises their priorities
and notes the misses on them."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from contact_center.db import Conn
from contact_center.tickets.store import TICKET_COLUMNS

RAISE_PRIORITIES = f"""
UPDATE tickets t SET priority = u.priority, updated_at = $3
FROM unnest($1::uuid[], $2::text[]) AS u(id, priority)
WHERE t.id = u.id AND t.priority <> u.priority
RETURNING {", ".join("t." + c.strip() for c in TICKET_COLUMNS.split(","))}
"""
INSERT_NOTES = """
INSERT INTO messages (ticket_id, direction, channel, from_address, to_address, subject,
                      body_text, body_html, author_id, created_at)
SELECT u.ticket_id, 'internal', 'note', 'system', '', '', u.text, '', NULL, $3
FROM unnest($1::uuid[], $2::text[]) AS u(ticket_id, text)
RETURNING id, ticket_id
"""


async def set_priorities(
    conn: Conn, priorities: list[tuple[UUID, str]], *, at: datetime
) -> list[Any]:
    """Set each ticket's priority (rows the caller locked); the rows that changed."""
    if not priorities:
        return []
    return list(
        await conn.fetch(
            RAISE_PRIORITIES, [p[0] for p in priorities], [p[1] for p in priorities], at
        )
    )


async def insert_notes(
    conn: Conn, notes: list[tuple[UUID, str]], *, at: datetime
) -> list[tuple[UUID, UUID]]:
    """Internal notes by the system; (message id, ticket id) of each."""
    if not notes:
        return []
    rows = await conn.fetch(INSERT_NOTES, [n[0] for n in notes], [n[1] for n in notes], at)
    return [(r["id"], r["ticket_id"]) for r in rows]
