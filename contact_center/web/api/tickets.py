"""REST handlers for tickets: list with filters, open, read with messages, change, add notes."""

from __future__ import annotations

from urllib.parse import quote
from uuid import UUID

from aiohttp import web

from contact_center import tickets
from contact_center.errors import Invalid
from contact_center.tickets import Channel, Kind, Priority, Status, TicketFilter
from contact_center.timeutil import utc_now
from contact_center.web.api import answers, schemas
from contact_center.web.api.paging import enum_filter, page_limit
from contact_center.web.api.views import ticket_view
from contact_center.web.auth import (
    STAFF,
    access_customer,
    access_ticket,
    actor_of,
    current_user,
    parse_id,
    require_role,
)
from contact_center.web.errors import error_body
from contact_center.web.jsonio import json_response, read_json
from contact_center.web.keys import POOL, SETTINGS
from contact_center.web.route import API, Route


def _uuid(request: web.Request, name: str) -> UUID | None:
    raw = request.query.get(name)
    if raw is None or raw in {"", "none"}:
        return None
    try:
        return UUID(raw)
    except ValueError:
        raise Invalid("not an id", field=name) from None


def read_filter(request: web.Request) -> TicketFilter:
    return TicketFilter(
        status=enum_filter(request, "status", Status),
        kind=enum_filter(request, "kind", Kind),
        channel=enum_filter(request, "channel", Channel),
        queue=request.query.get("queue"),
        assignee_id=_uuid(request, "assignee_id"),
        unassigned=request.query.get("assignee_id") == "none",
        customer_id=_uuid(request, "customer_id"),
        q=request.query.get("q"),
    )


async def list_tickets(request: web.Request) -> web.Response:
    require_role(request, *STAFF)
    page = await tickets.list_tickets(
        request.app[POOL],
        read_filter(request),
        cursor=request.query.get("cursor"),
        limit=page_limit(request),
        region=request.app[SETTINGS].default_phone_region,
    )
    return json_response(
        {"tickets": [ticket_view(t) for t in page.tickets], "next_cursor": page.next_cursor}
    )


async def open_ticket(request: web.Request) -> web.Response:
    require_role(request, *STAFF)
    body = await read_json(request, schemas.TICKET_CREATE)
    customer = await access_customer(request, body["customer_id"])
    ticket = await tickets.open_ticket(
        request.app[POOL],
        actor_of(request),
        customer_id=customer.id,
        subject=body["subject"],
        text=body.get("text", ""),
        kind=Kind(body.get("kind", "inquiry")),
        channel=Channel(body.get("channel", "web")),
        priority=Priority(body["priority"]) if "priority" in body else None,
        now=utc_now(),
    )
    return json_response(ticket_view(ticket), status=201)


async def get_ticket(request: web.Request) -> web.Response:
    ticket = await access_ticket(request, request.match_info["id"])
    _, messages = await tickets.get_ticket(request.app[POOL], ticket.id)
    return json_response(ticket_view(ticket, messages))


async def update_ticket(request: web.Request) -> web.Response:
    ticket = await access_ticket(request, request.match_info["id"])
    body = await read_json(request, schemas.TICKET_UPDATE)
    updated = await tickets.update_ticket(
        request.app[POOL], actor_of(request), ticket.id, body, now=utc_now()
    )
    return json_response(ticket_view(updated))


async def add_note(request: web.Request) -> web.Response:
    ticket = await access_ticket(request, request.match_info["id"])
    body = await read_json(request, schemas.NOTE_CREATE)
    note = await tickets.add_note(
        request.app[POOL], actor_of(request), ticket.id, body["text"], now=utc_now()
    )
    return json_response(note, status=201)


async def announce_activity(request: web.Request) -> web.Response:
    """Tell the others on this ticket what this user is doing (collision warnings)."""
    ticket = await access_ticket(request, request.match_info["id"])
    body = await read_json(request, schemas.ACTIVITY)
    state = tickets.read_activity(body["state"])
    user = current_user(request)
    event_id = await tickets.announce_activity(
        request.app[POOL], ticket.id, state, user_id=user.id, name=user.name or user.email
    )
    return json_response({"event_id": event_id, "state": state})


async def send_reply(request: web.Request) -> web.Response:
    """201 with the new reply; 200 with the same reply when its `draft_key` was sent before
    with this text; 409 `draft_key_reused` with the reply it made (`sent`) when the text or
    channel differ; 409 `ticket_changed` with the `newer` messages when the draft is stale."""
    ticket = await access_ticket(request, request.match_info["id"])
    body = await read_json(request, schemas.REPLY_CREATE)
    try:
        result = await tickets.send_reply(
            request.app[POOL],
            actor_of(request),
            ticket.id,
            channel=Channel(body["channel"]),
            text=body["text"],
            now=utc_now(),
            options=tickets.reply_options(request.app[SETTINGS]),
            draft=tickets.Draft(
                key=body.get("draft_key"),
                based_on=UUID(body["based_on"]) if body.get("based_on") else None,
                based_on_seq=body.get("based_on_seq"),
                confirm=body.get("confirm", False),
            ),
        )
    except tickets.TicketChanged as changed:
        answer = error_body(changed.code, changed.message, changed.field)
        return json_response({**answer, "newer": changed.newer}, status=409)
    except tickets.DraftKeyReused as reused:
        answer = error_body(reused.code, reused.message, reused.field)
        return json_response({**answer, "sent": reused.sent}, status=409)
    return json_response(result.message, status=201 if result.created else 200)


async def undo_reply(request: web.Request) -> web.Response:
    ticket = await access_ticket(request, request.match_info["id"])
    message = await tickets.undo_reply(
        request.app[POOL],
        actor_of(request),
        ticket.id,
        parse_id(request.match_info["message_id"], "message"),
        now=utc_now(),
    )
    return json_response(message)


async def list_unplaced(request: web.Request) -> web.Response:
    require_role(request, *STAFF)
    found = await tickets.list_unplaced(request.app[POOL], limit=page_limit(request))
    return json_response({"inbound": found})


SAFE_INLINE = {"image/png", "image/jpeg", "image/gif", "image/webp"}


async def download_attachment(request: web.Request) -> web.Response:
    """A stored file. Only plain raster images may show inline; everything else downloads,
    so a hostile HTML or SVG attachment never runs in the console's origin."""
    require_role(request, *STAFF)
    found = await tickets.get_attachment(
        request.app[POOL], parse_id(request.match_info["id"], "attachment")
    )
    await access_ticket(request, str(found["ticket_id"]))
    inline = request.query.get("inline") == "1" and found["content_type"] in SAFE_INLINE
    disposition = "inline" if inline else "attachment"
    name = quote(found["filename"] or "attachment", safe="")
    return web.Response(
        body=found["content"],
        content_type=found["content_type"] if inline else "application/octet-stream",
        headers={
            "Content-Disposition": f"{disposition}; filename*=UTF-8''{name}",
            "Content-Security-Policy": "default-src 'none'; sandbox",
        },
    )


ROUTES: list[Route] = [
    Route(
        "GET",
        f"{API}/tickets",
        list_tickets,
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
        open_ticket,
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
        download_attachment,
        "Download a file a customer sent (`?inline=1` shows plain images in place)",
        query=("inline",),
        tag="tickets",
        answer=answers.FILE,
        media=("application/octet-stream", *sorted(SAFE_INLINE)),
    ),
    Route(
        "GET",
        f"{API}/inbound/unplaced",
        list_unplaced,
        "Inbound mail and messages kept raw because they could not be parsed",
        query=("limit",),
        tag="tickets",
        answer=answers.UNPLACED,
    ),
    Route(
        "GET",
        f"{API}/tickets/{{id}}",
        get_ticket,
        "One ticket with its messages",
        tag="tickets",
        answer=answers.TICKET_WITH_MESSAGES,
    ),
    Route(
        "PATCH",
        f"{API}/tickets/{{id}}",
        update_ticket,
        "Change status, priority, assignee, kind, queue or subject",
        body=schemas.TICKET_UPDATE,
        tag="tickets",
        answer=answers.TICKET,
    ),
    Route(
        "POST",
        f"{API}/tickets/{{id}}/replies",
        send_reply,
        "Reply to the customer by SMS or email (sent through the outbox)",
        body=schemas.REPLY_CREATE,
        created=True,
        tag="tickets",
        responses={
            200: ("the same draft (`draft_key`) was sent before: that reply", answers.MESSAGE),
            409: (
                "no address on that channel, SMS opt-out, no SMS number configured, "
                "`ticket_changed` (with `newer`), or `draft_key_reused`: the draft was already "
                "sent with another text or channel (with `sent`)",
                answers.REPLY_CONFLICT,
            ),
        },
        answer=answers.MESSAGE,
    ),
    Route(
        "POST",
        f"{API}/tickets/{{id}}/replies/{{message_id}}/undo",
        undo_reply,
        "Take back your reply while the outbox still holds it (the undo window)",
        tag="tickets",
        responses={
            403: "only the reply's author may take it back",
            409: "`already_sent`: delivery has begun; or not a reply",
        },
        answer=answers.MESSAGE,
    ),
    Route(
        "POST",
        f"{API}/tickets/{{id}}/notes",
        add_note,
        "Add an internal note",
        body=schemas.NOTE_CREATE,
        created=True,
        tag="tickets",
        answer=answers.MESSAGE,
    ),
    Route(
        "POST",
        f"{API}/tickets/{{id}}/activity",
        announce_activity,
        "Say you are viewing, typing on, idle on or leaving a ticket (`ticket.activity`)",
        body=schemas.ACTIVITY,
        tag="tickets",
        answer=answers.ACTIVITY,
    ),
]
