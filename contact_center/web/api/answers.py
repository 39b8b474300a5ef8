"""JSON schemas of what the API answers, published in the OpenAPI document.

Objects are described from the same dataclasses that `views.py` turns into JSON, so a field
added to a model shows up in the document by itself. Objects stay open (no
`additionalProperties: false`): a client must ignore fields it does not know.
"""

from __future__ import annotations

import dataclasses
import types
from datetime import date, datetime
from enum import Enum
from typing import Any, Union, get_args, get_origin, get_type_hints
from uuid import UUID

from contact_center.calls import Call, CallbackTask
from contact_center.canned import CannedReply
from contact_center.customers import Customer, Organization
from contact_center.customers.duplicates import Reason
from contact_center.tickets import CustomerSummary, Message, SmsLength, Ticket, TimelineItem
from contact_center.users import User
from contact_center.visits import VisitRequest
from contact_center.workflows import TicketSurvey

SCALARS: dict[Any, dict[str, Any]] = {
    str: {"type": "string"},
    bool: {"type": "boolean"},
    int: {"type": "integer"},
    float: {"type": "number"},
    UUID: {"type": "string", "format": "uuid"},
    datetime: {"type": "string", "format": "date-time"},
    date: {"type": "string", "format": "date"},
}


def schema_of(kind: Any) -> dict[str, Any]:
    """The JSON schema of a value of this type, as `jsonio.dumps` writes it."""
    if kind in SCALARS:
        return dict(SCALARS[kind])
    if isinstance(kind, type) and issubclass(kind, Enum):
        return {"type": "string", "enum": [str(member.value) for member in kind]}
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        return object_of(kind)
    origin, args = get_origin(kind), get_args(kind)
    if origin in (Union, types.UnionType):
        options = [schema_of(a) for a in args if a is not type(None)]
        schema = options[0] if len(options) == 1 else {"anyOf": options}
        return {"anyOf": [schema, {"type": "null"}]} if type(None) in args else schema
    if origin in (list, tuple):
        return {"type": "array", "items": schema_of(args[0]) if args else {}}
    if origin is dict or kind is dict:
        return {"type": "object"}
    return {}  # Any: no promise


def object_of(cls: type, **extra: dict[str, Any]) -> dict[str, Any]:
    """A dataclass as a JSON object: every field present; `extra` adds computed fields."""
    hints = get_type_hints(cls)
    properties = {f.name: schema_of(hints[f.name]) for f in dataclasses.fields(cls)}
    properties.update(extra)
    return {"type": "object", "properties": properties, "required": sorted(properties)}


def page_of(name: str, item: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            name: {"type": "array", "items": item},
            "next_cursor": {"type": ["string", "null"], "description": "absent on the last page"},
        },
        "required": [name, "next_cursor"],
    }


def wrapped(name: str, item: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": {name: item}, "required": [name]}


STRINGS = {"type": "array", "items": {"type": "string"}}
CUSTOMER = object_of(Customer, phones=STRINGS, emails=STRINGS)
ORGANIZATION = object_of(Organization)
ORGANIZATION_WITH_MEMBERS = object_of(
    Organization,
    members={
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                "id": SCALARS[UUID],
                "name": SCALARS[str],
                "job_title": {"type": "string", "description": "the contact's role"},
                "phones": STRINGS,
                "emails": STRINGS,
            },
            "required": ["id", "name", "job_title", "phones", "emails"],
        },
    },
)
MESSAGE = object_of(Message)
TICKET = object_of(Ticket)
TICKET_WITH_MESSAGES = object_of(Ticket, messages={"type": "array", "items": MESSAGE})
USER = object_of(User)
SESSION = {
    "type": "object",
    "properties": {"user": USER, "csrf_token": {"type": ["string", "null"]}},
    "required": ["user", "csrf_token"],
}
TOKEN = {
    "type": "object",
    "properties": {"token": {"type": "string", "description": "shown once; keep it secret"}},
    "required": ["token"],
}
HEALTH = {
    "type": "object",
    "properties": {"status": {"enum": ["ok", "degraded"]}, "database": {"type": "string"}},
    "required": ["status", "database"],
}
CUSTOMERS = page_of("customers", CUSTOMER)
ORGANIZATIONS = page_of("organizations", ORGANIZATION)
TICKETS = page_of("tickets", TICKET)
USERS = wrapped("users", {"type": "array", "items": USER})
HISTORY = wrapped("history", {"type": "array", "items": {"type": "object"}})
UNPLACED = wrapped("inbound", {"type": "array", "items": {"type": "object"}})
FILE = {"type": "string", "format": "binary"}
SUGGESTION = {
    "type": "object",
    "properties": {
        "a": CUSTOMER,
        "b": CUSTOMER,
        "score": {"type": "number", "minimum": 0, "maximum": 1},
        "reasons": {"type": "array", "items": object_of(Reason)},
    },
    "required": ["a", "b", "score", "reasons"],
}
DUPLICATES = page_of("suggestions", SUGGESTION)
DISMISSED = wrapped(
    "dismissed",
    {
        "type": "object",
        "properties": {"a": SCALARS[UUID], "b": SCALARS[UUID]},
        "required": ["a", "b"],
    },
)
MERGE_PREVIEW = {
    "type": "object",
    "properties": {
        "survivor": CUSTOMER,
        "merged": CUSTOMER,
        "tickets": {
            "type": "object",
            "properties": {
                "count": SCALARS[int],
                "numbers": {"type": "array", "items": SCALARS[int]},
            },
            "required": ["count", "numbers"],
        },
        "phones": STRINGS,
        "emails": STRINGS,
        "fills": {"type": "object", "description": "empty survivor fields and the value they take"},
        "conflicts": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "field": SCALARS[str],
                    "survivor": {},
                    "other": {},
                    "winner": {"enum": ["survivor"]},
                },
                "required": ["field", "survivor", "other", "winner"],
            },
        },
    },
    "required": ["survivor", "merged", "tickets", "phones", "emails", "fills", "conflicts"],
}
ERROR = {
    "type": "object",
    "properties": {
        "code": {"type": "string"},
        "message": {"type": "string"},
        "field": {"type": "string"},
    },
    "required": ["code", "message"],
}
REPLY_CONFLICT = {
    "type": "object",
    "properties": {
        "error": ERROR,
        "newer": {"type": "array", "items": MESSAGE},
        "sent": MESSAGE,
    },
    "required": ["error"],
    "description": "`ticket_changed` carries the messages that overtook the draft in `newer`; "
    "`draft_key_reused` carries the reply the draft key already made in `sent`",
}
CALL = object_of(Call)
TIMELINE = {
    "type": "object",
    "properties": {
        "ticket": TICKET,
        "items": {"type": "array", "items": object_of(TimelineItem)},
        "calls": {"type": "array", "items": CALL},
    },
    "required": ["ticket", "items", "calls"],
}
CALLBACK = object_of(CallbackTask)
CALLBACKS = wrapped("callbacks", {"type": "array", "items": CALLBACK})
VOICE_TOKEN = {
    "type": "object",
    "properties": {
        "token": {"type": "string"},
        "identity": {"type": "string"},
        "ttl_seconds": {"type": "integer"},
    },
    "required": ["token", "identity", "ttl_seconds"],
}
CUSTOMER_SUMMARY = object_of(CustomerSummary)
CANNED = object_of(CannedReply)
CANNED_LIST = wrapped("canned_replies", {"type": "array", "items": CANNED})
CANNED_FILLED = wrapped(
    "canned_replies",
    {
        "type": "array",
        "items": object_of(
            CannedReply,
            text={"type": "string", "description": "the body with the ticket's values filled"},
            unknown=STRINGS,
        ),
    },
)
SMS_LENGTH = object_of(SmsLength)
VISIT_REQUESTS = wrapped("visit_requests", {"type": "array", "items": object_of(VisitRequest)})
SURVEYS = wrapped("surveys", {"type": "array", "items": object_of(TicketSurvey)})
HTML = {"type": "string"}
ACTIVITY = {
    "type": "object",
    "properties": {"event_id": {"type": "integer"}, "state": {"type": "string"}},
    "required": ["event_id", "state"],
}
