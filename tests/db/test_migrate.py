from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator

import asyncpg
import pytest
import pytest_asyncio

from contact_center.db.migrate import load_migrations, migrate
from tests.conftest import with_database


@pytest_asyncio.fixture
async def empty_database(server_dsn: str) -> AsyncIterator[str]:
    name = f"cc_empty_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(server_dsn)
    await admin.execute(f'CREATE DATABASE "{name}"')
    yield with_database(server_dsn, name)
    await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    await admin.close()


def test_migration_files_are_numbered_and_say_why() -> None:
    migrations = load_migrations()
    assert [m.version for m in migrations] == list(range(1, len(migrations) + 1))
    for migration in migrations:
        assert migration.sql.startswith("-- why:"), migration.name


@pytest.mark.commits
async def test_two_processes_migrating_at_once_apply_each_file_once(empty_database: str) -> None:
    first, second = await asyncio.gather(migrate(empty_database), migrate(empty_database))
    assert sorted(first + second) == [m.name for m in load_migrations()]
    assert await migrate(empty_database) == []
    conn = await asyncpg.connect(empty_database)
    try:
        recorded = await conn.fetchval("SELECT count(*) FROM schema_migrations")
        queue_ready = await conn.fetchval("SELECT to_regclass('pgqueuer') IS NOT NULL")
    finally:
        await conn.close()
    assert recorded == len(load_migrations()) and queue_ready
