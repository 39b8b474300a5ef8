"""SQL for what the ticket page shows beside the timeline: a customer's open complaints and
latest contacts across their tickets. Part of the tickets folder's store (split for size)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from contact_center.db import Conn

LIST_OPEN_COMPLAINTS = """
SELECT id, number, subject, status, priority, created_at FROM tickets
WHERE customer_id = $1 AND kind = 'complaint' AND status IN ('new', 'open', 'pending')
ORDER BY created_at DESC LIMIT $2
"""
# The customer's most recently active tickets by the customer index (the latest contacts are on
# them), then each ticket's newest messages by the message index; notes are not contacts.
LIST_LAST_CONTACTS = """
SELECT m.id AS message_id, m.ticket_id, t.number AS ticket_number, m.channel, m.direction,
       m.created_at AS at, m.subject
FROM (
    SELECT id, number FROM tickets WHERE customer_id = $1 ORDER BY last_message_at DESC LIMIT $2
) t
JOIN LATERAL (
    SELECT id, ticket_id, channel, direction, created_at, subject FROM messages
    WHERE ticket_id = t.id AND direction <> 'internal'
    ORDER BY created_at DESC LIMIT $2
) m ON true
ORDER BY m.created_at DESC LIMIT $2
"""


async def list_open_complaints(conn: Conn, customer_id: UUID, limit: int) -> list[dict[str, Any]]:
    return [dict(r) for r in await conn.fetch(LIST_OPEN_COMPLAINTS, customer_id, limit)]


async def list_last_contacts(conn: Conn, customer_id: UUID, limit: int) -> list[dict[str, Any]]:
    return [dict(r) for r in await conn.fetch(LIST_LAST_CONTACTS, customer_id, limit)]
