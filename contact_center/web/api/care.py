"""REST handlers for care messages: broadcast preview, start, list, cancel (supervisors and
admins), and a customer's "no care messages" flag (any staff member, on the card)."""

from __future__ import annotations

import dataclasses
from typing import Any

from aiohttp import web

from contact_center import care, privacy
from contact_center.care import Broadcast, Segment
from contact_center.timeutil import utc_now
from contact_center.users import Role
from contact_center.web.api import care_schemas as schemas
from contact_center.web.api.paging import page_limit
from contact_center.web.auth import access_customer, actor_of, parse_id, require_role
from contact_center.web.jsonio import json_response, read_json
from contact_center.web.keys import POOL, SETTINGS
from contact_center.web.route import API, Route

SENDERS = (Role.SUPERVISOR, Role.ADMIN)


def segment_of(raw: dict[str, Any]) -> Segment:
    return Segment(
        tiers=tuple(sorted(set(raw.get("tiers", ())))),
        territories=tuple(sorted({t.strip() for t in raw.get("territories", ()) if t.strip()})),
        tags=tuple(sorted({t.strip() for t in raw.get("tags", ()) if t.strip()})),
        stages=tuple(sorted(set(raw.get("stages", ())))),
        key_accounts_only=bool(raw.get("key_accounts_only", False)),
    )


def broadcast_view(broadcast: Broadcast) -> dict[str, Any]:
    return {**dataclasses.asdict(broadcast), "segment": broadcast.segment.as_json()}


async def preview(request: web.Request) -> web.Response:
    require_role(request, *SENDERS)
    data = await read_json(request, schemas.PREVIEW_REQUEST)
    found = await care.preview(
        request.app[POOL],
        segment_of(data["segment"]),
        data.get("channel"),
        can_sms=bool(request.app[SETTINGS].twilio_from_number),
    )
    return json_response(dataclasses.asdict(found))


async def create(request: web.Request) -> web.Response:
    require_role(request, *SENDERS)
    data = await read_json(request, schemas.CREATE)
    made = await care.start_broadcast(
        request.app[POOL],
        actor_of(request),
        name=data["name"].strip(),
        segment=segment_of(data["segment"]),
        body_en=data["body_en"].strip(),
        body_zh=data.get("body_zh", "").strip(),
        subject_en=data.get("subject_en", "").strip(),
        subject_zh=data.get("subject_zh", "").strip(),
        channel=data.get("channel"),
        now=utc_now(),
    )
    return json_response(broadcast_view(made), status=201)


async def list_all(request: web.Request) -> web.Response:
    require_role(request, *SENDERS)
    found = await care.list_broadcasts(request.app[POOL], limit=page_limit(request))
    return json_response({"broadcasts": [broadcast_view(b) for b in found]})


async def get_one(request: web.Request) -> web.Response:
    require_role(request, *SENDERS)
    found = await care.get_broadcast(
        request.app[POOL], parse_id(request.match_info["id"], "broadcast")
    )
    return json_response(broadcast_view(found))


async def cancel(request: web.Request) -> web.Response:
    require_role(request, *SENDERS)
    broadcast_id = parse_id(request.match_info["id"], "broadcast")
    done = await care.cancel_broadcast(
        request.app[POOL], actor_of(request), broadcast_id, now=utc_now()
    )
    return json_response(broadcast_view(done))


async def get_care_flag(request: web.Request) -> web.Response:
    customer = await access_customer(request, request.match_info["id"])
    since = await care.care_opt_out(request.app[POOL], customer.id)
    return json_response(
        {"customer_id": customer.id, "opted_out": since is not None, "since": since}
    )


async def put_care_flag(request: web.Request) -> web.Response:
    customer = await access_customer(request, request.match_info["id"])
    data = await read_json(request, schemas.CARE_FLAG_UPDATE)
    since = await care.set_care_opt_out(
        request.app[POOL], actor_of(request), customer.id, data["opted_out"], now=utc_now()
    )
    return json_response(
        {"customer_id": customer.id, "opted_out": since is not None, "since": since}
    )


async def erase_outbound(request: web.Request) -> web.Response:
    require_role(request, Role.ADMIN)
    customer = await access_customer(request, request.match_info["id"])
    erased = await privacy.erase_outbound(request.app[POOL], actor_of(request), customer.id)
    return json_response({"customer_id": customer.id, "erased": erased})


ROUTES: list[Route] = [
    Route(
        "POST",
        f"{API}/broadcasts/preview",
        preview,
        "How many customers a segment holds, and how many a broadcast would reach, how many "
        "opted out (SMS STOP or no care messages) and how many have no address (supervisor, "
        "admin)",
        body=schemas.PREVIEW_REQUEST,
        answer=schemas.PREVIEW,
        tag="care",
    ),
    Route(
        "POST",
        f"{API}/broadcasts",
        create,
        "Start a broadcast to a segment: the recipients are fixed now, and messages leave at "
        "care.rate_per_minute, in each customer's language (body_zh for Chinese when given) "
        "(supervisor, admin)",
        body=schemas.CREATE,
        answer=schemas.BROADCAST,
        created=True,
        tag="care",
    ),
    Route(
        "GET",
        f"{API}/broadcasts",
        list_all,
        "Broadcasts newest first with their delivery figures (supervisor, admin)",
        query=("limit",),
        answer=schemas.BROADCASTS,
        tag="care",
    ),
    Route(
        "GET",
        f"{API}/broadcasts/{{id}}",
        get_one,
        "One broadcast with its delivery figures (supervisor, admin)",
        answer=schemas.BROADCAST,
        tag="care",
    ),
    Route(
        "POST",
        f"{API}/broadcasts/{{id}}/cancel",
        cancel,
        "Stop a sending broadcast: customers not yet sent to are skipped as cancelled; 409 "
        "when it is no longer sending (supervisor, admin)",
        answer=schemas.BROADCAST,
        responses={409: "the broadcast is done or cancelled already"},
        tag="care",
    ),
    Route(
        "GET",
        f"{API}/customers/{{id}}/care",
        get_care_flag,
        "Whether the customer wants no care messages (greetings, broadcasts)",
        answer=schemas.CARE_FLAG,
        tag="customers",
    ),
    Route(
        "PUT",
        f"{API}/customers/{{id}}/care",
        put_care_flag,
        'Set or clear the customer\'s "no care messages" flag (audited)',
        body=schemas.CARE_FLAG_UPDATE,
        answer=schemas.CARE_FLAG,
        tag="customers",
    ),
    Route(
        "POST",
        f"{API}/customers/{{id}}/erase-outbound",
        erase_outbound,
        "Erase the address, subject and body of the messages sent to this customer outside "
        "tickets (greetings, broadcasts, visit reminders); the rows stay, blank, for the "
        "delivery figures (admin)",
        answer=schemas.ERASED,
        tag="customers",
    ),
]
