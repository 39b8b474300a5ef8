"""SQL for the system's own messages on a ticket: where the customer wrote from, and whether
the system already answered them automatically."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from contact_center.db import Conn
from contact_center.tickets.model import Channel

LATEST_INBOUND = """
SELECT from_address, to_address FROM messages
WHERE ticket_id = $1 AND direction = 'inbound' AND channel = $2 AND from_address <> ''
ORDER BY created_at DESC, id DESC LIMIT 1
"""
# An outbound message nobody wrote is the system's (an acknowledgement, a HELP answer).
AUTOMATIC_BEFORE = """
SELECT EXISTS (
    SELECT FROM messages
    WHERE ticket_id = $1 AND direction = 'outbound' AND author_id IS NULL
      AND channel IN ('sms', 'email') AND created_at <= $2
)
"""


async def latest_inbound_addresses(
    conn: Conn, ticket_id: UUID, channel: Channel
) -> tuple[str, str] | None:
    """(the customer's address, ours) of the ticket's latest inbound message on `channel`."""
    row = await conn.fetchrow(LATEST_INBOUND, ticket_id, str(channel))
    return (row["from_address"], row["to_address"]) if row else None


async def automatic_reply_before(conn: Conn, ticket_id: UUID, until: datetime) -> bool:
    found: bool = await conn.fetchval(AUTOMATIC_BEFORE, ticket_id, until)
    return found
