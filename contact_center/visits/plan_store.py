"""The planner's inputs read set-based: managers' profiles and leave, accounts to visit, open
requests and the visits already booked; also the calendar feed tokens."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from uuid import UUID

from contact_center.db import Conn

MANAGERS = """
SELECT u.id, coalesce(u.name, u.email) AS name, p.start_latitude, p.start_longitude,
    p.hours_start, p.hours_end, coalesce(p.weekdays, '{1,2,3,4,5}') AS weekdays, p.capacity,
    coalesce(p.version, 0) AS version,
    coalesce((SELECT array_agg(l.day ORDER BY l.day) FROM visit_leave l
        WHERE l.manager_id = u.id AND l.day >= $2), '{}') AS leave
FROM users u LEFT JOIN visit_profiles p ON p.manager_id = u.id
WHERE u.active AND ($1::uuid[] IS NULL OR u.id = ANY($1))
  AND (u.role = 'account_manager'
       OR EXISTS (SELECT 1 FROM organizations o WHERE o.account_manager_id = u.id))
ORDER BY u.id
"""
# A request the planner places: one waiting, and one riding on a visit still to come, so that
# when that visit must move (leave, a full day) its request finds a day within its own days
# again instead of following the visit past them.
OPEN_REQUEST = """(r.state = 'requested' OR (r.state = 'planned' AND EXISTS (
    SELECT 1 FROM visits v WHERE v.request_id = r.id AND v.state = 'planned'
        AND v.day >= $2::date)))"""
# Accounts with a manager that are visited regularly (key or a tier with a cadence) or have an
# open request; the last visit done counts the cadence.
ACCOUNTS = f"""
SELECT o.id, o.account_manager_id, o.tier, o.is_key_account, o.route_weekday, o.latitude,
    o.longitude, a.window_start, a.window_end, a.visit_minutes,
    (SELECT max(v.day) FROM visits v WHERE v.organization_id = o.id AND v.state = 'done')
        AS last_visit
FROM organizations o LEFT JOIN visit_accounts a ON a.organization_id = o.id
WHERE o.account_manager_id IS NOT NULL AND NOT o.personal
  AND ($1::uuid[] IS NULL OR o.account_manager_id = ANY($1))
  AND (o.is_key_account OR o.tier = ANY($3::text[])
       OR EXISTS (SELECT 1 FROM visit_requests r
                  WHERE r.organization_id = o.id AND {OPEN_REQUEST}))
ORDER BY o.id
"""
REQUESTS = f"""
SELECT r.id, r.organization_id, o.account_manager_id, r.requested_at, r.due_by
FROM visit_requests r JOIN organizations o ON o.id = r.organization_id
WHERE {OPEN_REQUEST} AND o.account_manager_id IS NOT NULL
  AND ($1::uuid[] IS NULL OR o.account_manager_id = ANY($1))
ORDER BY r.id
"""
# The planned managers' visits and every visit of their accounts whatever its manager: an
# account that changed hands keeps its former manager's visits in view (they count, or go).
# A visit whose reminder went out is fixed for the planner, as if pinned: its contact expects it.
BOOKED = """
SELECT v.id, v.organization_id, v.manager_id, v.day, v.kind, v.state,
    v.pinned OR v.reminder_outbound_id IS NOT NULL AS pinned, v.request_id, o.account_manager_id
FROM visits v JOIN organizations o ON o.id = v.organization_id
WHERE v.day >= $2 AND (v.state IN ('planned', 'confirmed', 'done', 'missed')
    -- cancelled by a person: the planner leaves that week's regular visit out
    OR (v.state = 'cancelled' AND v.cancel_reason <> 'replanned'))
  AND ($1::uuid[] IS NULL OR v.manager_id = ANY($1) OR o.account_manager_id = ANY($1))
ORDER BY v.id
"""


async def manager_ids(conn: Conn) -> set[UUID]:
    """Everyone the planner plans for (the MANAGERS rule): active account managers and active
    users who own accounts."""
    rows = await conn.fetch(
        """SELECT u.id FROM users u WHERE u.active AND (u.role = 'account_manager'
            OR EXISTS (SELECT 1 FROM organizations o WHERE o.account_manager_id = u.id))"""
    )
    return {r["id"] for r in rows}


def _ids(manager_ids: Sequence[UUID] | None) -> list[UUID] | None:
    return None if manager_ids is None else list(manager_ids)


async def managers(conn: Conn, manager_ids: Sequence[UUID] | None, today: date) -> list[Any]:
    return list(await conn.fetch(MANAGERS, _ids(manager_ids), today))


async def accounts(
    conn: Conn, manager_ids: Sequence[UUID] | None, cadence_tiers: Sequence[str], today: date
) -> list[Any]:
    return list(await conn.fetch(ACCOUNTS, _ids(manager_ids), today, list(cadence_tiers)))


async def requests(conn: Conn, manager_ids: Sequence[UUID] | None, today: date) -> list[Any]:
    return list(await conn.fetch(REQUESTS, _ids(manager_ids), today))


async def booked(conn: Conn, manager_ids: Sequence[UUID] | None, today: date) -> list[Any]:
    return list(await conn.fetch(BOOKED, _ids(manager_ids), today))


async def mark_requests_planned(conn: Conn, ids: Sequence[UUID]) -> None:
    """Requests that a live visit now carries: one the plan meant but could not write waits."""
    await conn.execute(
        """UPDATE visit_requests r SET state = 'planned' WHERE r.id = ANY($1::uuid[])
        AND r.state = 'requested' AND EXISTS (SELECT 1 FROM visits v WHERE v.request_id = r.id
            AND v.state IN ('planned', 'confirmed', 'done'))""",
        list(ids),
    )


async def reopen_requests(conn: Conn, ids: Sequence[UUID]) -> None:
    """Requests whose visit was dropped wait for the planner again."""
    await conn.execute(
        "UPDATE visit_requests SET state = 'requested' WHERE id = ANY($1::uuid[])"
        " AND state = 'planned'",
        list(ids),
    )


async def lock_planning(conn: Conn) -> None:
    """One plan writer at a time: the nightly plan, a queued re-plan and a supervisor's."""
    await conn.execute("SELECT pg_advisory_xact_lock(hashtext('visit-plan'))")


# Profiles, leave and feeds.


async def is_user(conn: Conn, user_id: UUID) -> bool:
    return bool(await conn.fetchval("SELECT EXISTS (SELECT 1 FROM users WHERE id = $1)", user_id))


async def profile(conn: Conn, manager_id: UUID) -> Any:
    return await conn.fetchrow("SELECT * FROM visit_profiles WHERE manager_id = $1", manager_id)


async def save_profile(conn: Conn, manager_id: UUID, values: dict[str, Any], now: datetime) -> Any:
    return await conn.fetchrow(
        """INSERT INTO visit_profiles (manager_id, start_latitude, start_longitude, hours_start,
            hours_end, weekdays, capacity, updated_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
        ON CONFLICT (manager_id) DO UPDATE SET start_latitude = $2, start_longitude = $3,
            hours_start = $4, hours_end = $5, weekdays = $6, capacity = $7,
            version = visit_profiles.version + 1, updated_at = $8
        RETURNING *""",
        manager_id,
        values["start_latitude"],
        values["start_longitude"],
        values["hours_start"],
        values["hours_end"],
        values["weekdays"],
        values["capacity"],
        now,
    )


async def leave_days(conn: Conn, manager_id: UUID, since: date) -> list[Any]:
    return list(
        await conn.fetch(
            "SELECT day, note FROM visit_leave WHERE manager_id = $1 AND day >= $2 ORDER BY day",
            manager_id,
            since,
        )
    )


async def add_leave(conn: Conn, manager_id: UUID, day: date, note: str, now: datetime) -> bool:
    status = await conn.execute(
        "INSERT INTO visit_leave (manager_id, day, note, created_at) VALUES ($1, $2, $3, $4)"
        " ON CONFLICT DO NOTHING",
        manager_id,
        day,
        note,
        now,
    )
    return str(status).endswith(" 1")


async def remove_leave(conn: Conn, manager_id: UUID, day: date) -> bool:
    status = await conn.execute(
        "DELETE FROM visit_leave WHERE manager_id = $1 AND day = $2", manager_id, day
    )
    return str(status).endswith(" 1")


async def feed_token(conn: Conn, manager_id: UUID) -> str | None:
    token: str | None = await conn.fetchval(
        "SELECT token FROM calendar_feeds WHERE manager_id = $1", manager_id
    )
    return token


async def set_feed_token(conn: Conn, manager_id: UUID, token: str, now: datetime) -> None:
    await conn.execute(
        "INSERT INTO calendar_feeds (manager_id, token, created_at) VALUES ($1, $2, $3)"
        " ON CONFLICT (manager_id) DO UPDATE SET token = $2, created_at = $3",
        manager_id,
        token,
        now,
    )


async def feed_manager(conn: Conn, token: str) -> UUID | None:
    """The feed's manager while they still plan visits: an active user who is an account
    manager or owns accounts (a feed outlives neither deactivation nor a change of role)."""
    found: UUID | None = await conn.fetchval(
        """SELECT f.manager_id FROM calendar_feeds f JOIN users u ON u.id = f.manager_id
        WHERE f.token = $1 AND u.active AND (u.role = 'account_manager'
            OR EXISTS (SELECT 1 FROM organizations o WHERE o.account_manager_id = u.id))""",
        token,
    )
    return found


async def save_account_visit(
    conn: Conn,
    organization_id: UUID,
    window: tuple[Any, Any] | None,
    visit_minutes: int | None,
    now: datetime,
) -> None:
    await conn.execute(
        """INSERT INTO visit_accounts (organization_id, window_start, window_end, visit_minutes,
            updated_at) VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (organization_id) DO UPDATE SET window_start = $2, window_end = $3,
            visit_minutes = $4, updated_at = $5""",
        organization_id,
        window[0] if window else None,
        window[1] if window else None,
        visit_minutes,
        now,
    )


async def account_manager(conn: Conn, organization_id: UUID) -> UUID | None:
    found: UUID | None = await conn.fetchval(
        "SELECT account_manager_id FROM organizations WHERE id = $1", organization_id
    )
    return found


async def account_tiers(conn: Conn, organization_ids: Sequence[UUID]) -> dict[UUID, Any]:
    rows = await conn.fetch(
        "SELECT id, tier, is_key_account FROM organizations WHERE id = ANY($1::uuid[])",
        list(organization_ids),
    )
    return {r["id"]: r for r in rows}
