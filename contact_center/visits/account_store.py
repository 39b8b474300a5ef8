"""Visits' SQL seen per account: satisfaction scores, overdue accounts, next and last visit."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from contact_center.db import Conn


async def satisfaction(conn: Conn, since: date) -> dict[UUID, list[int]]:
    rows = await conn.fetch(
        """SELECT organization_id, array_agg(satisfaction ORDER BY day, id) AS scores
        FROM visits WHERE state = 'done' AND satisfaction IS NOT NULL AND day >= $1
        GROUP BY organization_id""",
        since,
    )
    return {r["organization_id"]: list(r["scores"]) for r in rows}


async def last_done(conn: Conn, until: date) -> dict[UUID, date]:
    """Each account's last visit done on or before `until` (activity for lifecycle stages)."""
    rows = await conn.fetch(
        """SELECT organization_id, max(day) AS last_day FROM visits
        WHERE state = 'done' AND day <= $1 GROUP BY organization_id""",
        until,
    )
    return {r["organization_id"]: r["last_day"] for r in rows}


# Accounts visited regularly whose last visit done is older than their cadence plus grace.
# One never visited counts from its first visit on the plan (a new key account whose first
# visit is next week is not late yet); one with no visit at all on the plan is late.
# $2/$3: tiers and their cadence in days; $4: key accounts' days.
OVERDUE = """
SELECT o.id AS organization_id, o.name AS account_name, o.account_manager_id AS manager_id,
    o.tier, o.is_key_account, c.days AS cadence_days, d.last_visit,
    (SELECT min(v.day) FROM visits v WHERE v.organization_id = o.id
        AND v.state IN ('planned', 'confirmed') AND v.day >= $1) AS next_visit
FROM organizations o
CROSS JOIN LATERAL (
    SELECT CASE WHEN o.is_key_account THEN $4::int
        ELSE (SELECT t.days FROM unnest($2::text[], $3::int[]) AS t(tier, days)
              WHERE t.tier = o.tier) END AS days) c
LEFT JOIN LATERAL (SELECT max(v.day) FILTER (WHERE v.state = 'done') AS last_visit,
    min(v.day) AS first_visit FROM visits v WHERE v.organization_id = o.id) d ON true
WHERE c.days IS NOT NULL AND NOT o.personal AND o.account_manager_id IS NOT NULL
  AND ($5::uuid IS NULL OR o.account_manager_id = $5)
  AND ($6::uuid IS NULL OR o.id = $6)
  AND (coalesce(d.last_visit, d.first_visit) IS NULL
       OR coalesce(d.last_visit, d.first_visit) < $1 - c.days - $7::int)
ORDER BY d.last_visit NULLS FIRST, o.name, o.id
LIMIT $8
"""


async def overdue(
    conn: Conn,
    *,
    today: date,
    cadence: dict[str, int],
    key_days: int | None,
    grace_days: int,
    manager_id: UUID | None = None,
    organization_id: UUID | None = None,
    limit: int = 1000,
) -> list[Any]:
    tiers = sorted(cadence)
    return list(
        await conn.fetch(
            OVERDUE,
            today,
            tiers,
            [cadence[t] for t in tiers],
            key_days,
            manager_id,
            organization_id,
            grace_days,
            limit,
        )
    )


async def account_days(conn: Conn, organization_id: UUID, today: date) -> Any:
    return await conn.fetchrow(
        """SELECT
            (SELECT min(day) FROM visits WHERE organization_id = $1
                AND state IN ('planned', 'confirmed') AND day >= $2) AS next_visit,
            (SELECT max(day) FROM visits WHERE organization_id = $1 AND state = 'done')
                AS last_visit""",
        organization_id,
        today,
    )
