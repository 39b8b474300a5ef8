"""SQL for the event log (`events`, `events_pruned`). The only module that touches them."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from uuid import UUID

from contact_center.db import Conn
from contact_center.live.model import LiveEvent

CHANNEL = "cc_events"
# Publishers hold a shared transaction-level advisory lock on bucket `id % LOCK_BUCKETS` (class
# LOCK_CLASS) until they commit or roll back. A listener that finds an id missing can then tell
# "still in flight" (the bucket is locked) from "rolled back" (free). Buckets bound the locks a
# transaction holds however many events it publishes; the two-key form shares no key space with
# the one-key advisory locks that migrations and the job queue use.
LOCK_CLASS = 0x63630001
LOCK_BUCKETS = 256

# One statement for the events of one change: the rows (ids in the order given), their
# in-flight markers and the notifications of their ids (sent at commit).
PUBLISH = """
WITH e AS (
    INSERT INTO events (name, payload, ticket_id, customer_id)
    SELECT name, payload::jsonb, ticket_id, customer_id
    FROM unnest($1::text[], $2::text[], $3::uuid[], $4::uuid[])
         WITH ORDINALITY AS given (name, payload, ticket_id, customer_id, position)
    ORDER BY position
    RETURNING id
)
SELECT id, pg_advisory_xact_lock_shared($5, (id % $6)::int)::text AS marked,
       pg_notify($7, id::text)::text AS notified
FROM e ORDER BY id
"""
EVENT_COLUMNS = "id, name, payload::text AS payload, ticket_id, customer_id, created_at"
READ_AFTER = f"SELECT {EVENT_COLUMNS} FROM events WHERE id > $1 ORDER BY id LIMIT $2"
READ_BETWEEN = f"SELECT {EVENT_COLUMNS} FROM events WHERE id > $1 AND id <= $2 ORDER BY id LIMIT $3"
# The newest id, or the newest pruned one when the log is empty after pruning.
LATEST_ID = """
SELECT greatest((SELECT coalesce(max(id), 0) FROM events),
                (SELECT through_id FROM events_pruned))
"""
PRUNED_THROUGH = "SELECT through_id FROM events_pruned"
# Outside a transaction the try-locks are released when the statement ends.
BUCKETS_FREE = """
SELECT coalesce(bool_and(pg_try_advisory_xact_lock($1, b)), true) FROM unnest($2::int[]) AS b
"""
PRUNE = """
WITH gone AS (DELETE FROM events WHERE created_at < $1 RETURNING id),
moved AS (
    UPDATE events_pruned SET through_id = greatest(through_id, (SELECT max(id) FROM gone))
    WHERE EXISTS (SELECT 1 FROM gone)
)
SELECT count(*) FROM gone
"""


def _event(row: Any) -> LiveEvent:
    return LiveEvent(
        id=row["id"],
        name=row["name"],
        at=row["created_at"],
        payload=json.loads(row["payload"]),
        ticket_id=row["ticket_id"],
        customer_id=row["customer_id"],
    )


async def insert_events(
    conn: Conn, events: list[tuple[str, str, UUID | None, UUID | None]]
) -> list[int]:
    """Append events (name, JSON payload, ticket id, customer id) and notify their ids on
    commit. Must run inside the changing transaction: the rows, the notifications and the
    in-flight locks all end with it."""
    names, payloads, tickets, customers = (list(column) for column in zip(*events, strict=True))
    rows = await conn.fetch(
        PUBLISH, names, payloads, tickets, customers, LOCK_CLASS, LOCK_BUCKETS, CHANNEL
    )
    return [row["id"] for row in rows]


async def list_events_after(conn: Conn, after: int, *, limit: int) -> list[LiveEvent]:
    return [_event(r) for r in await conn.fetch(READ_AFTER, after, limit)]


async def list_events_between(conn: Conn, after: int, upto: int, *, limit: int) -> list[LiveEvent]:
    return [_event(r) for r in await conn.fetch(READ_BETWEEN, after, upto, limit)]


async def latest_id(conn: Conn) -> int:
    found: int = await conn.fetchval(LATEST_ID)
    return found


async def pruned_through(conn: Conn) -> int:
    found: int = await conn.fetchval(PRUNED_THROUGH)
    return found


async def no_publisher_holds(conn: Conn, first: int, last: int) -> bool:
    """Whether no open transaction publishing an id in first..last can still commit it.

    Run outside a transaction (the try-locks last one statement). A bucket is shared by every
    id that is equal modulo LOCK_BUCKETS, so a busy bucket may be another id's: the answer errs
    towards waiting, never towards skipping.
    """
    span = range(first, min(last, first + LOCK_BUCKETS - 1) + 1)
    buckets = sorted({n % LOCK_BUCKETS for n in span})
    free: bool = await conn.fetchval(BUCKETS_FREE, LOCK_CLASS, buckets)
    return free


async def delete_events_before(conn: Conn, cutoff: datetime) -> int:
    """Delete events created before `cutoff`; remembers the highest deleted id."""
    deleted: int = await conn.fetchval(PRUNE, cutoff)
    return deleted
