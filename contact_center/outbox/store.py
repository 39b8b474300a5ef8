"""SQL for outbound messages and delivery events. The only module touching these tables."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from contact_center.db import Conn
from contact_center.outbox.model import (
    NewOutbound,
    OutboundChannel,
    OutboundMessage,
    OutboundPurpose,
    OutboundStatus,
)

COLUMNS = (
    "id, ticket_id, message_id, channel, to_address, from_address, subject, body_text, headers,"
    " automatic, status, provider_id, attempts, next_attempt_at, last_error, error_code,"
    " created_at, sent_at, rate_slot_at, customer_id, purpose"
)
INSERT_OUTBOUND = """
INSERT INTO outbound_messages (ticket_id, message_id, channel, to_address, from_address, subject,
                               body_text, headers, automatic, next_attempt_at, created_at,
                               customer_id, purpose)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, greatest($10::timestamptz, $11::timestamptz), $10,
        $12, $13)
RETURNING id
"""
# An agent takes a reply back: only while nothing was tried yet. The row lock makes this and
# the delivery claim (FOR UPDATE SKIP LOCKED, status 'pending') exclusive: one of them wins.
CANCEL_UNSENT = f"""
UPDATE outbound_messages SET status = 'cancelled', updated_at = $2, last_error = NULL,
    error_code = NULL
WHERE message_id = $1 AND status = 'pending' AND attempts = 0
RETURNING {COLUMNS}
"""
GET_BY_MESSAGE = f"SELECT {COLUMNS} FROM outbound_messages WHERE message_id = $1"
# Taking a row for a send attempt: only a pending, due row, and only once (SKIP LOCKED lets
# parallel workers pass over a row another one is taking).
CLAIM_FOR_SENDING = f"""
WITH c AS (
    SELECT id FROM outbound_messages
    WHERE id = $1 AND status = 'pending' AND next_attempt_at <= $2
    FOR UPDATE SKIP LOCKED
)
UPDATE outbound_messages o
SET status = 'sending', attempts = attempts + 1, locked_until = $3, updated_at = $2
FROM c WHERE o.id = c.id
RETURNING {", ".join("o." + c.strip() for c in COLUMNS.split(","))}
"""
FINISH_SENT = """
UPDATE outbound_messages
SET status = 'sent', provider_id = $2, sent_at = $3, updated_at = $3, locked_until = NULL,
    last_error = NULL, error_code = NULL
WHERE id = $1 AND status = 'sending'
"""
SET_OUTCOME = """
UPDATE outbound_messages
SET status = $2, next_attempt_at = $3, last_error = $4, error_code = $5, updated_at = $6,
    locked_until = NULL
WHERE id = $1 AND status = 'sending'
"""
# A message with no provider to go through: still pending, with the reason, due later.
SET_WAITING = """
UPDATE outbound_messages
SET next_attempt_at = $2, last_error = $3, error_code = $4, updated_at = $5
WHERE id = $1 AND status = 'pending'
"""
RELEASE_WAITING = """
UPDATE outbound_messages SET next_attempt_at = $3, updated_at = $3
WHERE status = 'pending' AND error_code = $2 AND channel = ANY($1) AND next_attempt_at > $3
"""
LOCK_OUTBOUND = f"SELECT {COLUMNS} FROM outbound_messages WHERE id = $1 FOR UPDATE"
GET_OUTBOUND = f"SELECT {COLUMNS} FROM outbound_messages WHERE id = $1"
APPLY_STATUS = """
UPDATE outbound_messages SET status = $2, error_code = coalesce($3, error_code), updated_at = $4,
    provider_id = coalesce(provider_id, $5)
WHERE id = $1
"""
INSERT_EVENT = """
INSERT INTO delivery_events (outbound_id, reported_status, error_code, payload, received_at)
VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (outbound_id, reported_status) DO NOTHING RETURNING id
"""
LIST_DUE = """
SELECT id FROM outbound_messages WHERE status = 'pending' AND next_attempt_at <= $1
ORDER BY next_attempt_at LIMIT $2
"""
# A crash between claiming and recording leaves a row in 'sending' past its lease.
LIST_STALE_SENDING = f"""
SELECT {COLUMNS} FROM outbound_messages
WHERE status = 'sending' AND locked_until < $1
ORDER BY locked_until LIMIT $2
FOR UPDATE SKIP LOCKED
"""
# The next free send time of a number, taken atomically: concurrent workers get distinct slots.
TAKE_SMS_SLOT = """
INSERT INTO sms_rate_slots AS s (from_address, next_slot)
VALUES ($1, $2::timestamptz + $3::interval)
ON CONFLICT (from_address) DO UPDATE
SET next_slot = greatest(s.next_slot, $2::timestamptz) + $3::interval
RETURNING s.next_slot - $3::interval AS slot
"""
DEFER_TO_SLOT = """
UPDATE outbound_messages SET next_attempt_at = $2, rate_slot_at = $2, updated_at = $3
WHERE id = $1 AND status = 'pending'
"""
# The delivery list for operators: newest first, optionally by status and channel.
LIST_OUTBOUND = f"""
SELECT {COLUMNS} FROM outbound_messages
WHERE (cardinality($1::text[]) = 0 OR status = ANY($1)) AND ($2::text IS NULL OR channel = $2)
ORDER BY created_at DESC, id LIMIT $3
"""
COUNT_BY_STATUS = "SELECT status, count(*) AS n FROM outbound_messages GROUP BY status"
# Messages that name a customer (no ticket: greetings, broadcasts, visit reminders).
LIST_FOR_CUSTOMER = f"""
SELECT {COLUMNS} FROM outbound_messages WHERE customer_id = $1 ORDER BY created_at, id
"""
# Erasure keeps the row (figures, status) but not what names or was said to the person; the
# provider's status callbacks repeat the number, so their payloads go too. A row not sent yet
# is cancelled in the same statement: delivery must never try the blanked address.
ERASE_FOR_CUSTOMER = """
WITH erased AS (
    UPDATE outbound_messages SET to_address = '', subject = '', body_text = '', headers = '{}',
        last_error = NULL, updated_at = $2,
        status = CASE WHEN status IN ('pending', 'needs_review') THEN 'cancelled' ELSE status END
    WHERE customer_id = $1 RETURNING id
), payloads AS (
    UPDATE delivery_events e SET payload = '{}' FROM erased WHERE e.outbound_id = erased.id
)
SELECT count(*) FROM erased
"""
LIST_FOR_MESSAGES = f"SELECT {COLUMNS} FROM outbound_messages WHERE message_id = ANY($1)"


def _outbound(row: Any) -> OutboundMessage:
    return OutboundMessage(
        **{
            **dict(row),
            "channel": OutboundChannel(row["channel"]),
            "status": OutboundStatus(row["status"]),
            "purpose": OutboundPurpose(row["purpose"]),
        }
    )


async def insert_outbound(
    conn: Conn,
    new: NewOutbound,
    *,
    channel: OutboundChannel,
    from_address: str,
    at: datetime,
) -> UUID:
    outbound_id: UUID = await conn.fetchval(
        INSERT_OUTBOUND,
        new.ticket_id,
        new.message_id,
        str(channel),
        new.to_address,
        from_address,
        new.subject,
        new.body_text,
        new.headers,
        new.automatic,
        at,
        new.hold_until,
        new.customer_id,
        new.purpose.value,
    )
    return outbound_id


async def claim_for_sending(
    conn: Conn, outbound_id: UUID, *, now: datetime, lease_until: datetime
) -> OutboundMessage | None:
    """Move a due pending row to 'sending' and count the attempt; None when it is not ours."""
    row = await conn.fetchrow(CLAIM_FOR_SENDING, outbound_id, now, lease_until)
    return None if row is None else _outbound(row)


async def finish_sent(conn: Conn, outbound_id: UUID, provider_id: str, at: datetime) -> None:
    await conn.execute(FINISH_SENT, outbound_id, provider_id, at)


async def set_outcome(
    conn: Conn,
    outbound_id: UUID,
    *,
    status: OutboundStatus,
    next_attempt_at: datetime,
    error: str | None,
    code: str | None,
    at: datetime,
) -> None:
    await conn.execute(SET_OUTCOME, outbound_id, str(status), next_attempt_at, error, code, at)


async def set_waiting(
    conn: Conn,
    outbound_id: UUID,
    *,
    next_attempt_at: datetime,
    error: str,
    code: str,
    at: datetime,
) -> None:
    await conn.execute(SET_WAITING, outbound_id, next_attempt_at, error, code, at)


async def release_waiting(conn: Conn, channels: list[str], code: str, now: datetime) -> int:
    result: str = await conn.execute(RELEASE_WAITING, channels, code, now)
    return int(result.split()[-1])


async def lock_outbound(conn: Conn, outbound_id: UUID) -> OutboundMessage | None:
    row = await conn.fetchrow(LOCK_OUTBOUND, outbound_id)
    return None if row is None else _outbound(row)


async def get_outbound(conn: Conn, outbound_id: UUID) -> OutboundMessage | None:
    row = await conn.fetchrow(GET_OUTBOUND, outbound_id)
    return None if row is None else _outbound(row)


async def apply_status(
    conn: Conn,
    outbound_id: UUID,
    status: OutboundStatus,
    *,
    code: str | None,
    provider_id: str | None,
    at: datetime,
) -> None:
    await conn.execute(APPLY_STATUS, outbound_id, str(status), code, at, provider_id)


async def insert_event(
    conn: Conn,
    outbound_id: UUID,
    reported: str,
    *,
    code: str | None,
    payload: dict[str, Any],
    at: datetime,
) -> bool:
    """Record a provider callback; False means the same status was reported before."""
    return (await conn.fetchval(INSERT_EVENT, outbound_id, reported, code, payload, at)) is not None


async def list_due(conn: Conn, now: datetime, limit: int) -> list[UUID]:
    return [r["id"] for r in await conn.fetch(LIST_DUE, now, limit)]


async def lock_stale_sending(conn: Conn, now: datetime, limit: int) -> list[OutboundMessage]:
    return [_outbound(r) for r in await conn.fetch(LIST_STALE_SENDING, now, limit)]


async def take_sms_slot(
    conn: Conn, from_address: str, now: datetime, spacing: timedelta
) -> datetime:
    slot: datetime = await conn.fetchval(TAKE_SMS_SLOT, from_address, now, spacing)
    return slot


async def defer_to_slot(conn: Conn, outbound_id: UUID, slot: datetime, now: datetime) -> None:
    await conn.execute(DEFER_TO_SLOT, outbound_id, slot, now)


async def list_for_messages(conn: Conn, message_ids: list[UUID]) -> list[OutboundMessage]:
    return [_outbound(r) for r in await conn.fetch(LIST_FOR_MESSAGES, message_ids)]


async def cancel_unsent(conn: Conn, message_id: UUID, at: datetime) -> OutboundMessage | None:
    """Cancel the row delivering this timeline message if it has not been tried; else None."""
    row = await conn.fetchrow(CANCEL_UNSENT, message_id, at)
    return None if row is None else _outbound(row)


async def get_by_message(conn: Conn, message_id: UUID) -> OutboundMessage | None:
    row = await conn.fetchrow(GET_BY_MESSAGE, message_id)
    return None if row is None else _outbound(row)


async def list_outbound(
    conn: Conn, *, statuses: list[str], channel: str | None, limit: int
) -> list[OutboundMessage]:
    return [_outbound(r) for r in await conn.fetch(LIST_OUTBOUND, statuses, channel, limit)]


async def count_by_status(conn: Conn) -> dict[str, int]:
    return {r["status"]: r["n"] for r in await conn.fetch(COUNT_BY_STATUS)}


async def list_for_customer(conn: Conn, customer_id: UUID) -> list[OutboundMessage]:
    return [_outbound(r) for r in await conn.fetch(LIST_FOR_CUSTOMER, customer_id)]


async def erase_for_customer(conn: Conn, customer_id: UUID, at: datetime) -> int:
    return int(await conn.fetchval(ERASE_FOR_CUSTOMER, customer_id, at))
