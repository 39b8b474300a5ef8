"""Account values and tiers SQL: value entries, tier runs and their results, each account's tier
state (computed, override, hand flag) and the history of tier moves. Set-based throughout."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from contact_center.accounts.model import RunStanding, StoredValue, ValueEntry, ValueKind
from contact_center.db import Conn

VALUES_BY_SOURCE = """
SELECT source_id, organization_id, kind, amount, account_total, occurred_on
FROM account_values WHERE source_id = ANY($1::text[])
"""
UPSERT_VALUES = """
INSERT INTO account_values (source_id, organization_id, kind, amount, account_total,
                            occurred_on, imported_at, updated_at)
SELECT s, o, k, a, t, d, $7, $7
FROM unnest($1::text[], $2::uuid[], $3::text[], $4::numeric[], $5::numeric[], $6::date[])
     AS v(s, o, k, a, t, d)
ON CONFLICT (source_id) DO UPDATE SET
    organization_id = EXCLUDED.organization_id, kind = EXCLUDED.kind, amount = EXCLUDED.amount,
    account_total = EXCLUDED.account_total, occurred_on = EXCLUDED.occurred_on,
    updated_at = EXCLUDED.updated_at
"""
VALUE_TOTALS = """
SELECT organization_id, sum(amount) AS total FROM account_values
WHERE occurred_on >= $1 AND occurred_on <= $2 GROUP BY organization_id
"""
# One account's month sums in a window, from its own rows only (account_values_account_day:
# organization_id = $1 and the days $2..$3, both included). The same rows the run's
# VALUE_TOTALS sums for this account, so together they are its value in the window.
MONTH_SUMS = """
SELECT date_trunc('month', occurred_on)::date AS month, sum(amount) AS amount
FROM account_values
WHERE organization_id = $1 AND occurred_on >= $2 AND occurred_on <= $3
GROUP BY 1
"""
# How the last tier run counted the account ($1): no row when there was no run or the run gave
# it no positive value. The figures are the run's own rows (tier_run_results, one per account
# per run, read through its key (run_id, organization_id)), never the values: how many had
# positive value, what they held, and how many ranked above the account in the run's order
# (value, then id: tiering.classify).
RUN_STANDING = """
WITH run AS MATERIALIZED (
    SELECT id, ran_at, window_from, window_to FROM tier_runs ORDER BY ran_at DESC LIMIT 1
),
mine AS MATERIALIZED (
    SELECT run_id, organization_id, tier, value, share_before FROM tier_run_results
    WHERE run_id = (SELECT id FROM run) AND organization_id = $1 AND value > 0
)
SELECT run.id AS run_id, run.ran_at, run.window_from, run.window_to,
       mine.tier, mine.value, mine.share_before, f.accounts, f.positive_total, f.above
FROM run JOIN mine ON mine.run_id = run.id,
LATERAL (
    SELECT count(*) FILTER (WHERE r.value > 0) AS accounts,
           coalesce(sum(r.value) FILTER (WHERE r.value > 0), 0) AS positive_total,
           count(*) FILTER (WHERE r.value > mine.value
                            OR (r.value = mine.value AND r.organization_id < mine.organization_id))
               AS above
    FROM tier_run_results r WHERE r.run_id = mine.run_id
) f
"""
ENTRY_COLUMNS = "id, source_id, kind, amount, account_total, occurred_on, imported_at, updated_at"
# Newest first by day, then by id; a page after (day, id) starts strictly below it. Both walk
# account_values_account_day backwards from the account's newest (or the cursor's) day.
ENTRIES_FIRST = f"""
SELECT {ENTRY_COLUMNS} FROM account_values WHERE organization_id = $1
ORDER BY occurred_on DESC, id DESC LIMIT $2
"""
ENTRIES_AFTER = f"""
SELECT {ENTRY_COLUMNS} FROM account_values
WHERE organization_id = $1 AND occurred_on <= $3 AND (occurred_on < $3 OR id < $4)
ORDER BY occurred_on DESC, id DESC LIMIT $2
"""
INSERT_RUN = """
INSERT INTO tier_runs (trigger, actor_id, window_from, window_to, a_share, b_share, accounts,
                       moved, ran_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id
"""
INSERT_RESULTS = """
INSERT INTO tier_run_results (run_id, organization_id, tier, value, share_before)
SELECT $1, o, t, v, s FROM unnest($2::uuid[], $3::text[], $4::numeric[], $5::numeric[])
     AS r(o, t, v, s)
"""
STATE_COLUMNS = (
    "organization_id, computed_tier, override_tier, override_reason, override_by, override_at,"
    " key_by_hand"
)
STATES = f"SELECT {STATE_COLUMNS} FROM account_tier_states WHERE organization_id = ANY($1::uuid[])"
OVERRIDDEN = f"SELECT {STATE_COLUMNS} FROM account_tier_states WHERE override_tier IS NOT NULL"
HAND_FLAGGED = "SELECT organization_id FROM account_tier_states WHERE key_by_hand"
TIERED_BEFORE = "SELECT organization_id FROM account_tier_states WHERE computed_tier IS NOT NULL"
SET_COMPUTED = """
INSERT INTO account_tier_states (organization_id, computed_tier, computed_run_id)
SELECT o, t, $1 FROM unnest($2::uuid[], $3::text[]) AS c(o, t)
ON CONFLICT (organization_id) DO UPDATE
SET computed_tier = EXCLUDED.computed_tier, computed_run_id = EXCLUDED.computed_run_id
"""
SET_OVERRIDE = """
INSERT INTO account_tier_states (organization_id, override_tier, override_reason, override_by,
                                 override_at)
VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (organization_id) DO UPDATE
SET override_tier = $2, override_reason = $3, override_by = $4, override_at = $5
"""
SET_HAND_FLAG = """
INSERT INTO account_tier_states (organization_id, key_by_hand) VALUES ($1, $2)
ON CONFLICT (organization_id) DO UPDATE SET key_by_hand = $2
"""
INSERT_MOVES = """
INSERT INTO tier_moves (organization_id, from_tier, to_tier, reason, run_id, actor_id, moved_at)
SELECT o, f, t, r, $5, $6, $7
FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS m(o, f, t, r)
"""
MOVES_OF = """
SELECT m.id, m.organization_id, o.name AS account_name, m.from_tier, m.to_tier, m.reason,
       m.run_id, m.actor_id, u.name AS actor_name, m.moved_at
FROM tier_moves m JOIN organizations o ON o.id = m.organization_id
LEFT JOIN users u ON u.id = m.actor_id
WHERE ($1::uuid IS NULL OR m.organization_id = $1)
  AND ($2::uuid IS NULL OR o.account_manager_id = $2)
ORDER BY m.moved_at DESC, m.id DESC LIMIT $3
"""
LAST_RUN = "SELECT id, trigger, ran_at, accounts, moved FROM tier_runs ORDER BY ran_at DESC LIMIT 1"


async def values_by_source(conn: Conn, source_ids: list[str]) -> dict[str, Any]:
    return {r["source_id"]: r for r in await conn.fetch(VALUES_BY_SOURCE, source_ids)}


async def upsert_values(conn: Conn, entries: list[ValueEntry], now: datetime) -> None:
    if entries:
        await conn.execute(
            UPSERT_VALUES,
            [e.source_id for e in entries],
            [e.organization_id for e in entries],
            [e.kind.value for e in entries],
            [e.amount for e in entries],
            [e.account_total for e in entries],
            [e.occurred_on for e in entries],
            now,
        )


async def value_totals(conn: Conn, since: date, until: date) -> dict[UUID, Decimal]:
    return {r["organization_id"]: r["total"] for r in await conn.fetch(VALUE_TOTALS, since, until)}


async def month_sums(
    conn: Conn, organization_id: UUID, since: date, until: date
) -> dict[date, Decimal]:
    """First day of a month → the account's sum in it within `since`..`until` (both
    included); only the months with entries."""
    rows = await conn.fetch(MONTH_SUMS, organization_id, since, until)
    return {r["month"]: r["amount"] for r in rows}


async def last_run_standing(conn: Conn, organization_id: UUID) -> RunStanding | None:
    """How the last tier run counted the account; None when there was no run or the account
    had no positive value in it."""
    r = await conn.fetchrow(RUN_STANDING, organization_id)
    return None if r is None else RunStanding(**dict(r))


async def value_entries(
    conn: Conn, organization_id: UUID, *, limit: int, after: tuple[date, int] | None
) -> list[StoredValue]:
    """The account's entries newest first (day, then id), from just after `after`."""
    if after is None:
        rows = await conn.fetch(ENTRIES_FIRST, organization_id, limit)
    else:
        rows = await conn.fetch(ENTRIES_AFTER, organization_id, limit, *after)
    return [StoredValue(**{**dict(r), "kind": ValueKind(r["kind"])}) for r in rows]


async def insert_run(conn: Conn, **fields: Any) -> UUID:
    run_id: UUID = await conn.fetchval(
        INSERT_RUN,
        fields["trigger"],
        fields["actor_id"],
        fields["window_from"],
        fields["window_to"],
        fields["a_share"],
        fields["b_share"],
        fields["accounts"],
        fields["moved"],
        fields["ran_at"],
    )
    return run_id


async def insert_results(
    conn: Conn, run_id: UUID, rows: list[tuple[UUID, str, Decimal, Decimal]]
) -> None:
    if rows:
        await conn.execute(INSERT_RESULTS, run_id, *(list(col) for col in zip(*rows, strict=True)))


async def states(conn: Conn, ids: list[UUID]) -> dict[UUID, Any]:
    return {r["organization_id"]: r for r in await conn.fetch(STATES, ids)}


async def overridden(conn: Conn) -> dict[UUID, Any]:
    return {r["organization_id"]: r for r in await conn.fetch(OVERRIDDEN)}


async def tiered_before(conn: Conn) -> set[UUID]:
    """Accounts some earlier run gave a tier."""
    return {r["organization_id"] for r in await conn.fetch(TIERED_BEFORE)}


async def hand_flagged(conn: Conn) -> set[UUID]:
    return {r["organization_id"] for r in await conn.fetch(HAND_FLAGGED)}


async def set_computed(conn: Conn, run_id: UUID, tiers: dict[UUID, str]) -> None:
    ids = sorted(tiers, key=str)
    if ids:
        await conn.execute(SET_COMPUTED, run_id, ids, [tiers[i] for i in ids])


async def set_override(
    conn: Conn, org_id: UUID, tier: str | None, reason: str, by: UUID | None, at: datetime | None
) -> None:
    await conn.execute(SET_OVERRIDE, org_id, tier, reason, by, at)


async def set_hand_flag(conn: Conn, org_id: UUID, flagged: bool) -> None:
    await conn.execute(SET_HAND_FLAG, org_id, flagged)


async def insert_moves(
    conn: Conn,
    moves: list[tuple[UUID, str | None, str | None, str]],
    *,
    run_id: UUID | None,
    actor_id: UUID | None,
    at: datetime,
) -> None:
    if moves:
        cols = [list(col) for col in zip(*moves, strict=True)]
        await conn.execute(INSERT_MOVES, *cols, run_id, actor_id, at)


async def moves(
    conn: Conn, *, organization_id: UUID | None, manager_id: UUID | None, limit: int
) -> list[Any]:
    return list(await conn.fetch(MOVES_OF, organization_id, manager_id, limit))


async def last_run(conn: Conn) -> Any:
    return await conn.fetchrow(LAST_RUN)


KEY_ACCOUNTS = """
SELECT o.id, o.name, o.personal, o.tier, o.lifecycle_stage, o.account_manager_id,
       coalesce(nullif(u.name, ''), u.email) AS manager_name,
       s.computed_tier, s.override_tier, coalesce(s.key_by_hand, false) AS key_by_hand,
       (SELECT count(*) FROM account_tasks t
        WHERE t.organization_id = o.id AND t.state = 'open')::int AS open_tasks,
       count(*) OVER () AS total
FROM organizations o
LEFT JOIN users u ON u.id = o.account_manager_id
LEFT JOIN account_tier_states s ON s.organization_id = o.id
WHERE o.is_key_account AND ($1::uuid IS NULL OR o.account_manager_id = $1)
ORDER BY o.tier NULLS LAST, o.name, o.id LIMIT $2 OFFSET $3
"""
KEY_ACCOUNTS_COUNT = """
SELECT count(*) FROM organizations
WHERE is_key_account AND ($1::uuid IS NULL OR account_manager_id = $1)
"""
TIER_CARD = """
SELECT o.id, o.tier, o.is_key_account, s.computed_tier, s.override_tier, s.override_reason,
       s.override_at, coalesce(nullif(u.name, ''), u.email) AS override_by_name,
       coalesce(s.key_by_hand, false) AS key_by_hand
FROM organizations o
LEFT JOIN account_tier_states s ON s.organization_id = o.id
LEFT JOIN users u ON u.id = s.override_by
WHERE o.id = $1
"""
MANAGERS = """
SELECT id, coalesce(nullif(name, ''), email) AS name FROM users
WHERE role = 'account_manager' AND active ORDER BY 2, id
"""


async def key_accounts(
    conn: Conn, manager_id: UUID | None, limit: int, offset: int
) -> tuple[list[Any], int]:
    """One page of key accounts and how many there are in all."""
    rows = list(await conn.fetch(KEY_ACCOUNTS, manager_id, limit, offset))
    if rows:
        return rows, int(rows[0]["total"])
    return rows, int(await conn.fetchval(KEY_ACCOUNTS_COUNT, manager_id))


async def tier_card(conn: Conn, org_id: UUID) -> Any:
    return await conn.fetchrow(TIER_CARD, org_id)


async def managers(conn: Conn) -> list[Any]:
    return list(await conn.fetch(MANAGERS))


LAST_SCHEDULED = "SELECT max(ran_at) FROM tier_runs WHERE trigger = 'scheduled'"


async def last_scheduled_at(conn: Conn) -> datetime | None:
    at: datetime | None = await conn.fetchval(LAST_SCHEDULED)
    return at


# One run at a time: a second waits for the first instead of moving accounts twice.
RUN_LOCK = 0x7469657273  # "tiers"


async def lock_runs(conn: Conn) -> None:
    await conn.execute("SELECT pg_advisory_xact_lock($1)", RUN_LOCK)


async def set_run_moved(conn: Conn, run_id: UUID, moved: int) -> None:
    await conn.execute("UPDATE tier_runs SET moved = $2 WHERE id = $1", run_id, moved)
