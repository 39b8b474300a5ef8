"""Logging in under attack: atomic counting, growing delays, and the owner still gets in."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import asyncpg
import pytest

from contact_center import users
from contact_center.db import create_pool
from contact_center.errors import TooManyAttempts, Unauthorized
from contact_center.timeutil import utc_now
from contact_center.users import Argon2Cost, Passwords, Role, Session
from tests.builders import PASSWORD, TEST_PASSWORDS, make_user

pytestmark = pytest.mark.commits
TTL = timedelta(hours=1)


async def attempt(
    pool: Any, email: str, password: str, remote: str, *, at: Any = None
) -> Session | Exception:
    try:
        return await users.log_in(
            pool,
            email=email,
            password=password,
            remote=remote,
            now=at or utc_now(),
            ttl=TTL,
            passwords=TEST_PASSWORDS,
        )
    except (Unauthorized, TooManyAttempts) as exc:
        return exc


async def burst(pool: Any, email: str, remotes: list[str]) -> list[Session | Exception]:
    return await asyncio.gather(*(attempt(pool, email, "wrong guess", r) for r in remotes))


async def account_failures(pool: asyncpg.Pool[Any], email: str) -> int:
    async with pool.acquire() as conn:
        return int(
            await conn.fetchval(
                "SELECT failures FROM login_throttles WHERE scope = 'account' AND key = $1", email
            )
        )


async def test_concurrent_wrong_logins_never_pass_the_account_cap(
    pool: asyncpg.Pool[Any],
) -> None:
    user = await make_user(pool, Role.AGENT)
    results = await burst(pool, user.email, [f"198.51.100.{i}" for i in range(150)])
    wrong = sum(isinstance(r, Unauthorized) for r in results)
    held = sum(isinstance(r, TooManyAttempts) for r in results)
    assert (wrong, held) == (100, 50)
    assert await account_failures(pool, user.email) == 100


async def test_the_owner_logs_in_from_another_address_while_one_address_attacks(
    pool: asyncpg.Pool[Any],
) -> None:
    user = await make_user(pool, Role.AGENT)
    results = await burst(pool, user.email, ["203.0.113.9"] * 150)
    # Five free, then doubling delays from 1 s: a slow machine may see a delay or two expire.
    assert sum(isinstance(r, Unauthorized) for r in results) <= 8
    assert isinstance(await attempt(pool, user.email, PASSWORD, "192.0.2.44"), Session)


async def test_an_address_that_logged_in_before_gets_past_the_account_cap(
    pool: asyncpg.Pool[Any],
) -> None:
    user = await make_user(pool, Role.AGENT)
    assert isinstance(await attempt(pool, user.email, PASSWORD, "192.0.2.45"), Session)
    await burst(pool, user.email, [f"198.51.101.{i}" for i in range(150)])
    assert isinstance(await attempt(pool, user.email, PASSWORD, "192.0.2.45"), Session)
    stranger = await attempt(pool, user.email, PASSWORD, "192.0.2.46")
    assert isinstance(stranger, TooManyAttempts)
    assert 0 < stranger.retry_after <= 3600


async def test_each_wait_is_longer_than_the_last(pool: asyncpg.Pool[Any]) -> None:
    user = await make_user(pool, Role.AGENT)
    at = utc_now()
    for _ in range(6):
        assert isinstance(await attempt(pool, user.email, "wrong", "192.0.2.47", at=at), Exception)
    waits = []
    for _ in range(5):
        held = await attempt(pool, user.email, "wrong", "192.0.2.47", at=at)
        assert isinstance(held, TooManyAttempts)
        waits.append(held.retry_after)
        at += timedelta(seconds=held.retry_after)
        assert isinstance(
            await attempt(pool, user.email, "wrong", "192.0.2.47", at=at), Unauthorized
        )
    assert waits == [1, 2, 4, 8, 16]


async def test_a_login_rehashes_a_password_made_at_another_cost(pool: asyncpg.Pool[Any]) -> None:
    user = await make_user(pool, Role.AGENT)
    stronger = Passwords(Argon2Cost(time_cost=2, memory_kib=16, parallelism=1))
    session = await users.log_in(
        pool,
        email=user.email,
        password=PASSWORD,
        remote="192.0.2.48",
        now=utc_now(),
        ttl=TTL,
        passwords=stronger,
    )
    assert session.user.id == user.id
    async with pool.acquire() as conn:
        stored = await conn.fetchval("SELECT password_hash FROM users WHERE id = $1", user.id)
    assert "t=2" in stored and not stronger.needs_rehash(stored)


async def test_the_hourly_purge_forgets_idle_counters_but_not_trusted_addresses(
    pool: asyncpg.Pool[Any],
) -> None:
    user = await make_user(pool, Role.AGENT)
    long_ago = utc_now() - timedelta(hours=2)
    assert isinstance(
        await attempt(pool, user.email, "wrong", "192.0.2.49", at=long_ago), Unauthorized
    )
    assert isinstance(await attempt(pool, user.email, PASSWORD, "192.0.2.50", at=long_ago), Session)
    await users.purge_expired_sessions(pool, now=utc_now())
    async with pool.acquire() as conn:
        kept = await conn.fetch(
            "SELECT scope, key FROM login_throttles WHERE key LIKE $1", f"{user.email}%"
        )
    assert [(r["scope"], r["key"]) for r in kept] == [("pair", f"{user.email}\n192.0.2.50")]


async def test_logins_queued_on_one_account_leave_connections_for_other_requests(
    database_dsn: str,
) -> None:
    """A burst for one account waits on that account's counter row; while it waits, other
    requests (webhooks above all) still get a pooled connection at once."""
    user_pool = await create_pool(database_dsn, min_size=1, max_size=2)
    small = await create_pool(database_dsn, min_size=1, max_size=5)
    try:
        user = await make_user(user_pool, Role.AGENT)
        async with user_pool.acquire() as holder, holder.transaction():
            # Holds the account's counter row, as the logins ahead in a burst do in turn.
            await holder.execute(
                "INSERT INTO login_throttles (scope, key) VALUES ('account', $1)"
                " ON CONFLICT (scope, key) DO UPDATE SET failures = 0",
                user.email,
            )
            logins = asyncio.gather(
                *(attempt(small, user.email, "wrong guess", f"198.51.100.{i}") for i in range(20))
            )
            await asyncio.sleep(0.5)
            async with asyncio.timeout(2):
                async with small.acquire() as conn:
                    assert await conn.fetchval("SELECT 1") == 1
        results = await logins
        assert all(isinstance(r, Unauthorized) for r in results)
    finally:
        await small.close()
        await user_pool.close()
