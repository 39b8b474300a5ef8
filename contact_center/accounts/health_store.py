"""Lifecycle and health SQL: value facts per account, lifecycle history and the daily health
rows (the reactivation tasks are `task_store`'s). Every statement covers all accounts at once."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any
from uuid import UUID

from contact_center.db import Conn

# $1 the window's first day (value share), $2 the first day of the last 12 months, $3 today.
VALUE_FACTS = """
SELECT organization_id,
       max(occurred_on) FILTER (WHERE amount > 0) AS last_order_on,
       min(occurred_on) FILTER (WHERE amount > 0) AS first_order_on,
       count(DISTINCT date_trunc('month', occurred_on))
           FILTER (WHERE amount > 0 AND occurred_on >= $2) AS order_months,
       coalesce(sum(amount) FILTER (WHERE occurred_on >= $1), 0) AS value,
       coalesce(sum(amount) FILTER (WHERE occurred_on >= $1 AND account_total IS NOT NULL), 0)
           AS known_amount,
       coalesce(sum(account_total) FILTER (WHERE occurred_on >= $1), 0) AS known_total
FROM account_values WHERE occurred_on <= $3
GROUP BY organization_id
"""
INSERT_CHANGES = """
INSERT INTO lifecycle_changes (organization_id, from_stage, to_stage, last_activity_on,
                               changed_at)
SELECT u.org, u.before, u.after, u.last_on, $5
FROM unnest($1::uuid[], $2::text[], $3::text[], $4::date[]) AS u(org, before, after, last_on)
"""
CHANGES_OF = """
SELECT from_stage, to_stage, last_activity_on, changed_at FROM lifecycle_changes
WHERE organization_id = $1 ORDER BY changed_at DESC, id DESC LIMIT $2
"""
UPSERT_HEALTH = """
INSERT INTO account_health (organization_id, day, satisfaction, loyalty, contribution,
                            contribution_rank, dependency, details, computed_at)
SELECT u.org, $8, u.sat, u.loy, u.con, u.rank, u.dep, u.details::jsonb, $9
FROM unnest($1::uuid[], $2::numeric[], $3::numeric[], $4::numeric[], $5::int[],
            $6::numeric[], $7::text[]) AS u(org, sat, loy, con, rank, dep, details)
ON CONFLICT (organization_id, day) DO UPDATE SET
    satisfaction = EXCLUDED.satisfaction, loyalty = EXCLUDED.loyalty,
    contribution = EXCLUDED.contribution, contribution_rank = EXCLUDED.contribution_rank,
    dependency = EXCLUDED.dependency, details = EXCLUDED.details,
    computed_at = EXCLUDED.computed_at
"""
HISTORY = """
SELECT day, satisfaction, loyalty, contribution, contribution_rank, dependency, details
FROM account_health WHERE organization_id = $1 AND day >= $2 ORDER BY day
"""


async def value_facts(conn: Conn, *, window_from: date, year_from: date, today: date) -> list[Any]:
    return list(await conn.fetch(VALUE_FACTS, window_from, year_from, today))


async def insert_changes(
    conn: Conn, rows: list[tuple[UUID, str, str, date | None]], now: datetime
) -> None:
    if rows:
        orgs, befores, afters, days = (list(col) for col in zip(*rows, strict=True))
        await conn.execute(INSERT_CHANGES, orgs, befores, afters, days, now)


async def changes_of(conn: Conn, organization_id: UUID, limit: int) -> list[Any]:
    return list(await conn.fetch(CHANGES_OF, organization_id, limit))


async def upsert_health(
    conn: Conn, rows: list[tuple[Any, ...]], *, day: date, now: datetime
) -> int:
    """rows: (organization, satisfaction, loyalty, contribution, rank, dependency, details)."""
    if not rows:
        return 0
    cols = [list(col) for col in zip(*rows, strict=True)]
    cols[6] = [json.dumps(d, sort_keys=True) for d in cols[6]]
    await conn.execute(UPSERT_HEALTH, *cols, day, now)
    return len(rows)


async def history(conn: Conn, organization_id: UUID, since: date) -> list[Any]:
    return list(await conn.fetch(HISTORY, organization_id, since))
