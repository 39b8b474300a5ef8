"""Starting the parts of a running service: database, migrations, pool, web, worker."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
from aiohttp import web

from contact_center.app import create_app
from contact_center.config import Settings
from contact_center.db import create_pool
from contact_center.db.embedded import start_embedded
from contact_center.db.migrate import migrate
from contact_center.web.middleware import secure_error_pages

log = logging.getLogger(__name__)


def database_url(settings: Settings) -> str:
    """DATABASE_URL when set, else the embedded server (started on first use)."""
    if settings.database_url:
        return settings.database_url
    return start_embedded(settings.data_dir).uri()


@contextlib.asynccontextmanager
async def open_database(
    settings: Settings, *, max_size: int = 10
) -> AsyncIterator[asyncpg.Pool[Any]]:
    dsn = database_url(settings)
    applied = await migrate(dsn)
    if applied:
        log.info("applied migrations: %s", ", ".join(applied))
    pool = await create_pool(dsn, max_size=max_size)
    try:
        yield pool
    finally:
        await pool.close()


async def start_web(settings: Settings, pool: asyncpg.Pool[Any]) -> web.AppRunner:
    runner = web.AppRunner(create_app(settings, pool), access_log=None)
    await runner.setup()
    secure_error_pages(runner)
    await web.TCPSite(runner, settings.host, settings.port).start()
    return runner


async def wait_for_stop() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
