"""REST handlers for a ticket's complaint case: read it, move it a step, save its fields."""

from __future__ import annotations

from aiohttp import web

from contact_center import i18n, workflows
from contact_center.timeutil import utc_now
from contact_center.web.api import workflow_schemas as schemas
from contact_center.web.auth import access_ticket, actor_of
from contact_center.web.jsonio import json_response, read_json
from contact_center.web.keys import POOL, USER
from contact_center.web.route import API, Route


def _locale(request: web.Request) -> str:
    """Titles and refusals in the caller's language (their setting, else the browser's)."""
    user = request.get(USER)
    return i18n.negotiate(user.locale if user else "", request.headers.get("Accept-Language", ""))


async def get_case(request: web.Request) -> web.Response:
    ticket = await access_ticket(request, request.match_info["id"])
    with i18n.using(_locale(request)):
        return json_response(await workflows.get_case(request.app[POOL], ticket.id))


async def move_case(request: web.Request) -> web.Response:
    ticket = await access_ticket(request, request.match_info["id"])
    body = await read_json(request, schemas.CASE_MOVE)
    with i18n.using(_locale(request)):
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
    with i18n.using(_locale(request)):
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
            404: "no such ticket, or it has no complaint case",
            409: "the case's step does not lead to `to`, or a category or root cause that is "
            "not an active entry of its list",
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
            404: "no such ticket, or it has no complaint case",
            409: "a category or root cause that is not an active entry of its list",
        },
        answer=schemas.CASE_VIEW,
    ),
]
