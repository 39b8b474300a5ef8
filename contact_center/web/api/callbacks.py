"""REST handlers for callback tasks (list, create, done, dial) and the browser phone's
access token."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from aiohttp import web
from twilio.jwt.access_token import AccessToken
from twilio.jwt.access_token.grants import VoiceGrant

from contact_center import calls
from contact_center.calls import CallbackOutcome, CallbackReason, CallbackState
from contact_center.errors import Conflict, Invalid
from contact_center.timeutil import utc_now
from contact_center.users import Role
from contact_center.web.api import answers, schemas
from contact_center.web.api.paging import page_limit
from contact_center.web.auth import STAFF, access_ticket, actor_of, parse_id, require_role
from contact_center.web.jsonio import json_response, read_json
from contact_center.web.keys import POOL, SETTINGS
from contact_center.web.route import API, Route

TOKEN_TTL_SECONDS = 3600
# Who may dial or finish another agent's callback task.
OVERSEERS = frozenset({Role.SUPERVISOR, Role.ADMIN})


class VoiceNotConfigured(Conflict):
    """The service is up but this feature is not set up: 409 with its own code (a 5xx would
    tell clients to retry what no retry can fix)."""

    code = "voice_not_configured"


LIST_QUERY: dict[str, dict[str, Any]] = {
    "state": {"enum": [s.value for s in CallbackState], "description": "default open"},
    "mine": {"enum": ["0", "1"], "description": "1 keeps the tasks assigned to you"},
    "due": {"enum": ["0", "1"], "description": "1 keeps the tasks due by now"},
    "ticket_id": schemas.UUID,
}


async def list_callbacks(request: web.Request) -> web.Response:
    user = require_role(request, *STAFF)
    query = request.query
    ticket_id = parse_id(query["ticket_id"], "ticket") if query.get("ticket_id") else None
    found = await calls.list_callbacks(
        request.app[POOL],
        state=CallbackState(query.get("state") or "open"),
        due_before=utc_now() if query.get("due") == "1" else None,
        assignee_id=user.id if query.get("mine") == "1" else None,
        ticket_id=ticket_id,
        limit=page_limit(request),
    )
    return json_response({"callbacks": found})


async def create_callback(request: web.Request) -> web.Response:
    require_role(request, *STAFF)
    body: dict[str, Any] = await read_json(request, schemas.CALLBACK_CREATE)
    ticket = await access_ticket(request, body["ticket_id"])
    try:
        due_at = datetime.fromisoformat(body["due_at"])
    except ValueError:
        raise Invalid("due_at must be a date and time", field="due_at") from None
    if due_at.tzinfo is None:
        raise Invalid("due_at needs a time zone offset", field="due_at")
    made = await calls.create_callback(
        request.app[POOL],
        actor_of(request),
        ticket_id=ticket.id,
        due_at=due_at,
        reason=CallbackReason(body.get("reason") or "manual"),
        phone=body.get("phone"),
        region=request.app[SETTINGS].default_phone_region,
        now=utc_now(),
    )
    return json_response(made, status=201)


async def get_callback(request: web.Request) -> web.Response:
    require_role(request, *STAFF)
    found = await calls.get_callback(
        request.app[POOL], parse_id(request.match_info["id"], "callback task")
    )
    return json_response(found)


async def finish_callback(request: web.Request) -> web.Response:
    user = require_role(request, *STAFF)
    body: dict[str, Any] = await read_json(request, schemas.CALLBACK_DONE)
    done = await calls.finish_callback(
        request.app[POOL],
        actor_of(request),
        parse_id(request.match_info["id"], "callback task"),
        outcome=CallbackOutcome(body["outcome"]),
        note=body.get("note", ""),
        now=utc_now(),
        supervisor=user.role in OVERSEERS,
    )
    return json_response(done)


async def dial_callback(request: web.Request) -> web.Response:
    user = require_role(request, *STAFF)
    if not calls.voice_options(request.app[SETTINGS]).from_number:
        raise VoiceNotConfigured(
            "Callbacks are dialled from the service's number: set TWILIO_FROM_NUMBER."
        )
    task = await calls.request_dial(
        request.app[POOL],
        actor_of(request),
        parse_id(request.match_info["id"], "callback task"),
        now=utc_now(),
        supervisor=user.role in OVERSEERS,
    )
    return json_response(task)


async def voice_token(request: web.Request) -> web.Response:
    """An access token for the Twilio Voice SDK in the agent's browser: incoming calls to the
    agent's client identity (what `call-connect` dials), outgoing through the TwiML app."""
    user = require_role(request, *STAFF)
    settings = request.app[SETTINGS]
    if not (
        settings.twilio_account_sid
        and settings.twilio_api_key_sid
        and settings.twilio_api_key_secret
        and settings.twilio_twiml_app_sid
    ):
        raise VoiceNotConfigured(
            "The browser phone needs TWILIO_ACCOUNT_SID, TWILIO_API_KEY_SID, "
            "TWILIO_API_KEY_SECRET and TWILIO_TWIML_APP_SID; calls are then put through to "
            "the agent's browser."
        )
    identity = calls.client_identity(user.id)
    token = AccessToken(
        settings.twilio_account_sid,
        settings.twilio_api_key_sid,
        settings.twilio_api_key_secret.value,
        identity=identity,
        ttl=TOKEN_TTL_SECONDS,
    )
    token.add_grant(
        VoiceGrant(outgoing_application_sid=settings.twilio_twiml_app_sid, incoming_allow=True)
    )
    return json_response(
        {"token": token.to_jwt(), "identity": identity, "ttl_seconds": TOKEN_TTL_SECONDS}
    )


ROUTES: list[Route] = [
    Route(
        "GET",
        f"{API}/callbacks",
        list_callbacks,
        "Callback tasks, soonest due first: open by default; `mine=1` yours, `due=1` due by now",
        query=("state", "mine", "due", "ticket_id", "limit"),
        query_schemas=LIST_QUERY,
        tag="callbacks",
        answer=answers.CALLBACKS,
    ),
    Route(
        "POST",
        f"{API}/callbacks",
        create_callback,
        "Schedule a callback on a ticket (to `phone`, else the customer's first phone); "
        "it is routed to agents like other work",
        body=schemas.CALLBACK_CREATE,
        tag="callbacks",
        created=True,
        answer=answers.CALLBACK,
    ),
    Route(
        "GET",
        f"{API}/callbacks/{{id}}",
        get_callback,
        "One callback task",
        tag="callbacks",
        answer=answers.CALLBACK,
    ),
    Route(
        "POST",
        f"{API}/callbacks/{{id}}/done",
        finish_callback,
        "The callback was made: done with its outcome and a note",
        body=schemas.CALLBACK_DONE,
        tag="callbacks",
        responses={
            403: "the task is another agent's (supervisors and admins may)",
            409: "the task is no longer open",
        },
        answer=answers.CALLBACK,
    ),
    Route(
        "POST",
        f"{API}/callbacks/{{id}}/dial",
        dial_callback,
        "Call the customer back from the service's number and put the call through to your "
        "browser phone (placed by a job, paced to CALLS_PER_SECOND)",
        tag="callbacks",
        responses={
            403: "the task is another agent's (supervisors and admins may)",
            409: "the task is no longer open, or no TWILIO_FROM_NUMBER (`voice_not_configured`)",
        },
        answer=answers.CALLBACK,
    ),
    Route(
        "GET",
        f"{API}/voice/token",
        voice_token,
        "An access token (Twilio Voice grant) for the browser phone of the signed-in agent",
        tag="callbacks",
        responses={409: "the browser phone is not configured (`voice_not_configured`)"},
        answer=answers.VOICE_TOKEN,
    ),
]
