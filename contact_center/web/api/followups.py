"""REST handlers for what follows a complaint on its ticket: the visits asked for and the
satisfaction surveys sent, with their answers."""

from __future__ import annotations

from aiohttp import web

from contact_center import visits, workflows
from contact_center.web.api import answers
from contact_center.web.auth import access_ticket
from contact_center.web.jsonio import json_response
from contact_center.web.keys import POOL
from contact_center.web.route import API, Route


async def visit_requests(request: web.Request) -> web.Response:
    ticket = await access_ticket(request, request.match_info["id"])
    found = await visits.ticket_visit_requests(request.app[POOL], ticket.id)
    return json_response({"visit_requests": found})


async def surveys(request: web.Request) -> web.Response:
    ticket = await access_ticket(request, request.match_info["id"])
    return json_response({"surveys": await workflows.ticket_surveys(request.app[POOL], ticket.id)})


ROUTES: list[Route] = [
    Route(
        "GET",
        f"{API}/tickets/{{id}}/visit-requests",
        visit_requests,
        "The visits asked for about this ticket (a key account's resolved complaint asks its "
        "account manager for a follow-up visit within 3 working days), oldest first",
        tag="tickets",
        answer=answers.VISIT_REQUESTS,
    ),
    Route(
        "GET",
        f"{API}/tickets/{{id}}/surveys",
        surveys,
        "The satisfaction surveys sent when the ticket's complaint closed, with the score "
        "(1-5), comment and how it was answered (sms, email or link), oldest first",
        tag="tickets",
        answer=answers.SURVEYS,
    ),
]
