"""The asyncpg pool, with JSON codecs, and the protocol every pool-like object meets."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias

import asyncpg

if TYPE_CHECKING:
    from asyncpg.pool import PoolConnectionProxy

    # A pooled connection is a proxy with the same methods as a plain connection.
    Conn: TypeAlias = asyncpg.Connection[Any] | PoolConnectionProxy[Any]
else:
    Conn = asyncpg.Connection


class Acquired(Protocol):
    async def __aenter__(self) -> Conn: ...

    async def __aexit__(self, *exc_info: Any) -> Any: ...


class Pool(Protocol):
    """What services need from a pool; tests pass a wrapper around one connection."""

    def acquire(self) -> Acquired: ...


async def init_connection(conn: Conn) -> None:
    for name in ("json", "jsonb"):
        await conn.set_type_codec(name, encoder=json.dumps, decoder=json.loads, schema="pg_catalog")


async def create_pool(dsn: str, *, min_size: int = 2, max_size: int = 10) -> asyncpg.Pool[Any]:
    pool = await asyncpg.create_pool(
        dsn, min_size=min_size, max_size=max_size, init=init_connection, command_timeout=60
    )
    assert pool is not None
    return pool
