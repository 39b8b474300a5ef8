"""Every console and API URL in one table, joined from the modules that serve them.

Each `web/api/<resource>.py` exports its own `ROUTES`; this module only joins them, in the
order the OpenAPI document and the index list them, and puts authentication in front.
"""

from __future__ import annotations

from aiohttp import web

from contact_center.web.api import (
    customers,
    devsink,
    duplicates,
    health,
    index,
    organizations,
    outbox,
    tickets,
    users,
)
from contact_center.web.auth import authenticate
from contact_center.web.keys import ROUTE_TABLE, USER
from contact_center.web.route import Handler, Route

ROUTES: list[Route] = [
    *index.ROUTES,
    *health.ROUTES,
    *users.ROUTES,
    *duplicates.ROUTES,  # before customers: `/customers/duplicates` is not `/customers/{id}`
    *customers.ROUTES,
    *organizations.ROUTES,
    *tickets.ROUTES,
    *outbox.ROUTES,
    *devsink.ROUTES,
]


def guarded(route: Route) -> Handler:
    """Authenticate before the handler runs, unless the route is public."""
    if route.public:
        return route.handler

    async def handler(request: web.Request) -> web.StreamResponse:
        request[USER] = await authenticate(request)
        return await route.handler(request)

    return handler


def add_routes(app: web.Application, routes: list[Route]) -> None:
    app[ROUTE_TABLE] = routes
    for route in routes:
        app.router.add_route(route.method, route.path, guarded(route))
