"""REST handlers for customers: create, read, change, search, merge, export, history."""

from __future__ import annotations

from aiohttp import web

from contact_center import audit, customers, merges, privacy
from contact_center.customers import NewCustomer
from contact_center.users import Role
from contact_center.web.api import schemas
from contact_center.web.api.paging import page_limit, read_name_cursor, write_name_cursor
from contact_center.web.api.views import customer_view
from contact_center.web.auth import STAFF, access_customer, actor_of, parse_id, require_role
from contact_center.web.jsonio import json_response, read_json
from contact_center.web.keys import POOL, SETTINGS


async def create_customer(request: web.Request) -> web.Response:
    require_role(request, *STAFF)
    body = await read_json(request, schemas.CUSTOMER_CREATE)
    new = NewCustomer(
        name=body.pop("name"),
        phones=body.pop("phones", []),
        emails=body.pop("emails", []),
        fields=body,
    )
    customer = await customers.create_customer(
        request.app[POOL], actor_of(request), new, region=request.app[SETTINGS].default_phone_region
    )
    return json_response(customer_view(customer), status=201)


async def search_customers(request: web.Request) -> web.Response:
    require_role(request, *STAFF)
    limit = page_limit(request)
    found = await customers.search_customers(
        request.app[POOL],
        request.query.get("q"),
        region=request.app[SETTINGS].default_phone_region,
        after=read_name_cursor(request),
        limit=limit + 1,
    )
    page = found[:limit]
    next_cursor = write_name_cursor(page[-1].name, page[-1].id) if len(found) > limit else None
    return json_response(
        {"customers": [customer_view(c) for c in page], "next_cursor": next_cursor}
    )


async def get_customer(request: web.Request) -> web.Response:
    customer = await access_customer(request, request.match_info["id"])
    return json_response(customer_view(customer))


async def update_customer(request: web.Request) -> web.Response:
    customer = await access_customer(request, request.match_info["id"])
    body = await read_json(request, schemas.CUSTOMER_UPDATE)
    updated = await customers.update_customer(
        request.app[POOL],
        actor_of(request),
        customer.id,
        body,
        region=request.app[SETTINGS].default_phone_region,
    )
    return json_response(customer_view(updated))


async def merge_customer(request: web.Request) -> web.Response:
    require_role(request, Role.AGENT, Role.SUPERVISOR, Role.ADMIN)
    survivor = await access_customer(request, request.match_info["id"])
    body = await read_json(request, schemas.CUSTOMER_MERGE)
    merged = await merges.merge_customers(
        request.app[POOL], actor_of(request), survivor.id, parse_id(body["merge_id"], "customer")
    )
    return json_response(customer_view(merged))


async def unmerge_customer(request: web.Request) -> web.Response:
    require_role(request, Role.SUPERVISOR, Role.ADMIN)
    customer = await access_customer(request, request.match_info["id"])
    restored = await merges.unmerge_customer(request.app[POOL], actor_of(request), customer.id)
    return json_response(customer_view(restored))


async def export_customer(request: web.Request) -> web.Response:
    require_role(request, Role.ADMIN)
    customer = await access_customer(request, request.match_info["id"])
    data = await privacy.export_customer(request.app[POOL], actor_of(request), customer.id)
    return json_response(data)


async def customer_history(request: web.Request) -> web.Response:
    customer = await access_customer(request, request.match_info["id"])
    async with request.app[POOL].acquire() as conn:
        entries = await audit.list_entries(conn, "customer", [str(customer.id)])
    return json_response({"history": entries})
