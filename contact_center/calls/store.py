"""SQL for calls, call status events, callback tasks and call pacing. The only module that
touches these tables."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from contact_center.calls.model import (
    Call,
    CallbackOutcome,
    CallbackReason,
    CallbackState,
    CallbackTask,
    CallState,
    Direction,
    Outcome,
)
from contact_center.db import Conn
from contact_center.errors import NotFound

CALL_COLUMNS = (
    "id, call_sid, ticket_id, message_id, customer_id, from_number, to_number, direction,"
    " language, ivr_path, menu_attempts, queue, priority, key_account, state, outcome,"
    " started_at, enqueued_at, answered_at, ended_at, wait_seconds, talk_seconds, agent_id,"
    " recording_url, recording_sid, recording_seconds, transcription, callback_id, updated_at"
)
# The columns a use case may change; update_call refuses any other name.
UPDATABLE = frozenset(
    {
        "call_sid",  # an outbound call's provisional one, once the provider gave the real one
        "ivr_path",
        "menu_attempts",
        "queue",
        "priority",
        "state",
        "outcome",
        "enqueued_at",
        "answered_at",
        "ended_at",
        "wait_seconds",
        "talk_seconds",
        "agent_id",
        "recording_url",
        "recording_sid",
        "recording_seconds",
        "transcription",
        "callback_id",
    }
)

INSERT_CALL = f"""
INSERT INTO calls (call_sid, ticket_id, message_id, customer_id, from_number, to_number,
                   direction, language, key_account, priority, state, started_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)
ON CONFLICT (call_sid) DO NOTHING
RETURNING {CALL_COLUMNS}
"""
FIND_BY_SID = f"SELECT {CALL_COLUMNS} FROM calls WHERE call_sid = $1"
LOCK_BY_SID = f"SELECT {CALL_COLUMNS} FROM calls WHERE call_sid = $1 FOR UPDATE"
GET_CALL = f"SELECT {CALL_COLUMNS} FROM calls WHERE id = $1"
LOCK_CALL = f"SELECT {CALL_COLUMNS} FROM calls WHERE id = $1 FOR UPDATE"
LIST_FOR_TICKET = f"SELECT {CALL_COLUMNS} FROM calls WHERE ticket_id = $1 ORDER BY started_at, id"
# The caller's last call that ended abandoned since $2, whose place a new call may take.
FIND_RECENT_ABANDONED = f"""
SELECT {CALL_COLUMNS} FROM calls
WHERE from_number = $1 AND outcome = 'abandoned' AND ended_at >= $2 AND enqueued_at IS NOT NULL
ORDER BY ended_at DESC LIMIT 1
"""
# An outbound call for this callback task still ringing or talking.
FIND_DIALLING = f"""
SELECT {CALL_COLUMNS} FROM calls
WHERE callback_id = $1 AND direction = 'outbound' AND state IN ('dialing', 'connected')
LIMIT 1
"""
INSERT_EVENT = """
INSERT INTO call_events (call_sid, status, received_at, payload) VALUES ($1, $2, $3, $4)
ON CONFLICT (call_sid, status) DO NOTHING RETURNING true
"""
CALL_EVENTS = """
SELECT status, payload->>'CallDuration' AS duration FROM call_events
WHERE call_sid = $1 ORDER BY received_at
"""

CALLBACK_COLUMNS = (
    "c.id, c.ticket_id, c.customer_id, c.call_id, c.phone, c.reason, c.due_at, c.state,"
    " c.outcome, c.note, c.assignee_id, c.created_by, c.created_at, c.done_at, c.updated_at,"
    " cu.name AS customer_name, t.number AS ticket_number"
)
CALLBACK_FROM = """callback_tasks c JOIN customers cu ON cu.id = c.customer_id
JOIN tickets t ON t.id = c.ticket_id"""
INSERT_CALLBACK = """
INSERT INTO callback_tasks (ticket_id, customer_id, call_id, phone, reason, due_at, assignee_id,
                            created_by, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
ON CONFLICT (call_id) WHERE call_id IS NOT NULL AND state = 'open' DO NOTHING
RETURNING id
"""
GET_CALLBACK = f"SELECT {CALLBACK_COLUMNS} FROM {CALLBACK_FROM} WHERE c.id = $1"
LOCK_CALLBACK = f"SELECT {CALLBACK_COLUMNS} FROM {CALLBACK_FROM} WHERE c.id = $1 FOR UPDATE OF c"
FINISH_CALLBACK = """
UPDATE callback_tasks SET state = $2, outcome = $3, note = $4, done_at = $5, updated_at = $5,
                          assignee_id = coalesce(assignee_id, $6)
WHERE id = $1
"""
# Open, due by $2 (or any time when null), assigned to $3 (or anyone when null): soonest first.
LIST_CALLBACKS = f"""
SELECT {CALLBACK_COLUMNS} FROM {CALLBACK_FROM}
WHERE c.state = $1 AND ($2::timestamptz IS NULL OR c.due_at <= $2)
  AND ($3::uuid IS NULL OR c.assignee_id = $3) AND ($4::uuid IS NULL OR c.ticket_id = $4)
ORDER BY c.due_at, c.id LIMIT $5
"""
SET_CALLBACK_ASSIGNEE = """
UPDATE callback_tasks SET assignee_id = $2, updated_at = $3 WHERE id = $1 AND state = 'open'
RETURNING true
"""
TAKE_CALL_SLOT = """
INSERT INTO call_rate_slots AS s (from_number, next_slot)
VALUES ($1, $2::timestamptz + $3::interval)
ON CONFLICT (from_number) DO UPDATE
SET next_slot = greatest(s.next_slot, $2::timestamptz) + $3::interval
RETURNING s.next_slot - $3::interval AS slot
"""


def _call(row: Any) -> Call:
    data = dict(row)
    data["direction"] = Direction(data["direction"])
    data["state"] = CallState(data["state"])
    data["outcome"] = Outcome(data["outcome"]) if data["outcome"] else None
    data["ivr_path"] = list(data["ivr_path"])
    return Call(**data)


def _callback(row: Any) -> CallbackTask:
    data = dict(row)
    data["reason"] = CallbackReason(data["reason"])
    data["state"] = CallbackState(data["state"])
    data["outcome"] = CallbackOutcome(data["outcome"]) if data["outcome"] else None
    return CallbackTask(**data)


async def insert_call(
    conn: Conn,
    *,
    call_sid: str,
    ticket_id: UUID,
    message_id: UUID | None,
    customer_id: UUID,
    from_number: str,
    to_number: str,
    direction: Direction,
    language: str,
    key_account: bool,
    priority: str,
    state: CallState,
    at: datetime,
) -> Call | None:
    """The new call's row; None when this CallSid is stored already (a replayed webhook)."""
    row = await conn.fetchrow(
        INSERT_CALL,
        call_sid,
        ticket_id,
        message_id,
        customer_id,
        from_number,
        to_number,
        direction.value,
        language,
        key_account,
        priority,
        state.value,
        at,
    )
    return _call(row) if row is not None else None


async def find_call_by_sid(conn: Conn, call_sid: str, *, for_update: bool = False) -> Call | None:
    row = await conn.fetchrow(LOCK_BY_SID if for_update else FIND_BY_SID, call_sid)
    return _call(row) if row is not None else None


async def get_call(conn: Conn, call_id: UUID, *, for_update: bool = False) -> Call:
    row = await conn.fetchrow(LOCK_CALL if for_update else GET_CALL, call_id)
    if row is None:
        raise NotFound("no such call")
    return _call(row)


async def list_calls_for_ticket(conn: Conn, ticket_id: UUID) -> list[Call]:
    return [_call(r) for r in await conn.fetch(LIST_FOR_TICKET, ticket_id)]


async def find_recent_abandoned(conn: Conn, from_number: str, since: datetime) -> Call | None:
    row = await conn.fetchrow(FIND_RECENT_ABANDONED, from_number, since)
    return _call(row) if row is not None else None


async def find_dialling(conn: Conn, callback_id: UUID) -> Call | None:
    row = await conn.fetchrow(FIND_DIALLING, callback_id)
    return _call(row) if row is not None else None


async def update_call(conn: Conn, call_id: UUID, at: datetime, **fields: Any) -> Call:
    """Set the named columns (from UPDATABLE only) and updated_at; returns the call as now."""
    unknown = set(fields) - UPDATABLE
    if unknown:
        raise ValueError(f"not updatable: {sorted(unknown)}")
    names = sorted(fields)
    sets = ", ".join(f"{name} = ${n}" for n, name in enumerate(names, start=3))
    values = [getattr(fields[n], "value", fields[n]) for n in names]
    row = await conn.fetchrow(
        f"UPDATE calls SET {sets}, updated_at = $2 WHERE id = $1 RETURNING {CALL_COLUMNS}",
        call_id,
        at,
        *values,
    )
    if row is None:
        raise NotFound("no such call")
    return _call(row)


async def insert_call_event(
    conn: Conn, call_sid: str, status: str, at: datetime, payload: dict[str, Any]
) -> bool:
    """Record one (CallSid, CallStatus); False when it was recorded before (a replay)."""
    return bool(await conn.fetchval(INSERT_EVENT, call_sid, status, at, payload))


async def call_events(conn: Conn, call_sid: str) -> list[tuple[str, int | None]]:
    """The statuses recorded for this CallSid, oldest first, with the call's duration."""
    rows = await conn.fetch(CALL_EVENTS, call_sid)
    return [
        (r["status"], int(r["duration"]) if (r["duration"] or "").isdigit() else None) for r in rows
    ]


async def insert_callback(
    conn: Conn,
    *,
    ticket_id: UUID,
    customer_id: UUID,
    call_id: UUID | None,
    phone: str,
    reason: CallbackReason,
    due_at: datetime,
    assignee_id: UUID | None,
    created_by: UUID | None,
    at: datetime,
) -> UUID | None:
    """The new task's id; None when the call already has an open callback task."""
    found = await conn.fetchval(
        INSERT_CALLBACK,
        ticket_id,
        customer_id,
        call_id,
        phone,
        reason.value,
        due_at,
        assignee_id,
        created_by,
        at,
    )
    return found if isinstance(found, UUID) else None


async def get_callback(conn: Conn, callback_id: UUID, *, for_update: bool = False) -> CallbackTask:
    row = await conn.fetchrow(LOCK_CALLBACK if for_update else GET_CALLBACK, callback_id)
    if row is None:
        raise NotFound("no such callback task")
    return _callback(row)


async def finish_callback(
    conn: Conn,
    callback_id: UUID,
    *,
    state: CallbackState,
    outcome: CallbackOutcome | None,
    note: str,
    by: UUID | None,
    at: datetime,
) -> None:
    await conn.execute(
        FINISH_CALLBACK,
        callback_id,
        state.value,
        outcome.value if outcome else None,
        note,
        at,
        by,
    )


async def set_callback_assignee(conn: Conn, callback_id: UUID, user_id: UUID, at: datetime) -> bool:
    """False when there is no such open task."""
    return bool(await conn.fetchval(SET_CALLBACK_ASSIGNEE, callback_id, user_id, at))


async def list_callbacks(
    conn: Conn,
    *,
    state: CallbackState,
    due_before: datetime | None,
    assignee_id: UUID | None,
    ticket_id: UUID | None,
    limit: int,
) -> list[CallbackTask]:
    rows = await conn.fetch(LIST_CALLBACKS, state.value, due_before, assignee_id, ticket_id, limit)
    return [_callback(r) for r in rows]


async def take_call_slot(conn: Conn, from_number: str, now: datetime, gap: timedelta) -> datetime:
    """The next free time to place a call from this number, taken atomically: concurrent
    workers get distinct slots `gap` apart."""
    slot = await conn.fetchval(TAKE_CALL_SLOT, from_number, now, gap)
    assert isinstance(slot, datetime)
    return slot
