"""Routing's SQL: queues (and, with the engine, agents, work items and offers)."""

from __future__ import annotations

from contact_center.db import Conn

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
