"""REST handlers for organizations (business accounts)."""

from __future__ import annotations

from aiohttp import web

from contact_center import accounts, customers
from contact_center.errors import Invalid
from contact_center.timeutil import utc_now
from contact_center.web.api import answers, schemas
from contact_center.web.api.paging import page_limit, read_name_cursor, write_name_cursor
from contact_center.web.api.views import organization_view
from contact_center.web.auth import (
    OVERSEERS,
    STAFF,
    access_organization,
    actor_of,
    current_user,
    require_role,
)
from contact_center.web.jsonio import json_response, read_json
from contact_center.web.keys import POOL
from contact_center.web.route import API, Route


async def create_organization(request: web.Request) -> web.Response:
    require_role(request, *STAFF)
    body = await read_json(request, schemas.ORGANIZATION_CREATE)
    org = await customers.create_organization(request.app[POOL], actor_of(request), body)
    return json_response(organization_view(org), status=201)


async def list_organizations(request: web.Request) -> web.Response:
    require_role(request, *STAFF)
    tier = request.query.get("tier")
    if tier is not None and tier not in {"A", "B", "C"}:
        raise Invalid("tier must be A, B or C", field="tier")
    key = request.query.get("key_account")
    if key is not None and key not in {"true", "false"}:
        raise Invalid("key_account must be true or false", field="key_account")
    limit = page_limit(request)
    found = await customers.list_organizations(
        request.app[POOL],
        q=request.query.get("q"),
        tier=tier,
        key_account=None if key is None else key == "true",
        after=read_name_cursor(request),
        limit=limit + 1,
    )
    page = found[:limit]
    next_cursor = write_name_cursor(page[-1].name, page[-1].id) if len(found) > limit else None
    return json_response(
        {"organizations": [organization_view(o) for o in page], "next_cursor": next_cursor}
    )


async def get_organization(request: web.Request) -> web.Response:
    org, members = await access_organization(request, request.match_info["id"])
    return json_response(organization_view(org, members))


async def update_organization(request: web.Request) -> web.Response:
    org, _ = await access_organization(request, request.match_info["id"])
    body = await read_json(request, schemas.ORGANIZATION_UPDATE)
    updated = await accounts.edit_organization(
        request.app[POOL],
        actor_of(request),
        org.id,
        body,
        overseer=current_user(request).has_role(*OVERSEERS),
        now=utc_now(),
    )
    return json_response(organization_view(updated))


ROUTES: list[Route] = [
    Route(
        "GET",
        f"{API}/organizations",
        list_organizations,
        "List organizations",
        query=("q", "tier", "key_account", "limit", "cursor"),
        tag="organizations",
        answer=answers.ORGANIZATIONS,
    ),
    Route(
        "POST",
        f"{API}/organizations",
        create_organization,
        "Create an organization",
        body=schemas.ORGANIZATION_CREATE,
        created=True,
        tag="organizations",
        answer=answers.ORGANIZATION,
    ),
    Route(
        "GET",
        f"{API}/organizations/{{id}}",
        get_organization,
        "One organization with its contact persons",
        tag="organizations",
        answer=answers.ORGANIZATION_WITH_MEMBERS,
    ),
    Route(
        "PATCH",
        f"{API}/organizations/{{id}}",
        update_organization,
        "Change an organization",
        body=schemas.ORGANIZATION_UPDATE,
        tag="organizations",
        answer=answers.ORGANIZATION,
    ),
]
