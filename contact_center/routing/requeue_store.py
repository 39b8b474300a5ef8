"""SQL for re-queueing many waiting ticket items at once (a batch of raised priorities)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from contact_center.db import Conn

# Waiting items only: an offered item has an offer and an agent to release, which the
# one-at-a-time `requeue_item` does in routing's lock order.
CANCEL_WAITING = """
UPDATE work_items w SET state = 'cancelled', end_reason = $2, ended_at = $3
WHERE w.ticket_id = ANY($1::uuid[]) AND w.state = 'waiting'
RETURNING w.id, w.ticket_id, w.kind, w.queue, w.customer_id, w.enqueued_at
"""
# The new items are the cancelled ones again with their new priority and rank: same queue,
# skills, summary, preferred agents and enqueue time (their place in line).
INSERT_AGAIN = """
INSERT INTO work_items (kind, channel, queue, ticket_id, call_id, callback_id, customer_id,
  priority, key_account, complaint, preferred_agent_ids, skills, enqueued_at, rank_at, summary)
SELECT w.kind, w.channel, w.queue, w.ticket_id, w.call_id, w.callback_id, w.customer_id,
       u.priority, w.key_account, w.complaint, w.preferred_agent_ids, w.skills, w.enqueued_at,
       u.rank_at, w.summary
FROM unnest($1::uuid[], $2::text[], $3::timestamptz[]) AS u(id, priority, rank_at)
JOIN work_items w ON w.id = u.id
RETURNING id, ticket_id, kind, queue, priority, customer_id
"""


async def cancel_waiting(
    conn: Conn, ticket_ids: list[UUID], *, reason: str, now: datetime
) -> list[dict[str, Any]]:
    """Cancel the tickets' waiting items (locking them); the cancelled items."""
    return [dict(r) for r in await conn.fetch(CANCEL_WAITING, ticket_ids, reason, now)]


async def insert_again(conn: Conn, items: list[tuple[UUID, str, datetime]]) -> list[dict[str, Any]]:
    """New items copied from cancelled ones (id, new priority, new rank_at); the new items."""
    if not items:
        return []
    rows = await conn.fetch(
        INSERT_AGAIN, [i[0] for i in items], [i[1] for i in items], [i[2] for i in items]
    )
    return [dict(r) for r in rows]
