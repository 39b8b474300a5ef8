"""REST handlers for a manager's visit profile, leave days and calendar feed, and the
calendar downloads (the secret feed URL needs no session); also the roles and the day parsing
that `visits.py` (which joins these routes) shares."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from aiohttp import web

from contact_center import visits
from contact_center.errors import Forbidden, Invalid
from contact_center.timeutil import utc_now
from contact_center.users import Role, User
from contact_center.web.api import visit_schemas as s
from contact_center.web.api.schemas import DAY
from contact_center.web.auth import actor_of, parse_id, require_role
from contact_center.web.jsonio import json_response, read_json
from contact_center.web.keys import POOL
from contact_center.web.route import API, Route

OVERSEERS = frozenset({Role.SUPERVISOR, Role.ADMIN})
VISITORS = (Role.ACCOUNT_MANAGER, Role.SUPERVISOR, Role.ADMIN)
ICS = "text/calendar"
TOKEN_PATH = {"token": {"type": "string", "maxLength": 64}}


def _manager(request: web.Request) -> tuple[User, UUID]:
    """The manager in the path: yourself, or anyone when you oversee."""
    user = require_role(request, *VISITORS)
    manager_id = parse_id(request.match_info["id"], "manager")
    if manager_id != user.id and user.role not in OVERSEERS:
        raise Forbidden("account managers manage their own visits")
    return user, manager_id


def parse_day(raw: str, field: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise Invalid(f"{field} must be a date written YYYY-MM-DD", field=field) from None


def day_of(raw: str | None, field: str) -> date | None:
    """The day written YYYY-MM-DD; None when not given."""
    return parse_day(raw, field) if raw else None


def _ics(body: bytes, filename: str | None = None) -> web.Response:
    headers = {"Cache-Control": "no-store"}  # a manager's day: no shared or stale copies
    if filename:
        headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return web.Response(body=body, content_type=ICS, charset="utf-8", headers=headers)


async def get_profile(request: web.Request) -> web.Response:
    _, manager_id = _manager(request)
    return json_response(await visits.get_profile(request.app[POOL], manager_id))


async def put_profile(request: web.Request) -> web.Response:
    _, manager_id = _manager(request)
    body: dict[str, Any] = await read_json(request, s.PROFILE)
    saved = await visits.save_profile(
        request.app[POOL], actor_of(request), manager_id, body, now=utc_now()
    )
    return json_response(saved)


async def list_leave(request: web.Request) -> web.Response:
    _, manager_id = _manager(request)
    found = await visits.list_leave(request.app[POOL], manager_id, now=utc_now())
    return json_response({"leave": found})


async def add_leave(request: web.Request) -> web.Response:
    _, manager_id = _manager(request)
    body: dict[str, Any] = await read_json(request, s.LEAVE)
    made = await visits.add_leave(
        request.app[POOL],
        actor_of(request),
        manager_id,
        parse_day(body["day"], "day"),
        body.get("note", "").strip(),
        now=utc_now(),
    )
    return json_response(made, status=201)


async def remove_leave(request: web.Request) -> web.Response:
    _, manager_id = _manager(request)
    await visits.remove_leave(
        request.app[POOL],
        actor_of(request),
        manager_id,
        parse_day(request.match_info["day"], "day"),
        now=utc_now(),
    )
    return web.Response(status=204)


def _feed_url(request: web.Request, token: str) -> str:
    return str(request.url.with_path(f"/calendar/{token}.ics").with_query(None))


async def calendar_feed(request: web.Request) -> web.Response:
    _, manager_id = _manager(request)
    rotate = request.method == "POST"
    token = await visits.feed_token(
        request.app[POOL], actor_of(request), manager_id, rotate=rotate, now=utc_now()
    )
    return json_response({"url": _feed_url(request, token)})


async def public_feed(request: web.Request) -> web.Response:
    body = await visits.calendar_by_token(
        request.app[POOL], request.match_info["token"], now=utc_now()
    )
    return _ics(body)


async def export_ics(request: web.Request) -> web.Response:
    user = require_role(request, *VISITORS)
    raw = request.query.get("manager_id")
    manager_id = parse_id(raw, "manager") if raw else user.id
    if manager_id != user.id and user.role not in OVERSEERS:
        raise Forbidden("account managers export their own visits")
    query = request.query
    body = await visits.calendar_for(
        request.app[POOL],
        manager_id,
        first=day_of(query.get("from"), "from"),
        last=day_of(query.get("to"), "to"),
        now=utc_now(),
    )
    return _ics(body, "visits.ics")


MANAGER = f"{API}/managers/{{id}}"
ROUTES: list[Route] = [
    Route(
        "GET",
        f"{API}/visits.ics",
        export_ics,
        "Download a manager's visits (default you) as an iCalendar file",
        query=("manager_id", "from", "to"),
        query_schemas=s.QUERY,
        tag="visits",
        media=(ICS,),
        responses={404: "manager_id is not an id"},
    ),
    Route(
        "GET",
        f"{MANAGER}/visit-profile",
        get_profile,
        "A manager's visit profile: start point, hours, weekdays, capacity",
        tag="visits",
        answer=s.OBJECT,
    ),
    Route(
        "PUT",
        f"{MANAGER}/visit-profile",
        put_profile,
        "Save a manager's visit profile (empty fields: the site's visit rules); re-plans them",
        body=s.PROFILE,
        tag="visits",
        answer=s.OBJECT,
    ),
    Route(
        "GET",
        f"{MANAGER}/leave",
        list_leave,
        "A manager's leave days (from 90 days back)",
        tag="visits",
        answer=s.OBJECT,
    ),
    Route(
        "POST",
        f"{MANAGER}/leave",
        add_leave,
        "Add a leave day (no visits that day); re-plans the manager",
        body=s.LEAVE,
        tag="visits",
        created=True,
        answer=s.OBJECT,
    ),
    Route(
        "DELETE",
        f"{MANAGER}/leave/{{day}}",
        remove_leave,
        "Remove a leave day; re-plans the manager",
        path_schemas={"day": DAY},
        tag="visits",
        responses={404: "no leave that day"},
    ),
    Route(
        "GET",
        f"{MANAGER}/calendar-feed",
        calendar_feed,
        "The manager's secret iCalendar feed URL (made on first use) for calendar apps",
        tag="visits",
        answer=s.FEED,
    ),
    Route(
        "POST",
        f"{MANAGER}/calendar-feed/rotate",
        calendar_feed,
        "Replace the feed's secret: the old URL stops working",
        tag="visits",
        answer=s.FEED,
    ),
    Route(
        "GET",
        "/calendar/{token}.ics",
        public_feed,
        "A manager's visits as an iCalendar feed, by its secret (no session)",
        public=True,
        path_schemas=TOKEN_PATH,
        tag="visits",
        responses={404: "unknown or rotated secret"},
        media=(ICS,),
    ),
]
