"""`contact-center import values FILE.csv` and `worker --run-once account-tier-run`."""

from __future__ import annotations

from pathlib import Path

import pytest

from contact_center.db.pool import create_pool
from tests.builders import make_organization
from tests.cli.test_commands import run

pytestmark = pytest.mark.commits


async def test_import_values_twice_then_the_scheduled_run(
    database_dsn: str, tmp_path: Path
) -> None:
    pool = await create_pool(database_dsn, max_size=2)
    try:
        org_id = (await make_organization(pool, "东方物流")).id
    finally:
        await pool.close()
    source = tmp_path / "values.csv"
    source.write_bytes(
        "\ufeffsource_id;account;kind;amount;date\n"
        'cli-1;东方物流;transaction;"1.250,00";2026-11-03\n'
        "cli-2;nobody;transaction;5;2026-11-03\n".encode()
    )
    first = run(database_dsn, "import", "values", str(source), check=False)
    assert first.returncode == 1
    assert "created 1, updated 0, unchanged 0, rejected 1" in first.stdout
    assert "line 3: no such account: nobody" in first.stderr
    second = run(database_dsn, "import", "values", str(source), check=False)
    assert "created 0, updated 0, unchanged 1, rejected 1" in second.stdout

    ran = run(database_dsn, "worker", "--run-once", "account-tier-run").stdout
    assert ran.startswith("account-tier-run:") and "moved" in ran
    again = run(database_dsn, "worker", "--run-once", "account-tier-run").stdout
    assert "not due" in again  # monthly: once per month
    pool = await create_pool(database_dsn, max_size=2)
    try:
        assert await pool.fetchval("SELECT tier FROM organizations WHERE id = $1", org_id) == "A"
    finally:
        await pool.close()
