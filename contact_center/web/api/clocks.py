"""REST handlers for clocks: a ticket's clocks with their event log, and the deadlines at risk
or missed (the agent's own, or everyone's)."""

from __future__ import annotations

from aiohttp import web

from contact_center import workflows
from contact_center.timeutil import utc_now
from contact_center.web.api import clock_schemas
from contact_center.web.auth import STAFF, access_ticket, require_role
from contact_center.web.jsonio import json_response
from contact_center.web.keys import POOL
from contact_center.web.route import API, Route


async def ticket_clocks(request: web.Request) -> web.Response:
    ticket = await access_ticket(request, request.match_info["id"])
    found = await workflows.ticket_clocks(request.app[POOL], ticket.id, now=utc_now())
    return json_response(found)


async def list_deadlines(request: web.Request) -> web.Response:
    user = require_role(request, *STAFF)
    mine = request.query.get("scope", "mine") != "all"
    found = await workflows.list_deadlines(
        request.app[POOL],
        assignee_id=user.id if mine else None,
        breached=request.query.get("state") == "breached",
        now=utc_now(),
    )
    return json_response({"deadlines": found})


ROUTES: list[Route] = [
    Route(
        "GET",
        f"{API}/tickets/{{id}}/clocks",
        ticket_clocks,
        "The ticket's clocks (first response, next update, resolution, workflow steps) and "
        "their event log, oldest first",
        tag="clocks",
        answer=clock_schemas.TICKET_CLOCKS,
    ),
    Route(
        "GET",
        f"{API}/deadlines",
        list_deadlines,
        "Running clocks past their warning (`state=warned`) or past due (`state=breached`), "
        "soonest due first: on your tickets (`scope=mine`) or everyone's (`scope=all`)",
        query=("scope", "state"),
        query_schemas=clock_schemas.DEADLINES_QUERY,
        tag="clocks",
        answer=clock_schemas.DEADLINES,
    ),
]
