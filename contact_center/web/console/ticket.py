"""The ticket page: the timeline, the customer's info card beside it, the reply composer and
the ticket's controls. The page carries ids and options; its script reads the timeline, the
summary and the canned replies from the API and keeps them live."""

from __future__ import annotations

from aiohttp import web

from contact_center import routing, tickets, users
from contact_center.tickets import Kind, Priority, Status, reply_subject
from contact_center.timeutil import utc_now
from contact_center.web.auth import access_ticket, current_user
from contact_center.web.console.labels import (
    KIND_LABELS,
    PRIORITY_LABELS,
    STATUS_LABELS,
    ticket_labels,
)
from contact_center.web.console.pages import data_block, render
from contact_center.web.keys import POOL, SETTINGS
from contact_center.web.route import Route


async def ticket_page(request: web.Request) -> web.StreamResponse:
    ticket = await access_ticket(request, request.match_info["id"])
    me = current_user(request)
    staff = [u for u in await users.list_users(request.app[POOL]) if u.active]
    settings = request.app[SETTINGS]
    data = {
        "ticket_id": ticket.id,
        "ticket_number": ticket.number,
        "customer_id": ticket.customer_id,
        "me": {"id": me.id, "name": me.name or me.email},
        "staff": {str(u.id): u.name or u.email for u in staff},
        "undo_seconds": settings.reply_undo_seconds,
        "max_sms_chars": tickets.MAX_SMS_CHARS,
        "email_subject": reply_subject(ticket),
        "default_channel": "email" if ticket.channel.value == "email" else "sms",
        # The script measures its clock against ours, to judge live events by their `at`.
        "server_now": utc_now().isoformat(),
        "labels": ticket_labels(),
    }
    context = {
        "ticket": ticket,
        "statuses": [(s.value, STATUS_LABELS[s]) for s in Status],
        "priorities": [(p.value, PRIORITY_LABELS[p]) for p in Priority],
        "kinds": [(k.value, KIND_LABELS[k]) for k in Kind],
        "staff": staff,
        "queues": await routing.list_queues(request.app[POOL]),
        "page_data": data_block(data),
    }
    return render(request, "ticket.html", context)


ROUTES: list[Route] = [
    Route("GET", "/tickets/{id}", ticket_page, "A ticket: timeline, info card, reply", console=True)
]
