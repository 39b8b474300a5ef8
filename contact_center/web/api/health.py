"""GET /healthz: is the service up and can it reach its database."""

import asyncio

import asyncpg
from aiohttp import web

from contact_center.web.api import answers
from contact_center.web.keys import POOL
from contact_center.web.route import Route

TIMEOUT_SECONDS = 2


async def healthz(request: web.Request) -> web.Response:
    try:
        async with asyncio.timeout(TIMEOUT_SECONDS), request.app[POOL].acquire() as conn:
            await conn.fetchval("SELECT 1")
    except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError):
        return web.json_response({"status": "degraded", "database": "unreachable"}, status=503)
    return web.json_response({"status": "ok", "database": "ok"})


ROUTES: list[Route] = [
    Route(
        "GET",
        "/healthz",
        healthz,
        "Service and database health",
        public=True,
        tag="health",
        responses={503: ("database unreachable", answers.HEALTH)},
        answer=answers.HEALTH,
    ),
]
