"""REST handlers for customers: create, read, change, search, merge, export, history."""

from __future__ import annotations

from aiohttp import web

from contact_center import accounts, audit, customers, merges, privacy, tickets
from contact_center.customers import NewCustomer
from contact_center.timeutil import utc_now
from contact_center.users import Role
from contact_center.web.api import answers, schemas
from contact_center.web.api.paging import page_limit, read_name_cursor, write_name_cursor
from contact_center.web.api.views import customer_view
from contact_center.web.auth import (
    MERGE_OVERSEERS,
    MERGERS,
    OVERSEERS,
    STAFF,
    access_customer,
    actor_of,
    current_user,
    parse_id,
    require_role,
)
from contact_center.web.jsonio import json_response, read_json
from contact_center.web.keys import POOL, SETTINGS
from contact_center.web.route import API, Route


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


async def customer_summary(request: web.Request) -> web.Response:
    customer = await access_customer(request, request.match_info["id"])
    return json_response(await tickets.customer_summary(request.app[POOL], customer.id))


async def update_customer(request: web.Request) -> web.Response:
    customer = await access_customer(request, request.match_info["id"])
    body = await read_json(request, schemas.CUSTOMER_UPDATE)
    updated = await accounts.edit_customer(
        request.app[POOL],
        actor_of(request),
        customer.id,
        body,
        region=request.app[SETTINGS].default_phone_region,
        expected_version=None,
        overseer=current_user(request).has_role(*OVERSEERS),
        now=utc_now(),
    )
    return json_response(customer_view(updated))


async def merge_customer(request: web.Request) -> web.Response:
    require_role(request, *MERGERS)
    survivor = await access_customer(request, request.match_info["id"])
    body = await read_json(request, schemas.CUSTOMER_MERGE)
    merged = await merges.merge_customers(
        request.app[POOL], actor_of(request), survivor.id, parse_id(body["merge_id"], "customer")
    )
    return json_response(customer_view(merged))


async def unmerge_customer(request: web.Request) -> web.Response:
    user = require_role(request, *MERGERS)
    customer = await access_customer(request, request.match_info["id"])
    restored = await merges.unmerge_customer(
        request.app[POOL],
        actor_of(request),
        customer.id,
        any_merge=user.has_role(*MERGE_OVERSEERS),
    )
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


ROUTES: list[Route] = [
    Route(
        "GET",
        f"{API}/customers",
        search_customers,
        "Search customers by name, phone in any format, email, ticket number or ticket words",
        query=("q", "limit", "cursor"),
        tag="customers",
        answer=answers.CUSTOMERS,
    ),
    Route(
        "POST",
        f"{API}/customers",
        create_customer,
        "Create a customer info card",
        body=schemas.CUSTOMER_CREATE,
        created=True,
        tag="customers",
        responses={
            409: "a phone or email belongs to another customer, or account fields for a member "
            "of an organization"
        },
        answer=answers.CUSTOMER,
    ),
    Route(
        "GET",
        f"{API}/customers/{{id}}",
        get_customer,
        "One customer info card",
        tag="customers",
        answer=answers.CUSTOMER,
    ),
    Route(
        "GET",
        f"{API}/customers/{{id}}/summary",
        customer_summary,
        "What the ticket page's info card shows: identity, tier and key account, account "
        "manager, route, birthday, preferences, open complaints and the latest contacts",
        tag="customers",
        answer=answers.CUSTOMER_SUMMARY,
    ),
    Route(
        "PATCH",
        f"{API}/customers/{{id}}",
        update_customer,
        "Change card fields; `phones`/`emails` replace the lists; account fields change a "
        "personal account (a member's belong to its organization)",
        body=schemas.CUSTOMER_UPDATE,
        tag="customers",
        responses={
            409: "a phone or email belongs to another customer, this one was merged, or account "
            "fields for a member of an organization (edit the organization)"
        },
        answer=answers.CUSTOMER,
    ),
    Route(
        "POST",
        f"{API}/customers/{{id}}/merge",
        merge_customer,
        "Merge another customer into this one",
        body=schemas.CUSTOMER_MERGE,
        tag="customers",
        responses={409: "the same customer twice, or one of them is already merged"},
        answer=answers.CUSTOMER,
    ),
    Route(
        "POST",
        f"{API}/customers/{{id}}/unmerge",
        unmerge_customer,
        "Undo the latest merge of this (merged-away) customer (supervisor, admin, or the agent "
        "who merged it, within a day)",
        tag="customers",
        responses={404: "no such customer, or it has no merge to undo", 409: "already undone"},
        answer=answers.CUSTOMER,
    ),
    Route(
        "GET",
        f"{API}/customers/{{id}}/export",
        export_customer,
        "All personal data of one customer (admin)",
        tag="customers",
    ),
    Route(
        "GET",
        f"{API}/customers/{{id}}/history",
        customer_history,
        "The audit trail of one customer",
        tag="customers",
        answer=answers.HISTORY,
    ),
]
