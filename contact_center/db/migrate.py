"""Apply migrations/NNNN_*.sql in order, once each, under an advisory lock.

Two processes starting at once both call `migrate`; the lock makes the second wait and then
find nothing left to do. The job queue library's own tables are installed (or upgraded) last,
under the same lock, by the library itself.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

import asyncpg
from pgqueuer import Queries

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
MIGRATION_LOCK_KEY = 0x63635F6D  # "cc_m": any fixed bigint shared by every process
NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")

CREATE_TABLE = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY,
    name text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
)"""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def load_migrations(folder: Path = MIGRATIONS_DIR) -> list[Migration]:
    found = []
    for path in sorted(folder.glob("*.sql")):
        match = NAME.match(path.name)
        if match is None:
            raise ValueError(f"migration file not named NNNN_name.sql: {path.name}")
        found.append(Migration(int(match.group(1)), path.name, path.read_text("utf-8")))
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise ValueError("two migration files share a number")
    return found


async def migrate(dsn: str) -> list[str]:
    """Bring the database at `dsn` up to date; returns the names of the files applied."""
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK_KEY)
        try:
            applied = await _apply_pending(conn)
            await _install_job_queue(conn)
        finally:
            await conn.execute("SELECT pg_advisory_unlock($1)", MIGRATION_LOCK_KEY)
    finally:
        await conn.close()
    return applied


async def _apply_pending(conn: asyncpg.Connection) -> list[str]:
    await conn.execute(CREATE_TABLE)
    done = {r["version"] for r in await conn.fetch("SELECT version FROM schema_migrations")}
    applied = []
    for migration in load_migrations():
        if migration.version in done:
            continue
        log.info("applying migration %s", migration.name)
        async with conn.transaction():
            await conn.execute(migration.sql)
            await conn.execute(
                "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                migration.version,
                migration.name,
            )
        applied.append(migration.name)
    return applied


async def _install_job_queue(conn: asyncpg.Connection) -> None:
    queries = Queries.from_asyncpg_connection(conn)
    if await queries.schema_is_installed():
        await queries.upgrade()
    else:
        await queries.install()
