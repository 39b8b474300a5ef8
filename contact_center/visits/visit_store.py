"""Visits' SQL: the plan's rows, their records and the views screens read."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from uuid import UUID

from contact_center.db import Conn
from contact_center.visits.model import Visit, VisitKind, VisitState

COLUMNS = (
    "v.id, v.organization_id, v.manager_id, v.day, v.kind, v.state, v.pinned, v.request_id,"
    " v.sequence, v.arrives_at, v.leaves_at, v.outcome_notes, v.next_steps, v.satisfaction,"
    " v.recorded_at, v.recorded_by, v.version, v.created_at, v.updated_at"
)
# What a screen shows beside the visit: the account, its manager, where and when it may be
# visited, why, and the reminder's fate.
VIEW_COLUMNS = f"""{COLUMNS},
    o.name AS account_name, coalesce(u.name, u.email) AS manager_name, o.address,
    o.latitude, o.longitude,
    coalesce(a.window_start, $W0::time) AS window_start,
    coalesce(a.window_end, $W1::time) AS window_end,
    coalesce(a.visit_minutes, $WM::int) AS duration_minutes,
    coalesce(r.reason, 'cadence') AS reason, coalesce(r.note, '') AS request_note,
    v.cancel_reason, v.reminder_at, v.reminder_skip, ob.status AS reminder_status"""
VIEW_FROM = """FROM visits v
    JOIN organizations o ON o.id = v.organization_id
    JOIN users u ON u.id = v.manager_id
    LEFT JOIN visit_accounts a ON a.organization_id = v.organization_id
    LEFT JOIN visit_requests r ON r.id = v.request_id
    LEFT JOIN outbound_messages ob ON ob.id = v.reminder_outbound_id"""


def visit_of(row: Any) -> Visit:
    return Visit(
        id=row["id"],
        organization_id=row["organization_id"],
        manager_id=row["manager_id"],
        day=row["day"],
        kind=VisitKind(row["kind"]),
        state=VisitState(row["state"]),
        pinned=row["pinned"],
        request_id=row["request_id"],
        sequence=row["sequence"],
        arrives_at=row["arrives_at"],
        leaves_at=row["leaves_at"],
        outcome_notes=row["outcome_notes"],
        next_steps=row["next_steps"],
        satisfaction=row["satisfaction"],
        recorded_at=row["recorded_at"],
        recorded_by=row["recorded_by"],
        version=row["version"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def _view_sql(where: str, defaults: tuple[str, str, int], first: int) -> tuple[str, list[Any]]:
    """The view query with the site's default window and length as parameters first..first+2."""
    sql = (
        VIEW_COLUMNS.replace("$W0", f"${first}")
        .replace("$W1", f"${first + 1}")
        .replace("$WM", f"${first + 2}")
    )
    return f"SELECT {sql} {VIEW_FROM} WHERE {where}", list(defaults)


async def view_rows(
    conn: Conn,
    defaults: tuple[Any, Any, int],
    *,
    manager_id: UUID | None,
    first: date,
    last: date,
    states: Sequence[str] | None = None,
) -> list[Any]:
    where = "v.day BETWEEN $1 AND $2 AND ($3::uuid IS NULL OR v.manager_id = $3)"
    where += " AND ($4::text[] IS NULL OR v.state = ANY($4))"
    sql, extra = _view_sql(where, defaults, 5)
    sql += " ORDER BY v.day, v.manager_id, v.sequence NULLS LAST, o.name, v.id"
    return list(await conn.fetch(sql, first, last, manager_id, states, *extra))


async def view_row(conn: Conn, defaults: tuple[Any, Any, int], visit_id: UUID) -> Any:
    sql, extra = _view_sql("v.id = $1", defaults, 2)
    return await conn.fetchrow(sql, visit_id, *extra)


async def missed_rows(conn: Conn, defaults: tuple[Any, Any, int], since: date) -> list[Any]:
    """Missed visits since `since`, newest first, with whether a make-up visit is live."""
    sql, extra = _view_sql("v.state = 'missed' AND v.day >= $1", defaults, 2)
    return list(await conn.fetch(sql + " ORDER BY v.day DESC, v.id LIMIT 500", since, *extra))


async def lock_visit(conn: Conn, visit_id: UUID) -> Visit | None:
    row = await conn.fetchrow(
        f"SELECT {COLUMNS} FROM visits v WHERE v.id = $1 FOR UPDATE", visit_id
    )
    return visit_of(row) if row else None


async def record_outcome(
    conn: Conn,
    visit_id: UUID,
    *,
    state: VisitState,
    notes: str,
    next_steps: str,
    satisfaction: int | None,
    by: UUID | None,
    now: datetime,
) -> Visit:
    row = await conn.fetchrow(
        f"""UPDATE visits v SET state = $2, outcome_notes = $3, next_steps = $4,
            satisfaction = $5, recorded_at = $6, recorded_by = $7, version = version + 1,
            updated_at = $6
        WHERE v.id = $1 RETURNING {COLUMNS}""",
        visit_id,
        state.value,
        notes,
        next_steps,
        satisfaction,
        now,
        by,
    )
    return visit_of(row)


async def move(conn: Conn, visit_id: UUID, day: date, now: datetime) -> Visit:
    row = await conn.fetchrow(
        f"""UPDATE visits v SET day = $2, pinned = true, sequence = NULL, arrives_at = NULL,
            leaves_at = NULL, reminder_at = NULL, reminder_skip = NULL,
            reminder_outbound_id = NULL, version = version + 1, updated_at = $3
        WHERE v.id = $1 RETURNING {COLUMNS}""",
        visit_id,
        day,
        now,
    )
    return visit_of(row)


async def set_times(
    conn: Conn,
    ids: Sequence[UUID],
    sequences: Sequence[int],
    arrives: Sequence[datetime | None],
    leaves: Sequence[datetime | None],
    now: datetime,
) -> None:
    """A day's new order and times, set-based. The version moves only when something did. A
    visit whose reminder went out keeps the time its contact was told."""
    await conn.execute(
        """UPDATE visits v SET sequence = n.seq, arrives_at = n.arr, leaves_at = n.lea,
            version = version + 1, updated_at = $5
        FROM unnest($1::uuid[], $2::int[], $3::timestamptz[], $4::timestamptz[])
            AS n(id, seq, arr, lea)
        WHERE v.id = n.id AND v.reminder_outbound_id IS NULL
            AND (v.sequence IS DISTINCT FROM n.seq
            OR v.arrives_at IS DISTINCT FROM n.arr OR v.leaves_at IS DISTINCT FROM n.lea)""",
        list(ids),
        list(sequences),
        list(arrives),
        list(leaves),
        now,
    )


async def insert_many(
    conn: Conn,
    rows: Sequence[tuple[UUID, UUID, date, str, UUID | None]],
    now: datetime,
) -> list[tuple[UUID, UUID, date]]:
    """New planned visits (organization, manager, day, kind, request); their ids."""
    if not rows:
        return []
    found = await conn.fetch(
        """INSERT INTO visits (organization_id, manager_id, day, kind, request_id, created_at,
            updated_at)
        SELECT o, m, d, k, r, $6, $6
        FROM unnest($1::uuid[], $2::uuid[], $3::date[], $4::text[], $5::uuid[]) AS n(o, m, d, k, r)
        ON CONFLICT DO NOTHING
        RETURNING id, manager_id, day""",
        [r[0] for r in rows],
        [r[1] for r in rows],
        [r[2] for r in rows],
        [r[3] for r in rows],
        [r[4] for r in rows],
        now,
    )
    return [(r["id"], r["manager_id"], r["day"]) for r in found]


async def redate_many(conn: Conn, ids: Sequence[UUID], days: Sequence[date], now: datetime) -> None:
    """The planner moves only what it may: a visit recorded, confirmed or pinned meanwhile stays."""
    await conn.execute(
        """UPDATE visits v SET day = n.d, sequence = NULL, arrives_at = NULL, leaves_at = NULL,
            reminder_at = NULL, reminder_skip = NULL, reminder_outbound_id = NULL,
            version = version + 1, updated_at = $3
        FROM unnest($1::uuid[], $2::date[]) AS n(id, d) WHERE v.id = n.id AND v.day <> n.d
            AND v.state = 'planned' AND NOT v.pinned AND v.reminder_outbound_id IS NULL""",
        list(ids),
        list(days),
        now,
    )


async def cancel_many(
    conn: Conn, ids: Sequence[UUID], reason: str, now: datetime
) -> list[tuple[UUID, UUID, date]]:
    found = await conn.fetch(
        """UPDATE visits SET state = 'cancelled', cancel_reason = $2, version = version + 1,
            updated_at = $3
        WHERE id = ANY($1::uuid[]) AND state = 'planned' RETURNING id, manager_id, day""",
        list(ids),
        reason,
        now,
    )
    return [(r["id"], r["manager_id"], r["day"]) for r in found]


async def overdue_outcomes(conn: Conn, before: date) -> list[Any]:
    """Planned or confirmed visits of days before `before` that nobody recorded, locked."""
    return list(
        await conn.fetch(
            f"SELECT {COLUMNS} FROM visits v WHERE v.state IN ('planned', 'confirmed')"
            " AND v.day < $1 ORDER BY v.day, v.id FOR UPDATE SKIP LOCKED",
            before,
        )
    )


async def mark_missed(conn: Conn, ids: list[UUID], now: datetime) -> list[Visit]:
    rows = await conn.fetch(
        f"""UPDATE visits v SET state = 'missed', recorded_at = $2, version = version + 1,
            updated_at = $2 WHERE v.id = ANY($1::uuid[]) RETURNING {COLUMNS}""",
        ids,
        now,
    )
    return [visit_of(r) for r in rows]


async def reminders_due(conn: Conn, day: date, limit: int) -> list[Any]:
    """Live visits of `day` not yet reminded, locked (another worker skips them)."""
    return list(
        await conn.fetch(
            f"""SELECT {COLUMNS}, o.name AS account_name FROM visits v
            JOIN organizations o ON o.id = v.organization_id
            WHERE v.day = $1 AND v.state IN ('planned', 'confirmed') AND v.reminder_at IS NULL
            ORDER BY v.arrives_at NULLS LAST, v.id LIMIT $2 FOR UPDATE OF v SKIP LOCKED""",
            day,
            limit,
        )
    )


async def mark_missed_window(conn: Conn, today: date, now: datetime) -> list[UUID]:
    """Live visits of today or before that no reminder went to (the worker was down the
    evening before, or the visit came too late): recorded as skipped, `missed_window`."""
    rows = await conn.fetch(
        """UPDATE visits v SET reminder_at = $2, reminder_skip = 'missed_window'
        WHERE v.day <= $1 AND v.state IN ('planned', 'confirmed') AND v.reminder_at IS NULL
        RETURNING v.id""",
        today,
        now,
    )
    return [r["id"] for r in rows]


async def mark_reminded(
    conn: Conn,
    ids: Sequence[UUID],
    outbound_ids: Sequence[UUID | None],
    skips: Sequence[str | None],
    now: datetime,
) -> None:
    await conn.execute(
        """UPDATE visits v SET reminder_at = $4, reminder_outbound_id = n.ob,
            reminder_skip = n.skip
        FROM unnest($1::uuid[], $2::uuid[], $3::text[]) AS n(id, ob, skip) WHERE v.id = n.id""",
        list(ids),
        list(outbound_ids),
        list(skips),
        now,
    )


async def carry_requests(
    conn: Conn,
    ids: Sequence[UUID],
    request_ids: Sequence[UUID | None],
    kinds: Sequence[str],
    now: datetime,
) -> None:
    """Booked visits that now carry a request (or another kind); only still-planned, unpinned
    ones, as the planner read them."""
    await conn.execute(
        """UPDATE visits v SET request_id = n.r, kind = n.k, version = version + 1, updated_at = $4
        FROM unnest($1::uuid[], $2::uuid[], $3::text[]) AS n(id, r, k) WHERE v.id = n.id
            AND v.state = 'planned' AND NOT v.pinned AND v.reminder_outbound_id IS NULL""",
        list(ids),
        list(request_ids),
        list(kinds),
        now,
    )
