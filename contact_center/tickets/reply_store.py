"""SQL for safe sending: a reply by its draft, the messages after those an agent saw, and a
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
# Every kind of message: which of them make a draft stale is tickets.drafts' decision.
LIST_AFTER = f"""
SELECT {MESSAGE_COLUMNS} FROM messages WHERE ticket_id = $1 AND seq > $2 ORDER BY seq
"""
GET_ON_TICKET = f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE id = $1 AND ticket_id = $2"
MARK_CANCELLED = "UPDATE messages SET delivery_status = 'cancelled' WHERE id = $1"


async def find_by_draft_key(conn: Conn, ticket_id: UUID, draft_key: str) -> Message | None:
    row = await conn.fetchrow(FIND_BY_DRAFT_KEY, ticket_id, draft_key)
    return None if row is None else _message(row)


async def seq_of(conn: Conn, ticket_id: UUID, message_id: UUID) -> int:
    """The `seq` of a message of this ticket; NotFound (field based_on) for any other id."""
    seq = await conn.fetchval(SEEN_SEQ, message_id, ticket_id)
    if seq is None:
        raise NotFound("based_on is not a message of this ticket", field="based_on")
    return int(seq)


async def list_after(conn: Conn, ticket_id: UUID, seq: int) -> list[Message]:
    """The ticket's messages recorded after `seq`, notes and automatic ones included."""
    return [_message(r) for r in await conn.fetch(LIST_AFTER, ticket_id, seq)]


async def get_on_ticket(conn: Conn, ticket_id: UUID, message_id: UUID) -> Message:
    row = await conn.fetchrow(GET_ON_TICKET, message_id, ticket_id)
    if row is None:
        raise NotFound("no such message on this ticket")
    return _message(row)


async def mark_cancelled(conn: Conn, message_id: UUID) -> None:
    await conn.execute(MARK_CANCELLED, message_id)
