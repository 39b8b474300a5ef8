"""SQL for safe sending: a reply by its draft, messages newer than what an agent saw, and a
reply taken back. Part of the tickets folder's store (split for size)."""

from __future__ import annotations

from uuid import UUID

from contact_center.db import Conn
from contact_center.errors import NotFound
from contact_center.tickets.model import Message
from contact_center.tickets.store import MESSAGE_COLUMNS, _message

FIND_BY_DRAFT_KEY = (
    f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE ticket_id = $1 AND draft_key = $2"
)
SEEN_SEQ = "SELECT seq FROM messages WHERE id = $1 AND ticket_id = $2"
# What the customer said, or an agent answered, after the message the agent last saw; notes,
# acknowledgements and replies taken back do not make a draft stale.
LIST_NEWER = f"""
SELECT {MESSAGE_COLUMNS} FROM messages
WHERE ticket_id = $1 AND seq > $2
  AND (direction = 'inbound' OR (direction = 'outbound' AND author_id IS NOT NULL))
  AND delivery_status IS DISTINCT FROM 'cancelled'
ORDER BY created_at, seq LIMIT 20
"""
GET_ON_TICKET = f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE id = $1 AND ticket_id = $2"
MARK_CANCELLED = "UPDATE messages SET delivery_status = 'cancelled' WHERE id = $1"


async def find_by_draft_key(conn: Conn, ticket_id: UUID, draft_key: str) -> Message | None:
    row = await conn.fetchrow(FIND_BY_DRAFT_KEY, ticket_id, draft_key)
    return None if row is None else _message(row)


async def list_newer(conn: Conn, ticket_id: UUID, seen: UUID) -> list[Message]:
    """Replies and inbound messages after `seen`; NotFound (field based_on) when `seen` is not
    a message of this ticket."""
    seq = await conn.fetchval(SEEN_SEQ, seen, ticket_id)
    if seq is None:
        raise NotFound("based_on is not a message of this ticket", field="based_on")
    return [_message(r) for r in await conn.fetch(LIST_NEWER, ticket_id, seq)]


async def get_on_ticket(conn: Conn, ticket_id: UUID, message_id: UUID) -> Message:
    row = await conn.fetchrow(GET_ON_TICKET, message_id, ticket_id)
    if row is None:
        raise NotFound("no such message on this ticket")
    return _message(row)


async def mark_cancelled(conn: Conn, message_id: UUID) -> None:
    await conn.execute(MARK_CANCELLED, message_id)
