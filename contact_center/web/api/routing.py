"""REST handlers for routing: an agent's presence and offers, agents' settings, the supervisor's
board and assignment by hand. Agents act on themselves; supervisors and admins on anyone."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from aiohttp import web

from contact_center import routing
from contact_center.errors import Forbidden
from contact_center.routing import Agent, Presence
from contact_center.timeutil import to_site_time, utc_now
from contact_center.users import Role, User
from contact_center.web.api import routing_schemas as schemas
from contact_center.web.auth import (
    STAFF,
    actor_of,
    parse_id,
    require_role,
)
from contact_center.web.jsonio import json_response, read_json
from contact_center.web.keys import POOL, SETTINGS
from contact_center.web.route import API, Route

MANAGERS = (Role.SUPERVISOR, Role.ADMIN)
TAG = "routing"
OFFER_ERRORS: dict[int, str | tuple[str, dict[str, Any]]] = {
    403: "the offer was made to someone else",
    404: "no such offer",
    409: "the offer is no longer open (accepted, rejected, expired or withdrawn)",
}


def _agent_id(request: web.Request) -> UUID:
    """The agent a route acts on: oneself, or (supervisors and admins) anyone."""
    user = require_role(request, *STAFF)
    agent_id = parse_id(request.match_info["user_id"], "user")
    if agent_id != user.id and not user.has_role(*MANAGERS):
        raise Forbidden("only supervisors and admins act for other agents")
    return agent_id


def _options(request: web.Request) -> routing.RoutingOptions:
    """Routing's settings, among them the site's time zone (whose day `handled_today` counts)."""
    return routing.options_from(request.app[SETTINGS])


def _detail(agent: Agent) -> dict[str, Any]:
    return {
        **agent.state(),
        "phone": agent.phone,
        "client_identity": agent.client_identity,
        "missed_offers": agent.missed_offers,
        "handled_today": agent.handled_today,
    }


async def _set_presence(request: web.Request, user_id: UUID) -> web.Response:
    body = await read_json(request, schemas.PRESENCE_SET)
    agent = await routing.set_presence(
        request.app[POOL],
        actor_of(request),
        user_id,
        Presence(body["presence"]),
        body.get("reason", ""),
        now=utc_now(),
        options=_options(request),
    )
    return json_response(agent.state())


async def my_presence(request: web.Request) -> web.Response:
    user: User = require_role(request, *STAFF)
    return json_response(
        (await routing.get_agent(request.app[POOL], user.id, now=utc_now())).state()
    )


async def set_my_presence(request: web.Request) -> web.Response:
    return await _set_presence(request, require_role(request, *STAFF).id)


async def set_agent_presence(request: web.Request) -> web.Response:
    return await _set_presence(request, _agent_id(request))


async def get_agent(request: web.Request) -> web.Response:
    agent = await routing.get_agent(
        request.app[POOL], _agent_id(request), now=utc_now(), options=_options(request)
    )
    return json_response(_detail(agent))


async def update_agent(request: web.Request) -> web.Response:
    require_role(request, *MANAGERS)
    user_id = parse_id(request.match_info["user_id"], "user")
    body = await read_json(request, schemas.AGENT_UPDATE)
    changes = {k: v for k, v in body.items() if k != "capacity"}
    for workload, value in body.get("capacity", {}).items():
        changes[f"{workload}_capacity"] = value
    agent = await routing.update_agent(
        request.app[POOL],
        actor_of(request),
        user_id,
        changes,
        now=utc_now(),
        options=_options(request),
    )
    return json_response(_detail(agent))


def _offer_view(view: routing.OfferView, queue_label: str) -> dict[str, Any]:
    offer, item = view.offer, view.item
    summary = item.summary
    return {
        "id": offer.id,
        "item_id": item.id,
        "kind": item.kind,
        "channel": item.channel,
        "queue": item.queue,
        "queue_label": queue_label,
        "priority": item.priority,
        "offered_at": offer.offered_at,
        "expires_at": offer.expires_at,
        "customer": {
            "id": item.customer_id,
            "name": str(summary.get("customer_name", "")),
            "tier": summary.get("tier"),
            "key_account": item.key_account,
        },
        "ticket_id": item.ticket_id,
        "call_id": item.call_id,
        "callback_id": item.callback_id,
        "reason": str(summary.get("reason") or summary.get("subject") or ""),
        "routed_because": offer.reason,
        "summary": summary,
    }


async def my_offer(request: web.Request) -> web.Response:
    user = require_role(request, *STAFF)
    view = await routing.current_offer(request.app[POOL], user.id)
    if view is None:
        return json_response({"offer": None})
    queue = await routing.get_queue(request.app[POOL], view.item.queue)
    return json_response({"offer": _offer_view(view, queue.label or queue.name)})


async def accept_offer(request: web.Request) -> web.Response:
    require_role(request, *STAFF)
    done = await routing.accept_offer(
        request.app[POOL],
        actor_of(request),
        parse_id(request.match_info["id"], "offer"),
        now=utc_now(),
        options=_options(request),
    )
    return json_response(done)


async def reject_offer(request: web.Request) -> web.Response:
    require_role(request, *STAFF)
    offer_id = parse_id(request.match_info["id"], "offer")
    await routing.reject_offer(request.app[POOL], actor_of(request), offer_id, now=utc_now())
    return json_response({"offer_id": offer_id, "outcome": "rejected"})


def _day_start(now: datetime, site_timezone: str) -> datetime:
    return to_site_time(now, site_timezone).replace(hour=0, minute=0, second=0, microsecond=0)


async def board(request: web.Request) -> web.Response:
    require_role(request, *MANAGERS)
    now = utc_now()
    found = await routing.board(
        request.app[POOL], now=now, day_start=_day_start(now, request.app[SETTINGS].site_timezone)
    )
    return json_response(found)


async def assign_item(request: web.Request) -> web.Response:
    require_role(request, *MANAGERS)
    body = await read_json(request, schemas.ASSIGN)
    done = await routing.assign_item(
        request.app[POOL],
        actor_of(request),
        parse_id(request.match_info["id"], "work item"),
        UUID(body["user_id"]),
        now=utc_now(),
        options=_options(request),
    )
    return json_response(done)


ROUTES: list[Route] = [
    Route(
        "GET",
        f"{API}/me/presence",
        my_presence,
        "Your presence, skills, capacity and load",
        tag=TAG,
        answer=schemas.AGENT_STATE,
    ),
    Route(
        "PUT",
        f"{API}/me/presence",
        set_my_presence,
        "Set your presence (available, busy, away, offline) with a reason; leaving "
        "`available` gives a pending offer back",
        body=schemas.PRESENCE_SET,
        tag=TAG,
        answer=schemas.AGENT_STATE,
    ),
    Route(
        "GET",
        f"{API}/offers/mine",
        my_offer,
        "The offer waiting for your answer, or null",
        tag=TAG,
        answer=schemas.MY_OFFER,
    ),
    Route(
        "POST",
        f"{API}/offers/{{id}}/accept",
        accept_offer,
        "Accept an offer made to you: the item is assigned to you",
        tag=TAG,
        answer=schemas.ASSIGNMENT,
        responses=OFFER_ERRORS,
    ),
    Route(
        "POST",
        f"{API}/offers/{{id}}/reject",
        reject_offer,
        "Pass on an offer made to you: the item is offered to someone else",
        tag=TAG,
        answer=schemas.REJECTED,
        responses=OFFER_ERRORS,
    ),
    Route(
        "GET",
        f"{API}/routing/board",
        board,
        "Queues (waiting work by channel, longest wait, today's service level) and agents "
        "(supervisors and admins)",
        tag=TAG,
        answer=schemas.BOARD,
    ),
    Route(
        "POST",
        f"{API}/routing/items/{{id}}/assign",
        assign_item,
        "Give a waiting, offered or assigned item to an agent by hand (supervisors and admins)",
        body=schemas.ASSIGN,
        tag=TAG,
        answer=schemas.ASSIGNMENT,
        responses={404: "no such item or user", 409: "the item ended, or the agent is full"},
    ),
    Route(
        "PUT",
        f"{API}/agents/{{user_id}}/presence",
        set_agent_presence,
        "Set an agent's presence (yourself, or anyone for supervisors and admins)",
        body=schemas.PRESENCE_SET,
        tag=TAG,
        answer=schemas.AGENT_STATE,
        responses={404: "no such user"},
    ),
    Route(
        "GET",
        f"{API}/agents/{{user_id}}",
        get_agent,
        "An agent's routing settings and state (yourself, or anyone for supervisors and admins)",
        tag=TAG,
        answer=schemas.AGENT_DETAIL,
        responses={404: "no such user"},
    ),
    Route(
        "PUT",
        f"{API}/agents/{{user_id}}",
        update_agent,
        "Change an agent's skills, capacity per channel, phone or voice client identity "
        "(supervisors and admins)",
        body=schemas.AGENT_UPDATE,
        tag=TAG,
        answer=schemas.AGENT_DETAIL,
        responses={404: "no such user"},
    ),
]
