"""Both daily jobs over 10,000 key accounts stay set-based: a small, fixed number of
statements, not one per account. Counting statements (not time) catches a per-row round trip
on any machine."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from contact_center.accounts import run_health, run_stages
from contact_center.db import Conn, Pool

NOW = datetime(2026, 12, 5, 3, 0, tzinfo=UTC)
ACCOUNTS = 10_000
# What both jobs may send in all, whatever the number of accounts (37 today); one statement
# per account would be 10,000 more.
STATEMENTS = 50


async def test_ten_thousand_key_accounts(db: Pool, conn: Conn) -> None:
    await conn.execute(
        "INSERT INTO organizations (name, tier, is_key_account, created_at, updated_at)"
        " SELECT 'Scale ' || n, 'A', true, $1::timestamptz - n * interval '1 hour', $1"
        " FROM generate_series(1, $2::int) n",
        NOW,
        ACCOUNTS,
    )
    # Two orders each, a third of them long ago (those go dormant or lost).
    await conn.execute(
        "INSERT INTO account_values (source_id, organization_id, kind, amount, account_total,"
        " occurred_on, imported_at, updated_at)"
        " SELECT 'scale-' || o.id || '-' || k, o.id, 'transaction', 100 + k * 10,"
        "        CASE WHEN k = 1 THEN 1000 END,"
        "        date '2026-12-01' - (k * 40 + (row_number() OVER (ORDER BY o.id)) % 3 * 150)::int,"
        "        $1, $1"
        " FROM organizations o, generate_series(1, 2) k WHERE o.name LIKE 'Scale %'",
        NOW,
    )
    sent: list[str] = []

    def count(query: Any) -> None:
        sent.append(query.query)

    conn.add_query_logger(count)
    try:
        stages = await run_stages(db, now=NOW)
        health = await run_health(db, now=NOW)
    finally:
        conn.remove_query_logger(count)
    assert stages.accounts >= ACCOUNTS and health.accounts >= ACCOUNTS
    assert stages.reactivations_opened > 1000  # every dormant key account got its task
    rows = await conn.fetchval("SELECT count(*) FROM account_health WHERE day = '2026-12-05'")
    assert rows >= ACCOUNTS
    assert len(sent) <= STATEMENTS, f"{len(sent)} statements for {ACCOUNTS} accounts"
