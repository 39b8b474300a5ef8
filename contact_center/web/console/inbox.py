"""The inbox: the agent's start page at `/`."""

from __future__ import annotations

from aiohttp import web

from contact_center.web.console.pages import render
from contact_center.web.route import Route


async def inbox_page(request: web.Request) -> web.StreamResponse:
    return render(request, "inbox.html", {})


ROUTES: list[Route] = [Route("GET", "/", inbox_page, "Inbox", console=True)]
