"""REST handlers for the ticket page: the merged timeline, and an email's sanitized HTML served
alone for a sandboxed frame."""

from __future__ import annotations

import dataclasses
from typing import Any

from aiohttp import web

from contact_center import calls, tickets
from contact_center.tickets import TimelineItem
from contact_center.web.api import answers
from contact_center.web.api.views import ticket_view
from contact_center.web.auth import access_ticket, parse_id
from contact_center.web.jsonio import json_response
from contact_center.web.keys import POOL
from contact_center.web.route import API, Route

# The frame's own policy: nothing loads, scripts never run (and the frame is a sandbox with a
# unique origin), inline styles keep the mail's look; remote images only when the agent asks.
MAIL_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; sandbox"
)
MAIL_CSP_IMAGES = MAIL_CSP.replace("img-src data:", "img-src data: https:")


def item_view(item: TimelineItem) -> dict[str, Any]:
    data = dataclasses.asdict(item)
    message = data.get("message")
    if message is not None:
        for file in message["attachments"]:
            file["url"] = f"{API}/attachments/{file['id']}"
        message["html_url"] = (
            f"{API}/tickets/{message['ticket_id']}/messages/{message['id']}/html"
            if message["body_html"]
            else None
        )
    return data


async def get_timeline(request: web.Request) -> web.Response:
    ticket = await access_ticket(request, request.match_info["id"])
    timeline = await tickets.get_timeline(request.app[POOL], ticket.id)
    return json_response(
        {
            "ticket": ticket_view(timeline.ticket),
            "items": [item_view(i) for i in timeline.items],
            "calls": await calls.calls_for_ticket(request.app[POOL], ticket.id),
        }
    )


async def message_html(request: web.Request) -> web.Response:
    """An email's HTML as cleaned at intake, as a document of its own for a sandboxed frame:
    its strict policy blocks remote images until `?images=1`, and scripts always."""
    ticket = await access_ticket(request, request.match_info["id"])
    message_id = parse_id(request.match_info["message_id"], "message")
    document = await tickets.mail_html(request.app[POOL], ticket.id, message_id)
    policy = MAIL_CSP_IMAGES if request.query.get("images") == "1" else MAIL_CSP
    return web.Response(
        text=document,
        content_type="text/html",
        headers={
            "Content-Security-Policy": policy,
            "X-Frame-Options": "SAMEORIGIN",
            "Cache-Control": "private, no-store",
        },
    )


ROUTES: list[Route] = [
    Route(
        "GET",
        f"{API}/tickets/{{id}}/timeline",
        get_timeline,
        "The ticket's messages, notes and system events (assignment, status, …) in order, "
        "with each outbound message's delivery state and each file's download URL; `calls` "
        "lists its phone calls (outcome, wait and talk time, agent, IVR path, recording, "
        "transcription)",
        tag="tickets",
        answer=answers.TIMELINE,
    ),
    Route(
        "GET",
        f"{API}/tickets/{{id}}/messages/{{message_id}}/html",
        message_html,
        "An email's sanitized HTML as a document for a sandboxed frame (remote images only "
        "with `?images=1`)",
        query=("images",),
        tag="tickets",
        answer=answers.HTML,
        media=("text/html",),
    ),
]
