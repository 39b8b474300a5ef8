"""Shared fixtures: one PostgreSQL server per run, a migrated template database, a fresh
database per test module, and a connection per test inside a rolled-back transaction."""

from __future__ import annotations

import asyncio
import os
import secrets
import tempfile
from collections.abc import AsyncIterator, Generator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest
import pytest_asyncio
from aiohttp.test_utils import TestClient, TestServer

from contact_center import site
from contact_center.app import create_app
from contact_center.cli import install_workflows
from contact_center.config import Secret, Settings
from contact_center.db import Conn, create_pool
from contact_center.db.embedded import start_embedded
from contact_center.db.migrate import migrate
from tests.builders import TEST_ARGON2
from tests.hangs import WATCH
from tests.standins.smtp import SmtpCapture, running_smtp
from tests.standins.twilio_api import TwilioStandIn, running_twilio


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Generator[None]:
    with WATCH.watching(item.nodeid, float(item.config.getini("timeout") or 0)):
        yield


@pytest_asyncio.fixture(scope="session", autouse=True)
async def watched_loop() -> None:
    """Lets a hang report name the suite's event loop (every test shares it)."""
    WATCH.loop = asyncio.get_running_loop()


def with_database(dsn: str, name: str) -> str:
    """The same server DSN, pointed at another database (host may sit in the query string)."""
    parts = urlsplit(dsn)
    return urlunsplit(parts._replace(path=f"/{name}"))


@pytest.fixture(scope="session")
def server_dsn() -> Iterator[str]:
    """TEST_DATABASE_URL when set, else an embedded server in a temporary folder."""
    given = os.environ.get("TEST_DATABASE_URL")
    if given:
        yield given
        return
    with tempfile.TemporaryDirectory(prefix="cc-test-pg-") as folder:
        server = start_embedded(Path(folder), delete_on_exit=True)
        yield server.uri("postgres")
        server.stop()


@pytest_asyncio.fixture(scope="session")
async def template_name(server_dsn: str) -> AsyncIterator[str]:
    name = f"cc_template_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(server_dsn)
    await admin.execute(f'CREATE DATABASE "{name}"')
    await migrate(with_database(server_dsn, name))
    # As the runtime does at every start: SITE_TIMEZONE becomes the `timezone` setting.
    template = await create_pool(with_database(server_dsn, name), max_size=2)
    await site.record_environment(template, suite_settings())
    await template.close()
    await install_workflows(with_database(server_dsn, name))
    yield name
    await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await admin.close()


@pytest_asyncio.fixture(scope="module")
async def database_dsn(server_dsn: str, template_name: str) -> AsyncIterator[str]:
    """A fresh, migrated database for this test module, copied from the template."""
    name = f"cc_test_{secrets.token_hex(6)}"
    admin = await asyncpg.connect(server_dsn)
    await admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template_name}"')
    yield with_database(server_dsn, name)
    await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await admin.close()


@pytest_asyncio.fixture(scope="module")
async def pool(database_dsn: str) -> AsyncIterator[asyncpg.Pool[Any]]:
    """A real pool on the module's database; tests using it commit (mark them `commits`)."""
    real = await create_pool(database_dsn, min_size=1, max_size=20)
    yield real
    await real.close()


class SingleConnectionPool:
    """Hands out one connection, so a test's whole run stays in its rolled-back transaction."""

    def __init__(self, conn: Conn) -> None:
        self.conn = conn

    @asynccontextmanager
    async def acquire(self) -> AsyncIterator[Conn]:
        yield self.conn


@pytest_asyncio.fixture
async def conn(pool: asyncpg.Pool[Any]) -> AsyncIterator[Conn]:
    async with pool.acquire() as connection:
        tx = connection.transaction()
        await tx.start()
        try:
            yield connection
        finally:
            await tx.rollback()


@pytest.fixture
def db(conn: Conn) -> SingleConnectionPool:
    return SingleConnectionPool(conn)


@pytest.fixture
def settings() -> Settings:
    return suite_settings()


@pytest_asyncio.fixture
async def twilio() -> AsyncIterator[TwilioStandIn]:
    """The Twilio REST stand-in (the browser tests keep one per module)."""
    async with running_twilio() as standin:
        yield standin


@pytest_asyncio.fixture
async def smtp() -> AsyncIterator[SmtpCapture]:
    """A real SMTP server capturing what is sent."""
    async with running_smtp() as capture:
        yield capture


def suite_settings() -> Settings:
    """The settings the suite runs with (a function: the template database needs them too)."""
    return Settings(
        public_url="http://localhost:8080",
        secret_key=Secret("test-secret-key-0123456789"),
        default_phone_region="US",
        mail_domain="example.com",
        reply_undo_seconds=0,  # replies leave at once unless a test is about the undo window
        argon2_time_cost=TEST_ARGON2.time_cost,
        argon2_memory_kib=TEST_ARGON2.memory_kib,
        argon2_parallelism=TEST_ARGON2.parallelism,
    )


@asynccontextmanager
async def client_for(settings: Settings, pool: Any) -> AsyncIterator[TestClient[Any, Any]]:
    client = TestClient(TestServer(create_app(settings, pool)))
    await client.start_server()
    try:
        yield client
    finally:
        await client.close()


@pytest_asyncio.fixture
async def client(
    settings: Settings, db: SingleConnectionPool
) -> AsyncIterator[TestClient[Any, Any]]:
    async with client_for(settings, db) as test_client:
        yield test_client
