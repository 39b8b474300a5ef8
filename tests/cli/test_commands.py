"""The `contact-center` command, run as a real process against the module's database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
import pytest

from contact_center import customers
from contact_center.db.pool import create_pool

pytestmark = pytest.mark.commits


def run(dsn: str, *args: str, check: bool = True, **env: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "contact_center", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "DATABASE_URL": dsn, "LOG_LEVEL": "WARNING", **env},
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


def test_a_bad_setting_is_named_and_stops_the_command(database_dsn: str) -> None:
    result = run(database_dsn, "migrate", check=False, SITE_TIMEZONE="Nowhere/Land")
    assert result.returncode == 2
    assert "SITE_TIMEZONE" in result.stderr


async def test_demo_users_tokens_and_export(database_dsn: str, tmp_path: Path) -> None:
    assert "migration" in run(database_dsn, "migrate").stdout
    demo = run(database_dsn, "demo").stdout
    assert "demo data loaded: 300 customers" in demo and "admin@example.com" in demo
    assert "nothing loaded" in run(database_dsn, "demo").stdout

    created = run(
        database_dsn,
        "user",
        "create",
        "--email",
        "lead@example.com",
        "--role",
        "supervisor",
        "--password",
        "a long password",
    )
    assert "supervisor lead@example.com" in created.stdout
    twin = run(
        database_dsn,
        "user",
        "create",
        "--email",
        "lead@example.com",
        "--role",
        "agent",
        "--password",
        "a long password",
        check=False,
    )
    assert twin.returncode == 1 and "already exists" in twin.stderr
    token = run(database_dsn, "token", "create", "--email", "admin@example.com").stdout.strip()
    assert token.startswith("cc_")

    conn = await asyncpg.connect(database_dsn)
    try:
        customer_id = await conn.fetchval(
            "SELECT customer_id FROM tickets ORDER BY created_at LIMIT 1"
        )
        counts = await conn.fetchrow(
            "SELECT (SELECT count(*) FROM tickets) AS tickets, "
            "(SELECT count(DISTINCT kind) FROM tickets) AS kinds"
        )
    finally:
        await conn.close()
    assert counts["tickets"] >= 50 and counts["kinds"] >= 3
    pool = await create_pool(database_dsn)
    try:  # people who wrote in again from a work address, for the duplicates page
        suggestions = await customers.list_duplicate_suggestions(pool, limit=20)
    finally:
        await pool.close()
    assert len(suggestions.suggestions) >= 4
    exported = json.loads(run(database_dsn, "export", "customer", str(customer_id)).stdout)
    assert exported["customer"]["id"] == str(customer_id)
    assert exported["tickets"] and exported["tickets"][0]["messages"]
    assert exported["inbound_contacts"]


def test_import_prints_a_summary_and_fails_on_refused_rows(
    database_dsn: str, tmp_path: Path
) -> None:
    source = tmp_path / "people.csv"
    source.write_text(
        "name,phones,emails\nRowan Hale,+1 303 555 0142,rowan@example.org\nNo Phone,99,\n"
    )
    result = run(database_dsn, "import", "customers", str(source), check=False)
    assert result.returncode == 1
    assert "imported 1 customer(s), 1 row(s) refused" in result.stdout
    assert (
        (tmp_path / "people.csv.errors.csv").read_text().splitlines()[1].startswith("3,phones[0],")
    )


def test_worker_runs_one_job_on_demand(database_dsn: str) -> None:
    assert run(database_dsn, "worker", "--run-once", "session-purge").stdout.startswith(
        "session-purge:"
    )
    scanned = run(database_dsn, "worker", "--run-once", "deadline-scan").stdout
    assert scanned.startswith("deadline-scan: Fired(")  # the timers' safety net, on demand
    unknown = run(database_dsn, "worker", "--run-once", "no-such-job", check=False)
    assert unknown.returncode == 1 and "known jobs: session-purge" in unknown.stderr


async def test_serve_answers_health_and_stops_on_sigterm(
    database_dsn: str, unused_tcp_port: int, unused_tcp_port_factory: Any
) -> None:
    import asyncio

    # Its own SMTP port, so a service already running on this machine does not fail the test.
    smtp_port = str(unused_tcp_port_factory())

    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "contact_center",
        "serve",
        "--port",
        str(unused_tcp_port),
        env={
            **os.environ,
            "DATABASE_URL": database_dsn,
            "LOG_LEVEL": "INFO",
            "INBOUND_SMTP_PORT": smtp_port,
        },
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        status: Any = None
        async with aiohttp.ClientSession() as session:
            for _ in range(100):
                try:
                    async with session.get(
                        f"http://127.0.0.1:{unused_tcp_port}/healthz"
                    ) as response:
                        status = response.status
                        break
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.2)
        assert status == 200
    finally:
        process.terminate()
        _, stderr = await asyncio.wait_for(process.communicate(), 20)
        assert process.returncode == 0
    # One line says the service stopped and what it stopped.
    assert "stopped: web server on" in stderr.decode()
    assert "inbound SMTP on" in stderr.decode()
