"""REST handlers for queues: every staff member reads them, supervisors and admins change them."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection
from datetime import date, datetime
from typing import Any

from aiohttp import web

from contact_center import routing, site
from contact_center.errors import NotFound
from contact_center.routing import Queue
from contact_center.routing.hours import is_open, next_open
from contact_center.routing.queue_rules import NAME_RE
from contact_center.timeutil import utc_now
from contact_center.users import Role
from contact_center.web.api import schemas
from contact_center.web.api.answers import SCALARS, object_of, wrapped
from contact_center.web.auth import STAFF, actor_of, require_role
from contact_center.web.jsonio import json_response, read_json
from contact_center.web.keys import POOL, SETTINGS
from contact_center.web.route import API, Route
from contact_center.worktime import BusinessCalendar

EDITORS = (Role.SUPERVISOR, Role.ADMIN)
QUEUE = object_of(
    Queue,
    open_now={
        **SCALARS[bool],
        "description": "open now by its hours (site time zone) and the site calendar",
    },
    next_open={
        "type": ["string", "null"],
        "format": "date-time",
        "description": "when it opens next, if closed now; null when open or never open",
    },
)
QUEUES = wrapped("queues", {"type": "array", "items": QUEUE})


def queue_view(
    queue: Queue,
    *,
    timezone: str,
    now: datetime,
    closed: Collection[date] = (),
    make_up: Collection[date] = (),
) -> dict[str, Any]:
    """A queue with whether it is open now: by its hours and the site calendar's closed dates
    and make-up working days."""
    open_now = is_open(queue.hours, now, timezone, closed, make_up)
    return {
        **dataclasses.asdict(queue),
        "open_now": open_now,
        "next_open": None if open_now else next_open(queue.hours, now, timezone, closed, make_up),
    }


def _name(request: web.Request) -> str:
    """The queue named in the path; a name no queue can have is simply not found."""
    name = request.match_info["name"]
    if not NAME_RE.fullmatch(name):
        raise NotFound(f"no such queue: {name[:60]}", field="name")
    return name


async def _calendar(request: web.Request, now: datetime) -> BusinessCalendar:
    async with request.app[POOL].acquire() as conn:
        return await site.business_calendar(conn, around=now)


async def _views(request: web.Request, queues: list[Queue]) -> list[dict[str, Any]]:
    now = utc_now()
    calendar = await _calendar(request, now)
    zone = request.app[SETTINGS].site_timezone
    return [
        queue_view(q, timezone=zone, now=now, closed=calendar.closed, make_up=calendar.extra)
        for q in queues
    ]


async def _view(request: web.Request, queue: Queue) -> dict[str, Any]:
    (view,) = await _views(request, [queue])
    return view


async def list_queues(request: web.Request) -> web.Response:
    require_role(request, *STAFF)
    queues = await routing.list_queues(request.app[POOL])
    return json_response({"queues": await _views(request, queues)})


async def get_queue(request: web.Request) -> web.Response:
    require_role(request, *STAFF)
    queue = await routing.get_queue(request.app[POOL], _name(request))
    return json_response(await _view(request, queue))


async def create_queue(request: web.Request) -> web.Response:
    require_role(request, *EDITORS)
    body = await read_json(request, schemas.QUEUE_CREATE)
    queue = await routing.create_queue(request.app[POOL], actor_of(request), body, now=utc_now())
    return json_response(await _view(request, queue), status=201)


async def update_queue(request: web.Request) -> web.Response:
    require_role(request, *EDITORS)
    name = _name(request)
    body = await read_json(request, schemas.QUEUE_UPDATE)
    queue = await routing.update_queue(
        request.app[POOL], actor_of(request), name, body, now=utc_now()
    )
    return json_response(await _view(request, queue))


NAME_PATH = {"name": schemas.QUEUE_NAME}
ROUTES: list[Route] = [
    Route(
        "GET",
        f"{API}/queues",
        list_queues,
        "Queues with their kinds, skills, business hours, strategy and limits",
        tag="queues",
        answer=QUEUES,
    ),
    Route(
        "POST",
        f"{API}/queues",
        create_queue,
        "Create a queue (supervisor, admin)",
        body=schemas.QUEUE_CREATE,
        created=True,
        tag="queues",
        responses={409: "a queue of that name exists"},
        answer=QUEUE,
    ),
    Route(
        "GET",
        f"{API}/queues/{{name}}",
        get_queue,
        "One queue",
        path_schemas=NAME_PATH,
        tag="queues",
        responses={404: "no such queue"},
        answer=QUEUE,
    ),
    Route(
        "PATCH",
        f"{API}/queues/{{name}}",
        update_queue,
        "Change a queue's settings (supervisor, admin); fields not given keep their values",
        body=schemas.QUEUE_UPDATE,
        path_schemas=NAME_PATH,
        tag="queues",
        responses={
            404: "no such queue",
            409: "the new name is taken, or tickets, agents or an overflow name this queue",
        },
        answer=QUEUE,
    ),
]
