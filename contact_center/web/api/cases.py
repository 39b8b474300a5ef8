"""REST handlers for a ticket's complaint case: read it, move it a step, save its fields."""

from __future__ import annotations

from aiohttp import web

from contact_center import workflows
from contact_center.timeutil import utc_now
from contact_center.web.api import workflow_schemas as schemas
from contact_center.web.auth import access_ticket, actor_of
from contact_center.web.jsonio import json_response, read_json
from contact_center.web.keys import POOL
from contact_center.web.route import API, Route


async def get_case(request: web.Request) -> web.Response:
    ticket = await access_ticket(request, request.match_info["id"])
    return json_response(await workflows.get_case(request.app[POOL], ticket.id))


async def move_case(request: web.Request) -> web.Response:
    ticket = await access_ticket(request, request.match_info["id"])
    body = await read_json(request, schemas.CASE_MOVE)
    view = await workflows.move_case(
        request.app[POOL],
        actor_of(request),
        ticket.id,
        body["to"],
        body.get("fields") or {},
        now=utc_now(),
    )
    return json_response(view)


async def update_case(request: web.Request) -> web.Response:
    ticket = await access_ticket(request, request.match_info["id"])
    body = await read_json(request, schemas.CASE_FIELDS)
    view = await workflows.update_case_fields(
        request.app[POOL], actor_of(request), ticket.id, body["fields"], now=utc_now()
    )
    return json_response(view)


ROUTES: list[Route] = [
    Route(
        "GET",
        f"{API}/tickets/{{id}}/case",
        get_case,
        "The ticket's complaint case (null when it has none): its steps, where it may go "
        "next and what each move still needs; and the categories and root causes to choose from",
        tag="cases",
        responses={404: "no such ticket"},
        answer=schemas.CASE_VIEW,
    ),
    Route(
        "POST",
        f"{API}/tickets/{{id}}/case/moves",
        move_case,
        "Save `fields`, then move the case to step `to`; refused with 422 naming the first "
        "missing field (the message says what to do), 409 when the step does not lead there",
        body=schemas.CASE_MOVE,
        tag="cases",
        responses={
            404: "no such ticket",
            409: "the ticket has no complaint case, the case's step does not lead to `to`, or "
            "a category or root cause that is not an active entry of its list",
        },
        answer=schemas.CASE_VIEW,
    ),
    Route(
        "PATCH",
        f"{API}/tickets/{{id}}/case",
        update_case,
        "Save the case's fields (category, facts, resolution, root cause, callback outcome) "
        "without moving it; null clears one",
        body=schemas.CASE_FIELDS,
        tag="cases",
        responses={
            404: "no such ticket",
            409: "the ticket has no complaint case, or a category or root cause that is not an "
            "active entry of its list",
        },
        answer=schemas.CASE_VIEW,
    ),
]
