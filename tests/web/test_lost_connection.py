"""A database connection killed under a request gives a retryable 503; the pool recovers."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
import pytest

from contact_center.config import Settings
from contact_center.db.pool import connection_lost
from contact_center.users import Role
from tests.builders import make_user, token_for
from tests.conftest import client_for

pytestmark = pytest.mark.commits


async def backend_waiting_on_lock(admin: asyncpg.Connection[Any]) -> int:
    for _ in range(100):
        pid = await admin.fetchval(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        if pid:
            return int(pid)
        await asyncio.sleep(0.05)
    raise AssertionError("the request never reached the database")


async def test_a_backend_terminated_under_a_request_gives_503_and_the_next_one_works(
    settings: Settings, pool: asyncpg.Pool[Any], database_dsn: str
) -> None:
    headers = await token_for(pool, await make_user(pool, Role.AGENT))
    admin = await asyncpg.connect(database_dsn)
    try:
        async with client_for(settings, pool) as client:
            assert (await client.get("/api/v1/tickets", headers=headers)).status == 200
            # Hold the request in the database, then kill its connection, as a failover,
            # an operator's pg_terminate_backend or a restart would.
            async with admin.transaction():
                await admin.execute("LOCK TABLE tickets IN ACCESS EXCLUSIVE MODE")
                pending = asyncio.create_task(client.get("/api/v1/tickets", headers=headers))
                victim = await backend_waiting_on_lock(admin)
                await admin.execute("SELECT pg_terminate_backend($1)", victim)
                response = await pending
            assert response.status == 503
            assert response.headers["Retry-After"] == "2"
            assert (await response.json())["error"]["code"] == "unavailable"

            # Every connection of the pool killed between requests: the next request still
            # works, because the pool drops dead connections and opens new ones.
            await admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            await asyncio.sleep(0.1)
            assert (await client.get("/api/v1/tickets", headers=headers)).status == 200
    finally:
        await admin.close()


def test_connection_loss_is_recognised_through_a_failed_rollback() -> None:
    try:
        try:
            raise asyncpg.AdminShutdownError("terminating connection due to administrator command")
        except asyncpg.PostgresError:
            raise asyncpg.InterfaceError("cannot call Transaction.rollback(): it is closed")  # noqa: B904
    except asyncpg.InterfaceError as exc:
        assert connection_lost(exc)
    assert connection_lost(asyncpg.InterfaceError("cannot perform operation: connection is closed"))
    assert connection_lost(ConnectionRefusedError(111, "Connection refused"))
    assert not connection_lost(asyncpg.QueryCanceledError("canceling statement due to timeout"))
    assert not connection_lost(asyncpg.InterfaceError("another operation is in progress"))
    assert not connection_lost(ValueError("no"))
