"""GET /api/v1/outbox: every outbound message's delivery state, for supervisors and admins."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from contact_center import outbox
from contact_center.outbox import DeliveryState, OutboundChannel, OutboundMessage, OutboundStatus
from contact_center.users import Role
from contact_center.web.api import schemas
from contact_center.web.api.paging import enum_choice, enum_filter, page_limit
from contact_center.web.auth import require_role
from contact_center.web.jsonio import json_response
from contact_center.web.keys import POOL
from contact_center.web.route import API, Route


def outbound_view(message: OutboundMessage) -> dict[str, Any]:
    return {
        "id": message.id,
        "ticket_id": message.ticket_id,
        "message_id": message.message_id,
        "customer_id": message.customer_id,
        "purpose": message.purpose,
        "channel": message.channel,
        "to_address": message.to_address,
        "from_address": message.from_address,
        "automatic": message.automatic,
        "created_at": message.created_at,
        **vars(DeliveryState.of(message)),
    }


async def list_outbound(request: web.Request) -> web.Response:
    require_role(request, Role.SUPERVISOR, Role.ADMIN)
    found, counts = await outbox.list_outbound(
        request.app[POOL],
        statuses=enum_filter(request, "status", OutboundStatus),
        channel=enum_choice(request, "channel", OutboundChannel),
        limit=page_limit(request),
    )
    return json_response({"counts": counts, "outbound": [outbound_view(m) for m in found]})


ROUTES: list[Route] = [
    Route(
        "GET",
        f"{API}/outbox",
        list_outbound,
        "Outbound SMS and mail newest first, each with its delivery status, attempts, last "
        "error and next attempt, and counts per status (supervisor, admin)",
        query=("status", "channel", "limit"),
        query_schemas={"status": schemas.OUTBOUND_STATUSES, "channel": schemas.OUTBOUND_CHANNEL},
        tag="outbox",
    ),
]
