"""REST handlers for the visit plan: a manager's visits and route, moving a visit, recording
its outcome, re-planning, missed visits and overdue accounts, asking for a visit."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any
from uuid import UUID

from aiohttp import web

from contact_center import visits
from contact_center.errors import Forbidden
from contact_center.timeutil import utc_now
from contact_center.users import Role, User
from contact_center.visits import VisitState
from contact_center.web.api import visit_managers
from contact_center.web.api import visit_schemas as s
from contact_center.web.api.visit_managers import OVERSEERS, VISITORS, day_of
from contact_center.web.auth import STAFF, access_organization, actor_of, parse_id, require_role
from contact_center.web.jsonio import json_response, read_json
from contact_center.web.keys import POOL
from contact_center.web.route import API, Route


def overseer(user: User) -> bool:
    return user.role in OVERSEERS


def manager_of(request: web.Request, user: User, *, all_allowed: bool = False) -> UUID | None:
    """The manager asked about: yourself unless you oversee (then the one named, or all)."""
    raw = request.query.get("manager_id")
    if not raw:
        return None if all_allowed and overseer(user) else user.id
    wanted = parse_id(raw, "manager")
    if wanted != user.id and not overseer(user):
        raise Forbidden("account managers see their own visits")
    return wanted


async def list_visits(request: web.Request) -> web.Response:
    user = require_role(request, *VISITORS)
    found = await visits.list_visits(
        request.app[POOL],
        manager_id=manager_of(request, user, all_allowed=True),
        first=day_of(request.query.get("from"), "from"),
        last=day_of(request.query.get("to"), "to"),
        now=utc_now(),
    )
    return json_response({"visits": found})


async def get_visit(request: web.Request) -> web.Response:
    user = require_role(request, *VISITORS)
    found = await visits.get_visit(
        request.app[POOL], parse_id(request.match_info["id"], "visit"), now=utc_now()
    )
    if found.manager_id != user.id and not overseer(user):
        raise Forbidden("this visit is another manager's")
    return json_response(found)


async def day_route(request: web.Request) -> web.Response:
    user = require_role(request, *VISITORS)
    route = await visits.day_route(
        request.app[POOL],
        manager_id=manager_of(request, user) or user.id,
        day=day_of(request.query.get("day"), "day"),
        now=utc_now(),
    )
    return json_response(route)


async def move_visit(request: web.Request) -> web.Response:
    user = require_role(request, *VISITORS)
    body: dict[str, Any] = await read_json(request, s.MOVE)
    moved = await visits.move_visit(
        request.app[POOL],
        actor_of(request),
        parse_id(request.match_info["id"], "visit"),
        day=day_of(body["day"], "day") or date.min,  # blank: the planner refuses a past day
        version=body["version"],
        overseer=overseer(user),
        now=utc_now(),
    )
    return json_response(moved)


async def record_outcome(request: web.Request) -> web.Response:
    user = require_role(request, *VISITORS)
    body: dict[str, Any] = await read_json(request, s.OUTCOME)
    saved = await visits.record_outcome(
        request.app[POOL],
        actor_of(request),
        parse_id(request.match_info["id"], "visit"),
        state=VisitState(body["state"]),
        notes=body.get("outcome_notes", ""),
        next_steps=body.get("next_steps", ""),
        satisfaction=body.get("satisfaction"),
        version=body["version"],
        overseer=overseer(user),
        now=utc_now(),
    )
    return json_response(saved)


async def plan(request: web.Request) -> web.Response:
    """One manager is planned here and now (seconds at most); every manager is a job for the
    worker: 202 with what was queued."""
    require_role(request, Role.SUPERVISOR, Role.ADMIN)
    body: dict[str, Any] = await read_json(request, s.PLAN)
    raw = body.get("manager_id")
    if not raw:
        await visits.queue_full_plan(request.app[POOL], actor_of(request), now=utc_now())
        return json_response({"queued": "all"}, status=202)
    result = await visits.plan_visits(
        request.app[POOL],
        manager_ids=[parse_id(raw, "manager")],
        now=utc_now(),
        actor=actor_of(request),
    )
    return json_response(
        {
            "placed": result.placed,
            "moved": result.moved,
            "kept": result.kept,
            "dropped": result.dropped,
            "not_written": result.not_written,
            "unplaced": result.unplaced,
        }
    )


async def missed(request: web.Request) -> web.Response:
    require_role(request, Role.SUPERVISOR, Role.ADMIN)
    return json_response({"visits": await visits.missed_visits(request.app[POOL], now=utc_now())})


async def overdue(request: web.Request) -> web.Response:
    user = require_role(request, *VISITORS)
    found = await visits.overdue_accounts(
        request.app[POOL], manager_id=None if overseer(user) else user.id, now=utc_now()
    )
    return json_response({"accounts": found})


async def ask_for_visit(request: web.Request) -> web.Response:
    require_role(request, *STAFF)
    body: dict[str, Any] = await read_json(request, s.VISIT_REQUEST)
    organization, _members = await access_organization(request, request.match_info["id"])
    made, created = await visits.ask_for_visit(
        request.app[POOL],
        actor_of(request),
        organization.id,
        due_by=day_of(body.get("due_by"), "due_by"),
        note=body.get("note", "").strip(),
        now=utc_now(),
    )
    answer = {**dataclasses.asdict(made), "already_asked": not created}
    return json_response(answer, status=201 if created else 200)


async def account_visits(request: web.Request) -> web.Response:
    require_role(request, *STAFF)
    organization, _members = await access_organization(request, request.match_info["id"])
    return json_response(
        await visits.account_summary(request.app[POOL], organization.id, now=utc_now())
    )


STATE_ANSWERS: dict[int, str | tuple[str, dict[str, Any]]] = {
    403: "the visit is another manager's (supervisors and admins may)",
    409: "the visit changed since loaded (version), or its state does not allow this",
}

ROUTES: list[Route] = [
    Route(
        "GET",
        f"{API}/visits",
        list_visits,
        "Visits of a manager (default you; supervisors: all unless `manager_id`) from `from` to "
        "`to` (site days, default this week; at most 400 days; none when `to` is before `from`)",
        query=("manager_id", "from", "to"),
        query_schemas=s.QUERY,
        tag="visits",
        answer=s.VISITS,
    ),
    Route(
        "GET",
        f"{API}/visits/route",
        day_route,
        "A manager's day in route order with arrival times, distance and travel",
        query=("manager_id", "day"),
        query_schemas=s.QUERY,
        tag="visits",
        answer=s.ROUTE,
        responses={404: "manager_id is not an id"},
    ),
    Route(
        "GET",
        f"{API}/visits/missed",
        missed,
        "Missed visits of the last 8 weeks (supervisors), newest first",
        tag="visits",
        answer=s.VISITS,
    ),
    Route(
        "GET",
        f"{API}/visits/overdue-accounts",
        overdue,
        "Accounts with no visit done within their cadence and grace (yours; supervisors: all)",
        tag="visits",
        answer=s.OBJECT,
    ),
    Route(
        "POST",
        f"{API}/visits/plan",
        plan,
        "Re-plan (supervisors): `manager_id` now (200 with the result); all managers are"
        " queued for the worker (202)",
        body=s.PLAN,
        tag="visits",
        answer=s.PLAN_RESULT,
        responses={202: ("a plan of every manager was queued", s.PLAN_QUEUED)},
    ),
    Route("GET", f"{API}/visits/{{id}}", get_visit, "One visit", tag="visits", answer=s.VISIT),
    Route(
        "POST",
        f"{API}/visits/{{id}}/move",
        move_visit,
        "Move a planned or confirmed visit to another day; the planner's rules decide "
        "(422 on `day` with the reason); the visit is pinned there",
        body=s.MOVE,
        tag="visits",
        responses=STATE_ANSWERS,
        answer=s.VISIT,
    ),
    Route(
        "POST",
        f"{API}/visits/{{id}}/outcome",
        record_outcome,
        "Confirm a visit, or record it done (notes required), missed (a make-up visit is "
        "asked for) or cancelled",
        body=s.OUTCOME,
        tag="visits",
        responses=STATE_ANSWERS,
        answer=s.VISIT,
    ),
    Route(
        "POST",
        f"{API}/accounts/{{id}}/visit-requests",
        ask_for_visit,
        "Ask the account manager for a visit to this organization (placed by the planner)",
        body=s.VISIT_REQUEST,
        tag="visits",
        created=True,
        answer=s.OBJECT,
        responses={
            200: (
                "the account's open request for a visit (asked once; this ask's note is added "
                "to it; `already_asked` true)",
                s.OBJECT,
            )
        },
    ),
    Route(
        "GET",
        f"{API}/accounts/{{id}}/visits",
        account_visits,
        "An account's visits at a glance: next planned, last done, overdue",
        tag="visits",
        answer=s.OBJECT,
    ),
    *visit_managers.ROUTES,
]
