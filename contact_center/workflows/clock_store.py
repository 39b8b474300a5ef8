"""SQL for clocks and their event log. The only module that touches these tables.

Clocks are written whole (`insert_clock`, `save_clocks`) with the `fire_at` the caller
computed; the timers claim due rows with SKIP LOCKED and fire through the event log's unique
index (`clock_events_fired_once`), so a warning or breach is recorded once whoever fires it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from contact_center.db import Conn
from contact_center.workflows.model import Clock, ClockEvent, ClockKind, ClockMode, ClockState

NOTIFY_CHANNEL = "clock_timers"
COLUMNS = (
    "c.id, c.ticket_id, c.case_id, c.kind, c.step, c.state, c.mode, c.target_seconds,"
    " c.used_seconds, c.started_at, c.running_since, c.due_at, c.warn_at, c.warned_at,"
    " c.breached_at, c.ended_at, c.escalate_to, c.warn_share"
)
INSERT_CLOCK = """
INSERT INTO clocks (ticket_id, case_id, kind, step, state, mode, target_seconds, used_seconds,
                    started_at, running_since, due_at, warn_at, escalate_to, warn_share, fire_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
RETURNING id
"""
# One statement for any number of clocks of one change (a pause touches them all).
SAVE_CLOCKS = """
UPDATE clocks c SET state = u.state, used_seconds = u.used_seconds,
    running_since = u.running_since, due_at = u.due_at, warn_at = u.warn_at,
    warned_at = coalesce(c.warned_at, u.warned_at),
    breached_at = coalesce(c.breached_at, u.breached_at),
    ended_at = u.ended_at, fire_at = u.fire_at
FROM unnest($1::bigint[], $2::text[], $3::integer[], $4::timestamptz[], $5::timestamptz[],
            $6::timestamptz[], $7::timestamptz[], $8::timestamptz[], $9::timestamptz[],
            $10::timestamptz[])
    AS u(id, state, used_seconds, running_since, due_at, warn_at, warned_at, breached_at,
         ended_at, fire_at)
WHERE c.id = u.id
"""
LIST_LIVE_CLOCKS = f"""
SELECT {COLUMNS} FROM clocks c
WHERE c.ticket_id = $1 AND c.state IN ('running', 'paused') ORDER BY c.id FOR UPDATE
"""
LIST_CASE_CLOCKS = f"""
SELECT {COLUMNS} FROM clocks c
WHERE c.case_id = $1 AND c.state IN ('running', 'paused') ORDER BY c.id FOR UPDATE
"""
# The clocks one reply met (an undone reply gives them back), locked.
LIST_MET_AT = f"""
SELECT {COLUMNS} FROM clocks c
WHERE c.ticket_id = $1 AND c.state = 'met' AND c.ended_at = $2 AND c.kind = ANY($3::text[])
ORDER BY c.id FOR UPDATE
"""
# Running business clocks placed on a calendar older than `$2` (a re-time after a calendar
# change), in id order from `$1`: a clock re-timed already runs since after the change.
RETIME_CANDIDATES = """
SELECT c.id, c.ticket_id FROM clocks c
WHERE c.id > $1 AND c.state = 'running' AND c.mode = 'business' AND c.running_since <= $2
ORDER BY c.id LIMIT $3
"""
# Tickets first, then their clocks: the order a change by hand takes the locks.
LOCK_TICKETS = "SELECT id FROM tickets WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE"
LOCK_RETIME = f"""
SELECT {COLUMNS} FROM clocks c
WHERE c.id = ANY($1::bigint[]) AND c.state = 'running' AND c.mode = 'business'
  AND c.running_since <= $2
ORDER BY c.id FOR UPDATE
"""
# Active tickets that have never had a clock (opened before clocks existed), oldest first.
UNTIMED_TICKETS = """
SELECT t.id FROM tickets t
WHERE t.status IN ('new', 'open', 'pending')
  AND NOT EXISTS (SELECT 1 FROM clocks c WHERE c.ticket_id = t.id)
ORDER BY t.created_at, t.id LIMIT $1
"""
LIST_TICKET_CLOCKS = f"SELECT {COLUMNS} FROM clocks c WHERE c.ticket_id = $1 ORDER BY c.id"
INSERT_EVENTS = """
INSERT INTO clock_events (clock_id, ticket_id, event, at, detail)
SELECT * FROM unnest($1::bigint[], $2::uuid[], $3::text[], $4::timestamptz[], $5::jsonb[])
ON CONFLICT DO NOTHING
RETURNING clock_id, event
"""
LIST_EVENTS = """
SELECT e.clock_id, c.kind, c.step, c.case_id, e.event, e.at, e.detail
FROM clock_events e JOIN clocks c ON c.id = e.clock_id
WHERE e.ticket_id = $1 ORDER BY e.at, e.id
"""
# The lock order of every path is ticket, clocks, then routing's rows. So the timers claim
# tickets first: those of the earliest due clocks (a window a few batches wide, so batches side
# by side claim different tickets), never waiting for one (a ticket being changed is fired on
# the next round) ...
CLAIM_DUE_TICKETS = """
SELECT t.id, t.number, t.assignee_id, t.priority, t.status FROM tickets t
WHERE t.id = ANY(ARRAY(
    SELECT c.ticket_id FROM clocks c
    WHERE c.fire_at <= $1 AND c.state = 'running' ORDER BY c.fire_at LIMIT $3))
LIMIT $2
FOR UPDATE SKIP LOCKED
"""
# ... then their due clocks, waited for: whoever else locks a ticket's clocks holds the ticket
# first, so no one holds them now. The conditions are checked again on the locked rows.
LOCK_DUE_CLOCKS = f"""
SELECT {COLUMNS} FROM clocks c
WHERE c.ticket_id = ANY($1::uuid[]) AND c.fire_at <= $2 AND c.state = 'running'
ORDER BY c.id
FOR UPDATE
"""
# The conditional part of firing: a warning or breach already set stays as it was.
MARK_FIRED = """
UPDATE clocks c SET
    warned_at = CASE WHEN u.warned AND c.warned_at IS NULL THEN $5 ELSE c.warned_at END,
    breached_at = CASE WHEN u.breached AND c.breached_at IS NULL THEN $5 ELSE c.breached_at END,
    fire_at = u.fire_at
FROM unnest($1::bigint[], $2::boolean[], $3::boolean[], $4::timestamptz[])
    AS u(id, warned, breached, fire_at)
WHERE c.id = u.id
"""
NEXT_FIRE_AT = "SELECT min(fire_at) FROM clocks WHERE fire_at IS NOT NULL"
# A breach is always warned first, so both lists read the partial index `clocks_deadlines`.
DEADLINES = f"""
SELECT {COLUMNS}, t.number, t.subject, t.assignee_id, t.account_key, t.priority,
       cu.name AS customer_name, u.name AS assignee_name
FROM clocks c
JOIN tickets t ON t.id = c.ticket_id
JOIN customers cu ON cu.id = t.customer_id
LEFT JOIN users u ON u.id = t.assignee_id
WHERE c.state IN ('running', 'paused') AND c.warned_at IS NOT NULL  -- clocks_deadlines
  AND ($1::uuid IS NULL OR t.assignee_id = $1)
  AND CASE $2::text WHEN 'breached' THEN c.breached_at IS NOT NULL
                    ELSE c.warned_at IS NOT NULL AND c.breached_at IS NULL END
ORDER BY c.due_at NULLS LAST, c.id
LIMIT $3
"""


def clock_from_row(row: Any) -> Clock:
    return Clock(
        id=row["id"],
        ticket_id=row["ticket_id"],
        case_id=row["case_id"],
        kind=ClockKind(row["kind"]),
        step=row["step"],
        state=ClockState(row["state"]),
        mode=ClockMode(row["mode"]),
        target_seconds=row["target_seconds"],
        used_seconds=row["used_seconds"],
        started_at=row["started_at"],
        running_since=row["running_since"],
        due_at=row["due_at"],
        warn_at=row["warn_at"],
        warned_at=row["warned_at"],
        breached_at=row["breached_at"],
        ended_at=row["ended_at"],
        escalate_to=row["escalate_to"],
        warn_share=row["warn_share"],
    )


async def insert_clock(conn: Conn, clock: Clock, *, fire_at: datetime | None) -> int:
    """Store a new clock; its id. Raises UniqueViolationError if one of its kind is live."""
    clock_id: int = await conn.fetchval(
        INSERT_CLOCK,
        clock.ticket_id,
        clock.case_id,
        clock.kind.value,
        clock.step,
        clock.state.value,
        clock.mode.value,
        clock.target_seconds,
        clock.used_seconds,
        clock.started_at,
        clock.running_since,
        clock.due_at,
        clock.warn_at,
        clock.escalate_to,
        clock.warn_share,
        fire_at,
    )
    return clock_id


async def save_clocks(conn: Conn, changed: list[tuple[Clock, datetime | None]]) -> None:
    """Write the changed clocks (each with its next fire time) in one statement."""
    if not changed:
        return
    columns: list[list[Any]] = [[] for _ in range(10)]
    for clock, fire_at in changed:
        values = (
            clock.id,
            clock.state.value,
            clock.used_seconds,
            clock.running_since,
            clock.due_at,
            clock.warn_at,
            clock.warned_at,
            clock.breached_at,
            clock.ended_at,
            fire_at,
        )
        for column, value in zip(columns, values, strict=True):
            column.append(value)
    await conn.execute(SAVE_CLOCKS, *columns)


async def list_live_clocks(conn: Conn, ticket_id: UUID) -> list[Clock]:
    """The ticket's running and paused clocks, locked for the change that follows."""
    return [clock_from_row(r) for r in await conn.fetch(LIST_LIVE_CLOCKS, ticket_id)]


async def list_case_clocks(conn: Conn, case_id: int) -> list[Clock]:
    """A case's running and paused step clocks, locked."""
    return [clock_from_row(r) for r in await conn.fetch(LIST_CASE_CLOCKS, case_id)]


async def list_met_at(
    conn: Conn, ticket_id: UUID, ended_at: datetime, kinds: tuple[ClockKind, ...]
) -> list[Clock]:
    """The ticket's clocks of `kinds` met at exactly `ended_at`, locked."""
    rows = await conn.fetch(LIST_MET_AT, ticket_id, ended_at, [k.value for k in kinds])
    return [clock_from_row(r) for r in rows]


async def retime_candidates(
    conn: Conn, *, after_id: int, changed_at: datetime, limit: int
) -> list[tuple[int, UUID]]:
    """(clock id, ticket id) of running business clocks counting since `changed_at` or
    before, ids above `after_id`, at most `limit`; not locked."""
    rows = await conn.fetch(RETIME_CANDIDATES, after_id, changed_at, limit)
    return [(r["id"], r["ticket_id"]) for r in rows]


async def lock_for_retime(
    conn: Conn, ticket_ids: list[UUID], clock_ids: list[int], *, changed_at: datetime
) -> list[Clock]:
    """Lock the tickets, then those of the clocks still running on the old calendar."""
    await conn.execute(LOCK_TICKETS, sorted(set(ticket_ids)))
    return [clock_from_row(r) for r in await conn.fetch(LOCK_RETIME, clock_ids, changed_at)]


async def untimed_tickets(conn: Conn, *, limit: int) -> list[UUID]:
    """Active tickets without any clock, at most `limit`; serialised between processes
    starting together (a transaction-scoped advisory lock), so each gets its clocks once."""
    await conn.execute("SELECT pg_advisory_xact_lock(hashtext('clock_backfill'))")
    return [r["id"] for r in await conn.fetch(UNTIMED_TICKETS, limit)]


async def list_ticket_clocks(conn: Conn, ticket_id: UUID) -> list[Clock]:
    return [clock_from_row(r) for r in await conn.fetch(LIST_TICKET_CLOCKS, ticket_id)]


async def insert_events(
    conn: Conn, events: list[tuple[Clock, ClockEvent, datetime, dict[str, Any]]]
) -> set[tuple[int, ClockEvent]]:
    """Append events; the (clock id, event) pairs written — a warning or breach already
    recorded is left out (the unique index decides)."""
    if not events:
        return set()
    rows = await conn.fetch(
        INSERT_EVENTS,
        [clock.id for clock, *_ in events],
        [clock.ticket_id for clock, *_ in events],
        [event.value for _, event, *_ in events],
        [at for _, _, at, _ in events],
        [detail for *_, detail in events],
    )
    return {(row["clock_id"], ClockEvent(row["event"])) for row in rows}


async def list_events(conn: Conn, ticket_id: UUID) -> list[dict[str, Any]]:
    return [dict(row) for row in await conn.fetch(LIST_EVENTS, ticket_id)]


async def claim_due_tickets(
    conn: Conn, *, now: datetime, limit: int, window: int
) -> dict[UUID, dict[str, Any]]:
    """Up to `limit` tickets with a running clock whose fire time has come (among the
    earliest `window` due clocks), locked, with their number, assignee, priority and status;
    tickets another transaction holds are skipped."""
    rows = await conn.fetch(CLAIM_DUE_TICKETS, now, limit, window)
    return {r["id"]: dict(r) for r in rows}


async def lock_due_clocks(conn: Conn, ticket_ids: list[UUID], *, now: datetime) -> list[Clock]:
    """The claimed tickets' running clocks due at `now`, locked (the tickets are held)."""
    if not ticket_ids:
        return []
    return [clock_from_row(r) for r in await conn.fetch(LOCK_DUE_CLOCKS, ticket_ids, now)]


async def mark_fired(
    conn: Conn, fired: list[tuple[int, bool, bool, datetime | None]], *, now: datetime
) -> None:
    """Set warned_at / breached_at where still unset, and the next fire time."""
    if not fired:
        return
    await conn.execute(
        MARK_FIRED,
        [f[0] for f in fired],
        [f[1] for f in fired],
        [f[2] for f in fired],
        [f[3] for f in fired],
        now,
    )


async def next_fire_at(conn: Conn) -> datetime | None:
    value: datetime | None = await conn.fetchval(NEXT_FIRE_AT)
    return value


async def wake_timers(conn: Conn) -> None:
    """Tell the timers on commit that a sooner timer may be set."""
    await conn.execute("SELECT pg_notify($1, '')", NOTIFY_CHANNEL)


async def list_deadlines(
    conn: Conn, *, assignee_id: UUID | None, breached: bool, limit: int = 500
) -> list[tuple[Clock, dict[str, Any]]]:
    """Live clocks past their warning (not yet due) or past due, with their ticket's
    particulars; one assignee's or everyone's."""
    rows = await conn.fetch(DEADLINES, assignee_id, "breached" if breached else "warned", limit)
    return [
        (
            clock_from_row(r),
            {
                "ticket_number": r["number"],
                "subject": r["subject"],
                "customer_name": r["customer_name"],
                "assignee_id": r["assignee_id"],
                "assignee_name": r["assignee_name"],
                "key_account": r["account_key"],
                "priority": r["priority"],
            },
        )
        for r in rows
    ]
