"""SQL for the queues table: its settings (read and written by the queues' administration) and
the look-ups of which queue takes what."""

from __future__ import annotations

from typing import Any

import asyncpg

from contact_center.db import Conn
from contact_center.errors import Conflict, NotFound
from contact_center.routing.model import Queue, Strategy

COLUMNS = (
    "name, label, kinds, is_default, skills, hours, strategy, wait_limit_seconds,"
    " service_level_seconds, step_seconds, overflow_queue"
)
# One writer of queue settings at a time, so the rules among queues (one default, a kind in
# one queue, no overflow circle) are checked against the set as it stands. Readers, and tickets
# referring to a queue, are not held up. The number is this lock's own (see db/migrate.py).
QUEUES_LOCK_KEY = 0x71756575
LIST_QUEUES = f"SELECT {COLUMNS} FROM queues ORDER BY name"
FIND_QUEUE = f"SELECT {COLUMNS} FROM queues WHERE name = $1"
INSERT_QUEUE = f"""
INSERT INTO queues ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
ON CONFLICT (name) DO NOTHING RETURNING name
"""
UPDATE_QUEUE = """
UPDATE queues SET name = $2, label = $3, kinds = $4, is_default = $5, skills = $6, hours = $7,
    strategy = $8, wait_limit_seconds = $9, service_level_seconds = $10, step_seconds = $11,
    overflow_queue = $12, updated_at = now()
WHERE name = $1
"""
# The default flag moves: the old default loses it first (queues_one_default_idx).
CLEAR_DEFAULT = """
UPDATE queues SET is_default = false, updated_at = now() WHERE is_default AND name <> $1
RETURNING name
"""
REFERENCES = """
SELECT (SELECT count(*) FROM tickets WHERE queue = $1) AS tickets,
       (SELECT count(*) FROM users WHERE $1 = ANY(queues)) AS users,
       (SELECT count(*) FROM queues WHERE overflow_queue = $1) AS overflows
"""


def _queue(row: asyncpg.Record) -> Queue:
    return Queue(
        name=row["name"],
        label=row["label"],
        kinds=list(row["kinds"]),
        is_default=row["is_default"],
        skills=list(row["skills"]),
        hours=row["hours"],
        strategy=Strategy(row["strategy"]),
        wait_limit_seconds=row["wait_limit_seconds"],
        service_level_seconds=row["service_level_seconds"],
        step_seconds=row["step_seconds"],
        overflow_queue=row["overflow_queue"],
    )


def _values(queue: Queue) -> tuple[Any, ...]:
    return (
        queue.label,
        queue.kinds,
        queue.is_default,
        queue.skills,
        queue.hours,
        str(queue.strategy),
        queue.wait_limit_seconds,
        queue.service_level_seconds,
        queue.step_seconds,
        queue.overflow_queue,
    )


async def lock_queues(conn: Conn) -> None:
    """Wait for other writers of queue settings; held until the transaction ends."""
    await conn.execute("SELECT pg_advisory_xact_lock($1)", QUEUES_LOCK_KEY)


async def list_queues(conn: Conn) -> list[Queue]:
    return [_queue(row) for row in await conn.fetch(LIST_QUEUES)]


async def find_queue(conn: Conn, name: str) -> Queue | None:
    row = await conn.fetchrow(FIND_QUEUE, name)
    return _queue(row) if row is not None else None


async def get_queue(conn: Conn, name: str) -> Queue:
    queue = await find_queue(conn, name)
    if queue is None:
        raise NotFound(f"no such queue: {name}", field="name")
    return queue


async def insert_queue(conn: Conn, queue: Queue) -> None:
    """Conflict when a queue of that name exists."""
    if await conn.fetchval(INSERT_QUEUE, queue.name, *_values(queue)) is None:
        raise Conflict(f"a queue named {queue.name} exists", field="name")


async def update_queue(conn: Conn, name: str, queue: Queue) -> None:
    """Write every setting of the queue `name` (its name too). A rename that a row of another
    table refers to without following it (a foreign key without ON UPDATE CASCADE) is a
    Conflict; tickets follow a rename, so the caller checks them first."""
    try:
        async with conn.transaction():
            await conn.execute(UPDATE_QUEUE, name, queue.name, *_values(queue))
    except asyncpg.ForeignKeyViolationError:
        raise Conflict(
            f"queue {name} is still referred to, so its name cannot change", field="name"
        ) from None


async def clear_default(conn: Conn, *, keep: str) -> list[str]:
    """Take the default flag from every queue but `keep`; the names that had it."""
    return [row["name"] for row in await conn.fetch(CLEAR_DEFAULT, keep)]


async def count_references(conn: Conn, name: str) -> dict[str, int]:
    """How many tickets, users (their queue lists) and queues (overflow) name this queue."""
    row = await conn.fetchrow(REFERENCES, name)
    assert row is not None
    return {key: int(row[key]) for key in ("tickets", "users", "overflows")}


# The queue that takes this ticket kind, else the default queue.
QUEUE_FOR_KIND = """
SELECT name FROM queues WHERE $1 = ANY(kinds) OR is_default
ORDER BY ($1 = ANY(kinds)) DESC, name LIMIT 1
"""


async def queue_for_kind(conn: Conn, kind: str) -> str:
    name = await conn.fetchval(QUEUE_FOR_KIND, kind)
    return str(name) if name is not None else "general"


async def queue_exists(conn: Conn, name: str) -> bool:
    return bool(await conn.fetchval("SELECT EXISTS (SELECT 1 FROM queues WHERE name = $1)", name))


async def queue_skills(conn: Conn, name: str) -> list[str] | None:
    """The skills a queue asks of its agents; None for no such queue."""
    skills: list[str] | None = await conn.fetchval(
        "SELECT skills FROM queues WHERE name = $1", name
    )
    return skills
