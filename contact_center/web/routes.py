"""Every console and API URL in one table, with who may call it and what it takes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from contact_center.web.api import (
    answers,
    customers,
    devsink,
    health,
    organizations,
    outbox,
    schemas,
    tickets,
    users,
)
from contact_center.web.api.index import build_index, render_home
from contact_center.web.auth import authenticate
from contact_center.web.jsonio import json_response
from contact_center.web.keys import SETTINGS, USER
from contact_center.web.openapi import build_openapi

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    handler: Handler
    summary: str
    public: bool = False
    body: dict[str, Any] | None = None
    query: tuple[str, ...] = ()
    # Query parameters whose meaning differs on this route from the shared one in schemas.QUERY.
    query_schemas: dict[str, dict[str, Any]] = field(default_factory=dict)
    tag: str = "api"
    created: bool = False  # answers 201 Created
    # Other answers it may give: a description (the body is an Error) or (description, schema).
    responses: dict[int, str | tuple[str, dict[str, Any]]] = field(default_factory=dict)
    answer: dict[str, Any] | None = None  # the success answer's JSON schema
    media: tuple[str, ...] = ("application/json",)  # the success answer's content types


async def openapi_document(request: web.Request) -> web.Response:
    return json_response(build_openapi(ROUTES, request.app[SETTINGS].public_url))


async def api_index(request: web.Request) -> web.Response:
    return json_response(build_index(ROUTES, request.app[SETTINGS].public_url))


async def home_page(request: web.Request) -> web.Response:
    settings = request.app[SETTINGS]
    page = render_home(ROUTES, settings.public_url, demo=settings.demo)
    return web.Response(text=page, content_type="text/html")


API = "/api/v1"
ROUTES: list[Route] = [
    Route(
        "GET",
        "/",
        home_page,
        "Where to start (HTML)",
        public=True,
        tag="home",
        media=("text/html",),
    ),
    Route("GET", API, api_index, "The API's parts and their URLs", public=True, tag="api"),
    Route(
        "GET",
        "/healthz",
        health.healthz,
        "Service and database health",
        public=True,
        tag="health",
        responses={503: ("database unreachable", answers.HEALTH)},
        answer=answers.HEALTH,
    ),
    Route(
        "POST",
        f"{API}/auth/login",
        users.log_in,
        "Log in; sets the session cookie",
        public=True,
        body=schemas.LOGIN,
        tag="auth",
        responses={
            401: "wrong email or password",
            403: "sent from a page of another site (`Origin`)",
            415: "the body is not declared `application/json`",
            429: "too many failed logins: wait the seconds in `Retry-After`",
        },
        answer=answers.SESSION,
    ),
    Route("POST", f"{API}/auth/logout", users.log_out, "Log out; revokes the session", tag="auth"),
    Route(
        "GET",
        f"{API}/me",
        users.me,
        "The current user (and CSRF token for sessions)",
        tag="auth",
        answer=answers.SESSION,
    ),
    Route("GET", f"{API}/openapi.json", openapi_document, "This document", public=True, tag="api"),
    Route(
        "GET",
        f"{API}/users",
        users.list_users,
        "List staff users (admin)",
        tag="users",
        answer=answers.USERS,
    ),
    Route(
        "POST",
        f"{API}/users",
        users.create_user,
        "Create a staff user (admin)",
        body=schemas.USER_CREATE,
        created=True,
        tag="users",
        responses={409: "a user with that email exists"},
        answer=answers.USER,
    ),
    Route(
        "PATCH",
        f"{API}/users/{{id}}",
        users.update_user,
        "Change a user's role or password (admin); ends their sessions",
        body=schemas.USER_UPDATE,
        tag="users",
        answer=answers.USER,
    ),
    Route(
        "POST",
        f"{API}/tokens",
        users.create_token,
        "Create an API token for yourself",
        body=schemas.TOKEN_CREATE,
        created=True,
        tag="users",
        answer=answers.TOKEN,
    ),
    Route(
        "GET",
        f"{API}/tokens",
        users.list_tokens,
        "Your API tokens that are not revoked (id, name, created, last used; never the secret)",
        tag="users",
    ),
    Route(
        "DELETE",
        f"{API}/tokens/{{id}}",
        users.revoke_token,
        "Revoke one of your API tokens",
        tag="users",
    ),
    Route(
        "GET",
        f"{API}/customers",
        customers.search_customers,
        "Search customers by name, phone in any format, email or ticket number",
        query=("q", "limit", "cursor"),
        tag="customers",
        answer=answers.CUSTOMERS,
    ),
    Route(
        "POST",
        f"{API}/customers",
        customers.create_customer,
        "Create a customer info card",
        body=schemas.CUSTOMER_CREATE,
        created=True,
        tag="customers",
        responses={409: "a phone or email belongs to another customer"},
        answer=answers.CUSTOMER,
    ),
    Route(
        "GET",
        f"{API}/customers/{{id}}",
        customers.get_customer,
        "One customer info card",
        tag="customers",
        answer=answers.CUSTOMER,
    ),
    Route(
        "PATCH",
        f"{API}/customers/{{id}}",
        customers.update_customer,
        "Change card fields; `phones`/`emails` replace the lists",
        body=schemas.CUSTOMER_UPDATE,
        tag="customers",
        responses={409: "a phone or email belongs to another customer, or this one was merged"},
        answer=answers.CUSTOMER,
    ),
    Route(
        "POST",
        f"{API}/customers/{{id}}/merge",
        customers.merge_customer,
        "Merge another customer into this one",
        body=schemas.CUSTOMER_MERGE,
        tag="customers",
        responses={409: "the same customer twice, or one of them is already merged"},
        answer=answers.CUSTOMER,
    ),
    Route(
        "POST",
        f"{API}/customers/{{id}}/unmerge",
        customers.unmerge_customer,
        "Undo the latest merge of this (merged-away) customer",
        tag="customers",
        responses={404: "no such customer, or it has no merge to undo", 409: "already undone"},
        answer=answers.CUSTOMER,
    ),
    Route(
        "GET",
        f"{API}/customers/{{id}}/export",
        customers.export_customer,
        "All personal data of one customer (admin)",
        tag="customers",
    ),
    Route(
        "GET",
        f"{API}/customers/{{id}}/history",
        customers.customer_history,
        "The audit trail of one customer",
        tag="customers",
        answer=answers.HISTORY,
    ),
    Route(
        "GET",
        f"{API}/organizations",
        organizations.list_organizations,
        "List organizations",
        query=("q", "tier", "key_account", "limit", "cursor"),
        tag="organizations",
        answer=answers.ORGANIZATIONS,
    ),
    Route(
        "POST",
        f"{API}/organizations",
        organizations.create_organization,
        "Create an organization",
        body=schemas.ORGANIZATION_CREATE,
        created=True,
        tag="organizations",
        answer=answers.ORGANIZATION,
    ),
    Route(
        "GET",
        f"{API}/organizations/{{id}}",
        organizations.get_organization,
        "One organization with its contact persons",
        tag="organizations",
        answer=answers.ORGANIZATION_WITH_MEMBERS,
    ),
    Route(
        "PATCH",
        f"{API}/organizations/{{id}}",
        organizations.update_organization,
        "Change an organization",
        body=schemas.ORGANIZATION_UPDATE,
        tag="organizations",
        answer=answers.ORGANIZATION,
    ),
    Route(
        "GET",
        f"{API}/tickets",
        tickets.list_tickets,
        "List tickets, newest first",
        query=(
            "status",
            "kind",
            "channel",
            "queue",
            "assignee_id",
            "customer_id",
            "q",
            "limit",
            "cursor",
        ),
        tag="tickets",
        answer=answers.TICKETS,
    ),
    Route(
        "POST",
        f"{API}/tickets",
        tickets.open_ticket,
        "Open a ticket by hand",
        body=schemas.TICKET_CREATE,
        created=True,
        tag="tickets",
        responses={409: "the customer was merged into another"},
        answer=answers.TICKET,
    ),
    Route(
        "GET",
        f"{API}/attachments/{{id}}",
        tickets.download_attachment,
        "Download a file a customer sent (`?inline=1` shows plain images in place)",
        query=("inline",),
        tag="tickets",
        answer=answers.FILE,
        media=("application/octet-stream", *sorted(tickets.SAFE_INLINE)),
    ),
    Route(
        "GET",
        f"{API}/inbound/unplaced",
        tickets.list_unplaced,
        "Inbound mail and messages kept raw because they could not be parsed",
        query=("limit",),
        tag="tickets",
        answer=answers.UNPLACED,
    ),
    Route(
        "GET",
        f"{API}/outbox",
        outbox.list_outbound,
        "Outbound SMS and mail newest first, each with its delivery status, attempts, last "
        "error and next attempt, and counts per status (supervisor, admin)",
        query=("status", "channel", "limit"),
        query_schemas={"status": schemas.OUTBOUND_STATUSES, "channel": schemas.OUTBOUND_CHANNEL},
        tag="outbox",
    ),
    Route(
        "GET",
        "/dev/outbox",
        devsink.sink_page,
        "Demo mode: the development sink as a page (what would have been sent)",
        public=True,
        media=("text/html",),
        query=("channel", "limit"),
        query_schemas={"channel": schemas.OUTBOUND_CHANNEL},
        tag="dev",
        responses={404: "not in demo mode"},
    ),
    Route(
        "GET",
        f"{API}/dev/sink",
        devsink.sink_json,
        "Demo mode: outbound SMS and mail kept by the development sink, newest first, with "
        "where each channel sends and where test traffic goes in",
        public=True,
        query=("channel", "limit"),
        query_schemas={"channel": schemas.OUTBOUND_CHANNEL},
        tag="dev",
        responses={404: "not in demo mode"},
    ),
    Route(
        "GET",
        f"{API}/tickets/{{id}}",
        tickets.get_ticket,
        "One ticket with its messages",
        tag="tickets",
        answer=answers.TICKET_WITH_MESSAGES,
    ),
    Route(
        "PATCH",
        f"{API}/tickets/{{id}}",
        tickets.update_ticket,
        "Change status, priority, assignee, kind, queue or subject",
        body=schemas.TICKET_UPDATE,
        tag="tickets",
        answer=answers.TICKET,
    ),
    Route(
        "POST",
        f"{API}/tickets/{{id}}/replies",
        tickets.send_reply,
        "Reply to the customer by SMS or email (sent through the outbox)",
        body=schemas.REPLY_CREATE,
        created=True,
        tag="tickets",
        responses={409: "no address on that channel, SMS opt-out, or no SMS number configured"},
        answer=answers.MESSAGE,
    ),
    Route(
        "POST",
        f"{API}/tickets/{{id}}/notes",
        tickets.add_note,
        "Add an internal note",
        body=schemas.NOTE_CREATE,
        created=True,
        tag="tickets",
        answer=answers.MESSAGE,
    ),
]


def guarded(route: Route) -> Handler:
    """Authenticate before the handler runs, unless the route is public."""
    if route.public:
        return route.handler

    async def handler(request: web.Request) -> web.StreamResponse:
        request[USER] = await authenticate(request)
        return await route.handler(request)

    return handler


def add_routes(app: web.Application, routes: list[Route]) -> None:
    for route in routes:
        app.router.add_route(route.method, route.path, guarded(route))
