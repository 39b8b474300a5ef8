"""Starting the parts of a running service: database, migrations, pool, web, worker."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import time
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
from aiohttp import web

from contact_center import site, workflows
from contact_center.app import create_app
from contact_center.config import Settings
from contact_center.db import create_pool
from contact_center.db.embedded import EmbeddedServer, start_embedded
from contact_center.db.migrate import migrate
from contact_center.timeutil import utc_now
from contact_center.wakeups import cancel_and_wait
from contact_center.web.middleware import secure_error_pages

log = logging.getLogger(__name__)

# The DSN each open pool was made from, so that a web process can open its live event
# listener's own connection to the same database (see `start_web`).
_DSNS: dict[int, str] = {}

WATCH_SECONDS = 1.0


def database_url(settings: Settings) -> str:
    """DATABASE_URL when set, else the embedded server (started on first use)."""
    if settings.database_url:
        return settings.database_url
    return start_embedded(settings.data_dir).uri()


async def supervise(server: EmbeddedServer, *, every: float = WATCH_SECONDS) -> None:
    """Restart the embedded server whenever it dies, for as long as the process runs.

    Meanwhile requests get 503 with Retry-After and mail gets 451; the pool drops its broken
    connections and opens new ones on the next acquire."""
    while True:
        await asyncio.sleep(every)
        if server.is_running():
            continue
        log.error("embedded PostgreSQL in %s is not running; restarting it", server.pgdata)
        began = time.monotonic()
        try:
            await asyncio.to_thread(server.restart)
        except Exception as exc:
            log.warning("embedded PostgreSQL did not restart yet (%s); trying again", exc)
            continue
        log.warning(
            "embedded PostgreSQL restarted (pid %s) in %.1f s",
            server.pid(),
            time.monotonic() - began,
        )


@contextlib.asynccontextmanager
async def open_database(
    settings: Settings, *, max_size: int = 10
) -> AsyncIterator[asyncpg.Pool[Any]]:
    """Migrate and open a pool; with the embedded server, watch it while the pool is open."""
    server = None
    if settings.database_url:
        dsn = settings.database_url
    else:
        server = start_embedded(settings.data_dir)
        dsn = server.uri()
    applied = await migrate(dsn)
    if applied:
        log.info("applied migrations: %s", ", ".join(applied))
    pool = await create_pool(dsn, max_size=max_size)
    await site.record_environment(pool, settings)
    await workflows.install_defaults(pool, now=utc_now())
    await workflows.start_missing_clocks(pool, now=utc_now())
    watcher = asyncio.create_task(supervise(server)) if server else None
    _DSNS[id(pool)] = dsn
    try:
        yield pool
    finally:
        _DSNS.pop(id(pool), None)
        if watcher:
            await cancel_and_wait(watcher)
        await pool.close()


async def start_web(settings: Settings, pool: asyncpg.Pool[Any]) -> web.AppRunner:
    """Serve the web application; with a pool from `open_database`, live events too."""
    app = create_app(settings, pool, live_dsn=_DSNS.get(id(pool)))
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    secure_error_pages(runner)
    await web.TCPSite(runner, settings.host, settings.port).start()
    return runner


async def wait_for_stop() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    # SIGHUP too: a closed terminal must stop the service and its embedded database cleanly.
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
