"""Read-only SQL for the supervisor's queue board and the caller's place in line."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from contact_center.db import Conn

WAITING_COUNTS = """
SELECT queue, channel, count(*)::int AS n, min(enqueued_at) AS oldest
FROM work_items WHERE state IN ('waiting', 'offered') GROUP BY queue, channel
"""

# The head of each queue's line (the board shows the first few, not ten thousand).
WAITING_ITEMS = """
SELECT w.id, w.kind, w.channel, w.queue, w.enqueued_at, w.state, w.summary,
       o.user_id AS offered_to
FROM queues q
CROSS JOIN LATERAL (
  SELECT * FROM work_items w WHERE w.queue = q.name AND w.state IN ('waiting', 'offered')
  ORDER BY w.rank_at LIMIT $1
) w
LEFT JOIN offers o ON o.item_id = w.id AND o.outcome = 'pending'
ORDER BY w.queue, w.rank_at
"""

# Calls today: answered (assigned), within the service level, abandoned while waiting.
TODAY = """
SELECT w.queue,
  count(*) FILTER (WHERE w.assigned_at >= $1)::int AS answered,
  count(*) FILTER (WHERE w.assigned_at >= $1 AND w.assigned_at - w.enqueued_at
                   <= make_interval(secs => q.service_level_seconds))::int AS within,
  count(*) FILTER (WHERE w.state = 'cancelled' AND w.end_reason = 'abandoned'
                   AND w.ended_at >= $1)::int AS abandoned
FROM work_items w JOIN queues q ON q.name = w.queue
WHERE w.kind = 'call' AND w.enqueued_at >= $1::timestamptz - interval '1 day'
GROUP BY w.queue
"""


async def waiting_counts(conn: Conn) -> list[dict[str, Any]]:
    return [dict(r) for r in await conn.fetch(WAITING_COUNTS)]


async def waiting_items(conn: Conn, *, per_queue: int) -> list[dict[str, Any]]:
    return [dict(r) for r in await conn.fetch(WAITING_ITEMS, per_queue)]


async def calls_today(conn: Conn, *, day_start: datetime) -> dict[str, dict[str, int]]:
    return {r["queue"]: dict(r) for r in await conn.fetch(TODAY, day_start)}


POSITION = """
SELECT w.queue,
  (SELECT count(*) FROM work_items x WHERE x.queue = w.queue AND x.state IN ('waiting', 'offered')
     AND x.rank_at < w.rank_at)::int + 1 AS position,
  (SELECT count(*) FROM work_items x WHERE x.queue = w.queue AND x.kind = w.kind
     AND x.assigned_at >= $2::timestamptz - interval '1 hour')::int AS answered_last_hour,
  (SELECT avg(extract(epoch FROM x.assigned_at - x.enqueued_at)) FROM work_items x
     WHERE x.queue = w.queue AND x.kind = w.kind
       AND x.assigned_at >= $2::timestamptz - interval '1 hour')::float AS average_wait
FROM work_items w WHERE w.call_id = $1 AND w.state IN ('waiting', 'offered')
"""


async def position_of_call(conn: Conn, call_id: UUID, *, now: datetime) -> dict[str, Any] | None:
    row = await conn.fetchrow(POSITION, call_id, now)
    return dict(row) if row is not None else None
