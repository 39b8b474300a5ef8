"""The supervisor's first view at `/supervisor`: every queue's waiting work by channel, longest
wait, service level and abandoned calls today, and the agents by state with their load. The
page is a frame; `static/supervisor.js` draws it from `GET /api/v1/routing/board` and keeps it
live over the event bus. Reassigning and changing an agent's state go through the routing API."""

from __future__ import annotations

from aiohttp import web

from contact_center.users import Role
from contact_center.web.auth import require_role
from contact_center.web.console.pages import render
from contact_center.web.route import Route

BOARD_ROLES = (Role.SUPERVISOR, Role.ADMIN)


async def supervisor_page(request: web.Request) -> web.StreamResponse:
    require_role(request, *BOARD_ROLES)
    return render(request, "supervisor.html", {})


ROUTES: list[Route] = [
    Route("GET", "/supervisor", supervisor_page, "Queues and agents, live", console=True)
]
