"""Both daily jobs over 10,000 key accounts stay set-based: a few statements, not one per
account (a per-account round trip would take far longer than the bound here)."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from contact_center.accounts import run_health, run_stages
from contact_center.db import Conn, Pool

NOW = datetime(2026, 12, 5, 3, 0, tzinfo=UTC)
ACCOUNTS = 10_000


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
    started = time.perf_counter()
    stages = await run_stages(db, now=NOW)
    health = await run_health(db, now=NOW)
    elapsed = time.perf_counter() - started
    assert stages.accounts >= ACCOUNTS and health.accounts >= ACCOUNTS
    assert stages.reactivations_opened > 1000  # every dormant key account got its task
    rows = await conn.fetchval("SELECT count(*) FROM account_health WHERE day = '2026-12-05'")
    assert rows >= ACCOUNTS
    assert elapsed < 30, f"the jobs took {elapsed:.1f} s for {ACCOUNTS} accounts"
