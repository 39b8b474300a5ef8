"""Migration 0027 on data shaped like the old schema: account values on customers move to their
organization (the organization's own value wins) or to a new personal account."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest
import pytest_asyncio

from contact_center.db.migrate import load_migrations
from tests.conftest import with_database

ACCOUNTS = 27


@pytest_asyncio.fixture
async def old_schema(server_dsn: str) -> AsyncIterator[asyncpg.Connection[Any]]:
    """A database migrated up to 0026, before accounts had one owner."""
    name = f"cc_accounts_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(server_dsn)
    await admin.execute(f'CREATE DATABASE "{name}"')
    conn = await asyncpg.connect(with_database(server_dsn, name))
    for migration in load_migrations():
        if migration.version < ACCOUNTS:
            await conn.execute(migration.sql)
    yield conn
    await conn.close()
    await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    await admin.close()


async def _apply_accounts(conn: asyncpg.Connection[Any]) -> None:
    (migration,) = [m for m in load_migrations() if m.version == ACCOUNTS]
    await conn.execute(migration.sql)


async def _user(conn: asyncpg.Connection[Any], email: str) -> Any:
    return await conn.fetchval(
        "INSERT INTO users (email, name, role, password_hash) VALUES ($1, $1, 'agent', 'x')"
        " RETURNING id",
        email,
    )


async def _customer(conn: asyncpg.Connection[Any], name: str, **columns: Any) -> Any:
    names = ["name", *columns]
    places = ", ".join(f"${n}" for n in range(1, len(names) + 1))
    # column names come from the test's own keywords, never from input
    return await conn.fetchval(
        f"INSERT INTO customers ({', '.join(names)}) VALUES ({places}) RETURNING id",  # noqa: S608
        name,
        *columns.values(),
    )


async def _account_of(conn: asyncpg.Connection[Any], customer_id: Any) -> dict[str, Any]:
    row = await conn.fetchrow(
        "SELECT o.* FROM customers c JOIN organizations o ON o.id = c.organization_id"
        " WHERE c.id = $1",
        customer_id,
    )
    assert row is not None
    return dict(row)


@pytest.mark.commits
async def test_lone_customers_get_personal_accounts_with_their_values(
    old_schema: asyncpg.Connection[Any],
) -> None:
    conn = old_schema
    manager = await _user(conn, "manager@example.com")
    lone = await _customer(
        conn,
        "Lone Buyer",
        tier="A",
        is_key_account=True,
        account_manager_id=manager,
        route_territory="North",
        route_weekday=3,
        latitude=40.7,
        longitude=-74.0,
        lifecycle_stage="dormant",
    )
    survivor = await _customer(conn, "Survivor")
    merged = await _customer(conn, "Merged Away", tier="B", merged_into_id=survivor)
    ticket = await conn.fetchval(
        "INSERT INTO tickets (subject, customer_id, channel) VALUES ('Hi', $1, 'sms') RETURNING id",
        lone,
    )
    await _apply_accounts(conn)

    account = await _account_of(conn, lone)
    assert account["personal"] and account["name"] == "Lone Buyer"
    assert (account["tier"], account["is_key_account"]) == ("A", True)
    assert account["account_manager_id"] == manager
    assert (account["route_territory"], account["route_weekday"]) == ("North", 3)
    assert (account["latitude"], account["longitude"]) == (40.7, -74.0)
    assert account["lifecycle_stage"] == "dormant"
    merged_account = await _account_of(conn, merged)
    assert merged_account["personal"] and merged_account["tier"] == "B"
    assert (await _account_of(conn, survivor))["id"] != merged_account["id"]
    assert await conn.fetchrow(
        "SELECT account_tier, account_key FROM tickets WHERE id = $1", ticket
    ) == ("A", True)
    nullable = await conn.fetchval(
        "SELECT is_nullable FROM information_schema.columns"
        " WHERE table_name = 'customers' AND column_name = 'organization_id'"
    )
    gone = await conn.fetchval(
        "SELECT count(*) FROM information_schema.columns WHERE table_name = 'customers'"
        " AND column_name IN ('tier', 'is_key_account', 'account_manager_id', 'route_territory',"
        " 'route_weekday', 'latitude', 'longitude', 'lifecycle_stage')"
    )
    assert (nullable, gone) == ("NO", 0)


@pytest.mark.commits
async def test_members_fill_only_what_their_organization_leaves_empty(
    old_schema: asyncpg.Connection[Any],
) -> None:
    conn = old_schema
    first_manager = await _user(conn, "first@example.com")
    other_manager = await _user(conn, "other@example.com")
    org = await conn.fetchval(
        "INSERT INTO organizations (name, tier, route_weekday) VALUES ('Harbour Foods', 'C', 2)"
        " RETURNING id"
    )
    empty_org = await conn.fetchval(
        "INSERT INTO organizations (name) VALUES ('Quiet Traders') RETURNING id"
    )
    ticket_customer = await _customer(
        conn,
        "Own Tier",
        organization_id=org,
        tier="A",
        account_manager_id=first_manager,
        route_territory="East",
        latitude=1.5,
        longitude=2.5,
    )
    await _customer(
        conn,
        "Later Member",
        organization_id=org,
        is_key_account=True,
        account_manager_id=other_manager,
        latitude=9.0,
        longitude=9.0,
    )
    await _customer(conn, "Empty Member", organization_id=empty_org)
    ticket = await conn.fetchval(
        "INSERT INTO tickets (subject, customer_id, channel) VALUES ('Hi', $1, 'sms') RETURNING id",
        ticket_customer,
    )
    assert await conn.fetchrow(
        "SELECT account_tier, account_key FROM tickets WHERE id = $1", ticket
    ) == ("A", False)
    await _apply_accounts(conn)

    account = await _account_of(conn, ticket_customer)
    assert account["id"] == org and not account["personal"]
    assert account["tier"] == "C"  # the organization's own value wins
    assert account["is_key_account"]  # a member was a key account
    assert account["account_manager_id"] == first_manager  # the oldest member's
    assert (account["route_territory"], account["route_weekday"]) == ("", 2)  # its own route
    assert (account["latitude"], account["longitude"]) == (1.5, 2.5)
    assert await conn.fetchrow(
        "SELECT account_tier, account_key FROM tickets WHERE id = $1", ticket
    ) == ("C", True)
    quiet = await conn.fetchrow("SELECT * FROM organizations WHERE id = $1", empty_org)
    assert quiet is not None and quiet["tier"] is None and not quiet["is_key_account"]
    assert await conn.fetchval("SELECT count(*) FROM organizations WHERE personal") == 0
