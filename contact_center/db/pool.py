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


# The server went away, is starting or stopping, or is full: the same request a moment later
# can succeed. Not here: statement timeouts and cancels (57014), which a retry repeats.
UNAVAILABLE: tuple[type[BaseException], ...] = (
    OSError,  # refused, reset, or the embedded server's socket file missing
    TimeoutError,  # connecting took too long
    asyncpg.PostgresConnectionError,  # class 08
    asyncpg.AdminShutdownError,  # 57P01: pg_terminate_backend, fast shutdown
    asyncpg.CrashShutdownError,  # 57P02: another backend crashed
    asyncpg.CannotConnectNowError,  # 57P03: starting up or shutting down
    asyncpg.TooManyConnectionsError,  # 53300
    asyncpg.ConnectionDoesNotExistError,  # "connection was closed in the middle of operation"
)
CLOSED_WORDS = ("connection is closed", "connection was closed", "pool is closing")


def connection_lost(exc: BaseException) -> bool:
    """Whether `exc`, or what it was raised while handling, means the database is unreachable
    for now. A transaction whose connection died fails again at rollback, so the chain counts."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, UNAVAILABLE):
            return True
        if isinstance(current, asyncpg.InterfaceError) and any(
            words in str(current) for words in CLOSED_WORDS
        ):
            return True
        current = current.__cause__ or current.__context__
    return False


async def init_connection(conn: Conn) -> None:
    for name in ("json", "jsonb"):
        await conn.set_type_codec(name, encoder=json.dumps, decoder=json.loads, schema="pg_catalog")


async def create_pool(dsn: str, *, min_size: int = 2, max_size: int = 10) -> asyncpg.Pool[Any]:
    pool = await asyncpg.create_pool(
        dsn, min_size=min_size, max_size=max_size, init=init_connection, command_timeout=60
    )
    assert pool is not None
    return pool
