"""`async with transaction(pool) as conn:` — only service functions open one.

Inside an outer transaction on the same connection, asyncpg makes it a savepoint.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from contact_center.db.pool import Conn, Pool


@asynccontextmanager
async def transaction(pool: Pool) -> AsyncIterator[Conn]:
    async with pool.acquire() as conn, conn.transaction():
        yield conn
