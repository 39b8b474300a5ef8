"""REST handlers for canned replies (kept by supervisors and admins, read by all staff), the
replies filled for one ticket, and the SMS length rule the composer shows."""

from __future__ import annotations

import dataclasses
from typing import Any

from aiohttp import web

from contact_center import canned, customers, tickets
from contact_center.errors import Invalid
from contact_center.timeutil import utc_now
from contact_center.users import Role
from contact_center.web.api import answers, schemas
from contact_center.web.api.paging import page_limit
from contact_center.web.auth import (
    STAFF,
    access_ticket,
    actor_of,
    current_user,
    parse_id,
    require_role,
)
from contact_center.web.jsonio import json_response, read_json
from contact_center.web.keys import POOL
from contact_center.web.route import API, Route

KEEPERS = (Role.SUPERVISOR, Role.ADMIN)
CHANNEL_QUERY = {"channel": {"enum": ["sms", "email"], "description": "for this channel"}}


def _channel(request: web.Request) -> str | None:
    raw = request.query.get("channel") or None
    if raw not in (None, "sms", "email"):
        raise Invalid("channel is sms or email", field="channel")
    return raw


async def list_canned(request: web.Request) -> web.Response:
    require_role(request, *STAFF)
    found = await canned.list_canned(
        request.app[POOL],
        channel=_channel(request),
        language=request.query.get("language") or None,
        limit=page_limit(request),
    )
    return json_response({"canned_replies": found})


async def create_canned(request: web.Request) -> web.Response:
    require_role(request, *KEEPERS)
    body = await read_json(request, schemas.CANNED_CREATE)
    made = await canned.create_canned(request.app[POOL], actor_of(request), body, now=utc_now())
    return json_response(made, status=201)


async def get_canned(request: web.Request) -> web.Response:
    require_role(request, *STAFF)
    found = await canned.get_canned(
        request.app[POOL], parse_id(request.match_info["id"], "canned reply")
    )
    return json_response(found)


async def update_canned(request: web.Request) -> web.Response:
    require_role(request, *KEEPERS)
    body = await read_json(request, schemas.CANNED_UPDATE)
    changed = await canned.update_canned(
        request.app[POOL],
        actor_of(request),
        parse_id(request.match_info["id"], "canned reply"),
        body,
        now=utc_now(),
    )
    return json_response(changed)


async def delete_canned(request: web.Request) -> web.Response:
    require_role(request, *KEEPERS)
    await canned.delete_canned(
        request.app[POOL], actor_of(request), parse_id(request.match_info["id"], "canned reply")
    )
    return web.Response(status=204)


async def canned_for_ticket(request: web.Request) -> web.Response:
    """Every canned reply (for the channel asked, in the customer's language first) with
    `{customer_name}`, `{ticket_number}` and `{agent_name}` filled for this ticket."""
    ticket = await access_ticket(request, request.match_info["id"])
    pool = request.app[POOL]
    customer = await customers.get_customer(pool, ticket.customer_id)
    agent = current_user(request)
    values = {
        "customer_name": customer.name,
        "ticket_number": ticket.number,
        "agent_name": agent.name or agent.email,
    }
    found = await canned.list_canned(
        pool, channel=_channel(request), language=request.query.get("language") or None
    )
    found.sort(key=lambda c: c.language != customer.language)  # stable: then by title
    filled = []
    for reply in found:
        rendered = canned.render(reply.body, values)
        filled.append(
            {**dataclasses.asdict(reply), "text": rendered.text, "unknown": rendered.unknown}
        )
    return json_response({"canned_replies": filled})


async def sms_length(request: web.Request) -> web.Response:
    require_role(request, *STAFF)
    body: dict[str, Any] = await read_json(request, schemas.SMS_LENGTH)
    return json_response(tickets.sms_length(body["text"]))


ROUTES: list[Route] = [
    Route(
        "GET",
        f"{API}/canned-replies",
        list_canned,
        "Canned replies by language and title (`channel` keeps those for it and for any)",
        query=("channel", "language", "limit"),
        query_schemas=CHANNEL_QUERY,
        tag="canned replies",
        answer=answers.CANNED_LIST,
    ),
    Route(
        "POST",
        f"{API}/canned-replies",
        create_canned,
        "Add a canned reply (supervisors and admins)",
        body=schemas.CANNED_CREATE,
        created=True,
        tag="canned replies",
        answer=answers.CANNED,
    ),
    Route(
        "GET",
        f"{API}/canned-replies/{{id}}",
        get_canned,
        "One canned reply",
        tag="canned replies",
        answer=answers.CANNED,
    ),
    Route(
        "PATCH",
        f"{API}/canned-replies/{{id}}",
        update_canned,
        "Change a canned reply (supervisors and admins)",
        body=schemas.CANNED_UPDATE,
        tag="canned replies",
        answer=answers.CANNED,
    ),
    Route(
        "DELETE",
        f"{API}/canned-replies/{{id}}",
        delete_canned,
        "Remove a canned reply (supervisors and admins)",
        tag="canned replies",
    ),
    Route(
        "GET",
        f"{API}/tickets/{{id}}/canned-replies",
        canned_for_ticket,
        "Canned replies filled with this ticket's customer name, number and your name; "
        "`unknown` lists variables left unfilled",
        query=("channel", "language"),
        query_schemas=CHANNEL_QUERY,
        tag="canned replies",
        answer=answers.CANNED_FILLED,
    ),
    Route(
        "POST",
        f"{API}/sms/length",
        sms_length,
        "Characters, encoding (GSM-7 or UCS-2) and segments of an SMS text",
        body=schemas.SMS_LENGTH,
        tag="tickets",
        answer=answers.SMS_LENGTH,
    ),
]
