"""Broadcasts SQL: the broadcast, its recipients (fixed at the start), batches and figures."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from uuid import UUID

from contact_center.care.model import Broadcast, BroadcastState, Segment
from contact_center.db import Conn
from contact_center.errors import NotFound

BROADCAST_COLUMNS = """id, name, segment, body_en, body_zh, subject_en, subject_zh, channel, state,
created_by, created_at, next_batch_at, finished_at"""
INSERT_BROADCAST = f"""
INSERT INTO broadcasts (name, segment, body_en, body_zh, subject_en, subject_zh, channel,
                        created_by, created_at, next_batch_at)
VALUES ($1, $2, $3, $4, $8, $9, $5, $6, $7, $7) RETURNING {BROADCAST_COLUMNS}
"""
INSERT_RECIPIENTS = """
INSERT INTO broadcast_recipients (broadcast_id, customer_id)
SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING
"""
GET_BROADCAST = f"SELECT {BROADCAST_COLUMNS} FROM broadcasts WHERE id = $1"
LOCK_BROADCAST = GET_BROADCAST + " FOR UPDATE"
LIST_BROADCASTS = f"""
SELECT {BROADCAST_COLUMNS} FROM broadcasts ORDER BY created_at DESC, id LIMIT $1
"""
# Recipients set aside for want of an SMS number are taken again once one is configured ($3).
CLAIM_RECIPIENTS = """
SELECT customer_id FROM broadcast_recipients
WHERE broadcast_id = $1 AND handled_at IS NULL AND (held IS NULL OR $3)
ORDER BY customer_id LIMIT $2 FOR UPDATE SKIP LOCKED
"""
FINISH_RECIPIENTS = """
UPDATE broadcast_recipients r SET outbound_id = u.o, skipped = u.s, handled_at = $2, held = NULL
FROM unnest($3::uuid[], $4::uuid[], $5::text[]) AS u(c, o, s)
WHERE r.broadcast_id = $1 AND r.customer_id = u.c AND r.handled_at IS NULL
"""
HOLD_RECIPIENTS = """
UPDATE broadcast_recipients SET held = $3
WHERE broadcast_id = $1 AND customer_id = ANY($2::uuid[]) AND handled_at IS NULL
"""
CANCEL_WAITING = """
UPDATE broadcast_recipients SET skipped = 'cancelled', handled_at = $2, held = NULL
WHERE broadcast_id = $1 AND handled_at IS NULL
"""
SET_BROADCAST_STATE = """
UPDATE broadcasts SET state = $2, next_batch_at = $3,
    finished_at = CASE WHEN $2 = 'sending' THEN NULL ELSE $4::timestamptz END
WHERE id = $1
"""
COUNT_WAITING = """
SELECT count(*) FROM broadcast_recipients
WHERE broadcast_id = $1 AND handled_at IS NULL AND (held IS NULL OR $2)
"""
# Delivery figures from the outbox statuses of each broadcast's messages.
FIGURES = """
SELECT r.broadcast_id,
       count(*) AS total,
       count(*) FILTER (WHERE r.handled_at IS NULL) AS waiting,
       count(*) FILTER (WHERE r.handled_at IS NULL AND r.held = 'no_sender') AS no_sender,
       count(*) FILTER (WHERE m.status IN ('pending', 'sending')) AS queued,
       count(*) FILTER (WHERE m.status = 'sent') AS sent,
       count(*) FILTER (WHERE m.status = 'delivered') AS delivered,
       count(*) FILTER (WHERE m.status IN ('failed', 'undelivered', 'dead')) AS failed,
       -- taken back unsent (the customer's messages were erased): not a delivery failure
       count(*) FILTER (WHERE m.status = 'cancelled') AS withdrawn,
       count(*) FILTER (WHERE m.status = 'needs_review') AS needs_review,
       count(*) FILTER (WHERE r.skipped = 'opted_out') AS opted_out,
       count(*) FILTER (WHERE r.skipped = 'care_opted_out') AS care_opted_out,
       count(*) FILTER (WHERE r.skipped = 'no_address') AS no_address,
       count(*) FILTER (WHERE r.skipped = 'cancelled') AS cancelled
FROM broadcast_recipients r LEFT JOIN outbound_messages m ON m.id = r.outbound_id
WHERE r.broadcast_id = ANY($1::uuid[]) GROUP BY r.broadcast_id
"""
# One batch at a time, site-wide, so that the rate counts every broadcast's messages.
LOCK_SENDING = "SELECT pg_advisory_xact_lock(hashtext('care:broadcast-batch'))"
COUNT_QUEUED_SINCE = """
SELECT count(*) FROM broadcast_recipients WHERE handled_at > $1 AND outbound_id IS NOT NULL
"""
LIST_STALLED = """
SELECT id, next_batch_at FROM broadcasts WHERE state = 'sending' AND next_batch_at < $1
ORDER BY next_batch_at, id
"""


async def list_stalled(conn: Conn, before: datetime) -> list[tuple[UUID, datetime]]:
    return [(r["id"], r["next_batch_at"]) for r in await conn.fetch(LIST_STALLED, before)]


def _segment(raw: Any) -> Segment:
    value = json.loads(raw) if isinstance(raw, str) else raw
    return Segment(
        tiers=tuple(value.get("tiers", ())),
        territories=tuple(value.get("territories", ())),
        tags=tuple(value.get("tags", ())),
        stages=tuple(value.get("stages", ())),
        key_accounts_only=bool(value.get("key_accounts_only", False)),
    )


def _broadcast(row: Any) -> Broadcast:
    return Broadcast(
        **{
            **dict(row),
            "segment": _segment(row["segment"]),
            "state": BroadcastState(row["state"]),
        }
    )


async def insert_broadcast(
    conn: Conn,
    *,
    name: str,
    segment: Segment,
    body_en: str,
    body_zh: str,
    subject_en: str,
    subject_zh: str,
    channel: str | None,
    created_by: UUID | None,
    at: datetime,
    recipients: list[UUID],
) -> Broadcast:
    row: Any = await conn.fetchrow(
        INSERT_BROADCAST,
        name,
        segment.as_json(),
        body_en,
        body_zh,
        channel,
        created_by,
        at,
        subject_en,
        subject_zh,
    )
    await conn.execute(INSERT_RECIPIENTS, row["id"], recipients)
    return _broadcast(row)


async def get_broadcast(conn: Conn, broadcast_id: UUID, *, lock: bool = False) -> Broadcast:
    row = await conn.fetchrow(LOCK_BROADCAST if lock else GET_BROADCAST, broadcast_id)
    if row is None:
        raise NotFound("no such broadcast")
    return _broadcast(row)


async def list_broadcasts(conn: Conn, *, limit: int) -> list[Broadcast]:
    return [_broadcast(r) for r in await conn.fetch(LIST_BROADCASTS, limit)]


async def claim_recipients(
    conn: Conn, broadcast_id: UUID, limit: int, *, with_held: bool
) -> list[UUID]:
    rows = await conn.fetch(CLAIM_RECIPIENTS, broadcast_id, limit, with_held)
    return [r["customer_id"] for r in rows]


async def hold_recipients(
    conn: Conn, broadcast_id: UUID, customer_ids: list[UUID], reason: str
) -> None:
    await conn.execute(HOLD_RECIPIENTS, broadcast_id, customer_ids, reason)


async def finish_recipients(
    conn: Conn, broadcast_id: UUID, done: list[tuple[UUID, UUID | None, str | None]], at: datetime
) -> None:
    await conn.execute(
        FINISH_RECIPIENTS,
        broadcast_id,
        at,
        [d[0] for d in done],
        [d[1] for d in done],
        [d[2] for d in done],
    )


async def cancel_waiting(conn: Conn, broadcast_id: UUID, at: datetime) -> None:
    await conn.execute(CANCEL_WAITING, broadcast_id, at)


async def count_waiting(conn: Conn, broadcast_id: UUID, *, with_held: bool) -> int:
    return int(await conn.fetchval(COUNT_WAITING, broadcast_id, with_held))


async def set_broadcast_state(
    conn: Conn, broadcast_id: UUID, state: BroadcastState, *, next_batch_at: datetime, at: datetime
) -> None:
    await conn.execute(SET_BROADCAST_STATE, broadcast_id, str(state), next_batch_at, at)


async def figures(conn: Conn, broadcast_ids: list[UUID]) -> dict[UUID, dict[str, int]]:
    rows = await conn.fetch(FIGURES, broadcast_ids)
    return {
        r["broadcast_id"]: {k: int(v) for k, v in dict(r).items() if k != "broadcast_id"}
        for r in rows
    }


async def lock_sending(conn: Conn) -> None:
    await conn.execute(LOCK_SENDING)


async def count_queued_since(conn: Conn, since: datetime) -> int:
    return int(await conn.fetchval(COUNT_QUEUED_SINCE, since))
