"""Routing's service functions: which queue takes what (the engine joins here)."""

from __future__ import annotations

from contact_center.db import Conn
from contact_center.routing import store


async def queue_for_kind(conn: Conn, kind: str) -> str:
    """The queue a new ticket of this kind lands in: the queue that lists the kind, else the
    default queue."""
    return await store.queue_for_kind(conn, kind)


async def queue_exists(conn: Conn, name: str) -> bool:
    return await store.queue_exists(conn, name)
