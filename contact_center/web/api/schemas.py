"""JSON schemas of request bodies and query parameters: bodies are checked on every request,
and all of them are published in the OpenAPI document, so they say what the service accepts."""

from typing import Any

from contact_center.outbox import OutboundChannel, OutboundStatus
from contact_center.tickets import MAX_SMS_CHARS
from contact_center.web.inputs import query_max_length

TEXT = {"type": "string", "maxLength": 10000}
SHORT = {"type": "string", "maxLength": 500}
UUID_OR_NULL = {"type": ["string", "null"], "format": "uuid"}
UUID = {"type": "string", "format": "uuid"}
DAY = {"type": "string", "format": "date"}
# `phone` is this API's own format: a number that is valid where it is dialled, in E.164 or any
# common national writing (read in DEFAULT_PHONE_REGION). A schema cannot spell that rule out,
# so the format names it and the service checks it (422 naming the field).
PHONE = {
    "type": "string",
    "format": "phone",
    "minLength": 3,
    "maxLength": 64,
    "description": "E.164 (+12025550123) or a national number in DEFAULT_PHONE_REGION",
}
# Text that must say something: the service trims spaces before it checks for emptiness.
# Some text that is not white space. Python's `\s` also counts U+001C–U+001F and U+0085, and
# JavaScript's (which clients of the OpenAPI document use) also counts U+FEFF: naming all of
# them makes both engines agree on what the service accepts.
NOT_BLANK = r"[^\s\x1c-\x1f\x85\ufeff]"
NAME = {"type": "string", "minLength": 1, "maxLength": 500, "pattern": NOT_BLANK}
LONG_TEXT = {"type": "string", "minLength": 1, "maxLength": 20000, "pattern": NOT_BLANK}
EMAIL = {"type": "string", "format": "email", "minLength": 3, "maxLength": 254}

CARD_PROPERTIES: dict[str, Any] = {
    "area": SHORT,
    "company_size": SHORT,
    "potential": SHORT,
    "business_status": SHORT,
    "transaction_status": SHORT,
    "address": TEXT,
    "notes": TEXT,
    "tags": {"type": "array", "items": SHORT, "maxItems": 100},
}
# The account's facts belong to the organization (or a customer's personal account).
ACCOUNT_PROPERTIES: dict[str, Any] = {
    "tier": {"enum": ["A", "B", "C", None]},
    "is_key_account": {"type": "boolean"},
    "account_manager_id": UUID_OR_NULL,
    "route_territory": SHORT,
    "route_weekday": {
        "type": ["integer", "null"],
        "minimum": 1,
        "maximum": 7,
        "description": "1 = Monday … 7 = Sunday",
    },
    "latitude": {"type": ["number", "null"], "minimum": -90, "maximum": 90},
    "longitude": {"type": ["number", "null"], "minimum": -180, "maximum": 180},
    "lifecycle_stage": {"enum": ["prospect", "customer", "dormant", "lost"]},
}
CUSTOMER_PROPERTIES: dict[str, Any] = {
    "name": NAME,
    "phones": {
        "type": "array",
        "items": PHONE,
        "maxItems": 20,
        "description": "any common format; numbers without a country code use DEFAULT_PHONE_REGION",
    },
    "emails": {"type": "array", "items": EMAIL, "maxItems": 20},
    "organization_id": UUID_OR_NULL,
    "job_title": SHORT,
    "birthday": {"type": ["string", "null"], "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
    "preferences": TEXT,
    "preferred_channel": {"enum": ["voice", "sms", "email", None]},
    "language": {"type": "string", "maxLength": 35},
    **CARD_PROPERTIES,
    **ACCOUNT_PROPERTIES,
}
# Account fields sent for a customer write its personal account; a member of an organization
# is refused them (409 naming the organization), unless they equal the organization's.
CUSTOMER_ACCOUNT_NOTE = (
    "tier, is_key_account, account_manager_id, route_territory, route_weekday, latitude,"
    " longitude and lifecycle_stage write the customer's personal account; for a member of an"
    " organization they are refused (409): edit the organization. `organization_id: null`"
    " moves the customer out of its organization into a new personal account. The answer"
    " shows the account read-only as `account`."
)

CUSTOMER_CREATE = {
    "type": "object",
    "properties": CUSTOMER_PROPERTIES,
    "required": ["name"],
    "additionalProperties": False,
    "description": CUSTOMER_ACCOUNT_NOTE,
}
CUSTOMER_UPDATE = {
    "type": "object",
    "properties": CUSTOMER_PROPERTIES,
    "minProperties": 1,
    "additionalProperties": False,
    "description": CUSTOMER_ACCOUNT_NOTE,
}
CUSTOMER_MERGE = {
    "type": "object",
    "properties": {"merge_id": UUID},
    "required": ["merge_id"],
    "additionalProperties": False,
    "description": "merge the customer `merge_id` into this one",
}

DUPLICATE_DISMISS = {
    "type": "object",
    "properties": {"a": UUID, "b": UUID},
    "required": ["a", "b"],
    "additionalProperties": False,
    "description": "the two customers of a suggested pair, either way round",
}

ORGANIZATION_PROPERTIES: dict[str, Any] = {
    "name": NAME,
    **CARD_PROPERTIES,
    **ACCOUNT_PROPERTIES,
}
ORGANIZATION_CREATE = {
    "type": "object",
    "properties": ORGANIZATION_PROPERTIES,
    "required": ["name"],
    "additionalProperties": False,
}
ORGANIZATION_UPDATE = {
    "type": "object",
    "properties": ORGANIZATION_PROPERTIES,
    "minProperties": 1,
    "additionalProperties": False,
}

KIND = {"enum": ["inquiry", "complaint", "order", "other"]}
STATUS = {"enum": ["new", "open", "pending", "resolved", "closed"]}
# The outbox's own filters (GET /api/v1/outbox, the development sink).
OUTBOUND_STATUSES = {
    "type": "array",
    "items": {"enum": [s.value for s in OutboundStatus]},
    "description": "any of (comma-separated)",
}
OUTBOUND_CHANNEL = {"enum": [c.value for c in OutboundChannel], "description": "one channel"}
PRIORITY = {"enum": ["low", "normal", "high", "urgent"]}
TICKET_CREATE = {
    "type": "object",
    "properties": {
        "customer_id": UUID,
        "subject": NAME,
        "text": TEXT,
        "kind": KIND,
        "priority": PRIORITY,
        "channel": {"enum": ["voice", "web", "sms", "email"]},
    },
    "required": ["customer_id", "subject"],
    "additionalProperties": False,
}
TICKET_UPDATE = {
    "type": "object",
    "properties": {
        "status": STATUS,
        "priority": PRIORITY,
        "kind": KIND,
        "assignee_id": UUID_OR_NULL,
        "queue": {"type": "string", "minLength": 1, "maxLength": 100, "pattern": NOT_BLANK},
        "subject": NAME,
        "tags": {
            "type": "array",
            "items": {"type": "string", "maxLength": 200},
            "maxItems": 20,
            "description": "replaces the list; trimmed, lower-cased, repeats dropped, each cut"
            " to 50 characters",
        },
    },
    "minProperties": 1,
    "additionalProperties": False,
}
NOTE_CREATE = {
    "type": "object",
    "properties": {"text": LONG_TEXT},
    "required": ["text"],
    "additionalProperties": False,
}
ACTIVITY = {
    "type": "object",
    "properties": {"state": {"enum": ["viewing", "typing", "idle", "left"]}},
    "required": ["state"],
    "additionalProperties": False,
}

LOGIN = {
    "type": "object",
    "properties": {"email": EMAIL, "password": {"type": "string", "maxLength": 1000}},
    "required": ["email", "password"],
    "additionalProperties": False,
}
ROLE = {"enum": ["agent", "account_manager", "supervisor", "admin"]}
USER_CREATE = {
    "type": "object",
    "properties": {
        "email": EMAIL,
        "name": SHORT,
        "role": ROLE,
        "password": {"type": "string", "minLength": 8, "maxLength": 1000},
    },
    "required": ["email", "role", "password"],
    "additionalProperties": False,
}
USER_UPDATE = {
    "type": "object",
    "properties": {
        "role": ROLE,
        "password": {"type": "string", "minLength": 8, "maxLength": 1000},
        "queues": {
            "type": "array",
            "items": {"type": "string", "maxLength": 100},
            "maxItems": 50,
            "description": "the ticket queues this user works (replaces the list)",
        },
    },
    "minProperties": 1,
    "additionalProperties": False,
}
TOKEN_CREATE = {"type": "object", "properties": {"name": SHORT}, "additionalProperties": False}
DRAFT_KEY = {
    "type": "string",
    "minLength": 8,
    "maxLength": 100,
    "pattern": "^[A-Za-z0-9_.:-]+$",
    "description": "made by the client once per draft; a repeat with the same channel and "
    "text answers the first reply, with other ones 409 `draft_key_reused`",
}
REPLY_CREATE = {
    "type": "object",
    "properties": {
        "channel": {"enum": ["sms", "email"]},
        "text": LONG_TEXT,
        "draft_key": DRAFT_KEY,
        "based_on_seq": {
            "type": "integer",
            "minimum": 0,
            "maximum": 2**63 - 1,
            "description": "the highest message `seq` on the timeline the agent saw when the "
            "draft began, notes included (0: the ticket had no messages); a later message from "
            "the customer or reply by another agent answers 409 `ticket_changed` unless "
            "`confirm`",
        },
        "based_on": {
            **UUID,
            "description": "older form of `based_on_seq`: the id of the last message the agent "
            "saw; ignored when `based_on_seq` is given",
        },
        "confirm": {"type": "boolean", "description": "send even though the ticket changed"},
    },
    "required": ["channel", "text"],
    "additionalProperties": False,
    "if": {"properties": {"channel": {"const": "sms"}}},
    "then": {"properties": {"text": {"maxLength": MAX_SMS_CHARS}}},
    "description": f"an SMS reply is at most {MAX_SMS_CHARS} characters, an email 20,000",
}

CANNED_PROPERTIES: dict[str, Any] = {
    "title": {**NAME, "maxLength": 200},
    "body": LONG_TEXT,
    "channel": {"enum": ["any", "sms", "email"]},
    "language": {"type": "string", "minLength": 2, "maxLength": 20, "pattern": NOT_BLANK},
}
CANNED_CREATE = {
    "type": "object",
    "properties": CANNED_PROPERTIES,
    "required": ["title", "body"],
    "additionalProperties": False,
    "description": "body may use {customer_name}, {ticket_number} and {agent_name}",
}
CANNED_UPDATE = {
    "type": "object",
    "properties": CANNED_PROPERTIES,
    "additionalProperties": False,
}
# Queues: the service checks what a schema cannot (spans in order, one default queue, a kind
# in one queue, overflow without a circle) and answers 422 naming the field.
QUEUE_NAME = {
    "type": "string",
    "minLength": 1,
    "maxLength": 60,
    "pattern": "^[a-z][a-z0-9_-]*$",
    "description": "lower-case letters, digits, - and _, starting with a letter",
}
CLOCK = {
    "type": "string",
    "pattern": "^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$",
    "description": "HH:MM, 00:00 to 24:00",
}
DAY_SPANS = {
    "type": "array",
    "items": {"type": "array", "items": CLOCK, "minItems": 2, "maxItems": 2},
    "maxItems": 24,
    "description": "opening spans [start, end]; 24:00 may end one; empty: closed",
}
QUEUE_HOURS = {
    "type": "object",
    "properties": {day: DAY_SPANS for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
    "additionalProperties": False,
    "description": "a weekly schedule in the site's time zone; a missing day is closed",
}
QUEUE_PROPERTIES: dict[str, Any] = {
    "name": QUEUE_NAME,
    "label": {"type": "string", "maxLength": 100},
    "kinds": {
        "type": "array",
        "items": KIND,
        "maxItems": 4,
        "description": "ticket kinds that land here (each kind in one queue at most)",
    },
    "is_default": {
        "type": "boolean",
        "description": "takes the kinds no queue lists; true moves the flag from the old default",
    },
    "skills": {
        "type": "array",
        "items": {"type": "string", "maxLength": 60},
        "maxItems": 30,
        "description": "what an agent needs to be offered this queue's work",
    },
    "hours": QUEUE_HOURS,
    "strategy": {"enum": ["longest_idle", "round_robin", "fewest_today"]},
    "wait_limit_seconds": {"type": "integer", "minimum": 1, "maximum": 86400},
    "service_level_seconds": {"type": "integer", "minimum": 1, "maximum": 3600},
    "step_seconds": {"type": "integer", "minimum": 1, "maximum": 86400},
    "overflow_queue": {"anyOf": [QUEUE_NAME, {"type": "null"}]},
}
QUEUE_CREATE = {
    "type": "object",
    "properties": QUEUE_PROPERTIES,
    "required": ["name"],
    "additionalProperties": False,
}
QUEUE_UPDATE = {
    "type": "object",
    "properties": QUEUE_PROPERTIES,
    "minProperties": 1,
    "additionalProperties": False,
    "description": "a new name only for a queue that no ticket, agent or overflow names (409)",
}
SMS_LENGTH = {
    "type": "object",
    "properties": {"text": {"type": "string", "maxLength": 20000}},
    "required": ["text"],
    "additionalProperties": False,
}

# Query parameters by name, shared by every route that takes them; a name not listed here is
# published as a plain string.
LIMIT_MAX = 200
CALLBACK_CREATE = {
    "type": "object",
    "properties": {
        "ticket_id": UUID,
        "due_at": {"type": "string", "format": "date-time", "maxLength": 64},
        "reason": {"enum": ["manual", "abandoned", "voicemail"]},
        "phone": PHONE,
    },
    "required": ["ticket_id", "due_at"],
    "additionalProperties": False,
}
CALLBACK_DONE = {
    "type": "object",
    "properties": {
        "outcome": {
            "enum": ["reached", "no_answer", "voicemail_left", "wrong_number", "not_needed"]
        },
        "note": {"type": "string", "maxLength": 10000},
    },
    "required": ["outcome"],
    "additionalProperties": False,
}

QUERY: dict[str, dict[str, Any]] = {
    "limit": {
        "type": "integer",
        "minimum": 1,
        "maximum": LIMIT_MAX,
        "description": "page size (default 50); empty means the default",
    },
    "cursor": {
        "type": "string",
        "description": "`next_cursor` of the previous page; any other value is 422",
    },
    "q": {
        "type": "string",
        "maxLength": query_max_length("q"),
        "description": "words to look for; empty lists everything",
    },
    "status": {"type": "array", "items": STATUS, "description": "any of (comma-separated)"},
    "kind": {"type": "array", "items": KIND, "description": "any of (comma-separated)"},
    "channel": {
        "type": "array",
        "items": {"enum": ["voice", "web", "sms", "email"]},
        "description": "any of (comma-separated)",
    },
    "queue": {"type": "string", "maxLength": 100},
    "assignee_id": {
        "anyOf": [UUID, {"enum": ["none", ""]}],
        "description": "a user id, or `none` for unassigned tickets",
    },
    "customer_id": UUID,
    "tier": {"enum": ["A", "B", "C"]},
    "key_account": {"enum": ["true", "false"]},
    "inline": {"enum": ["0", "1"], "description": "1 shows plain images in place"},
    "images": {"enum": ["0", "1"], "description": "1 lets the mail load remote https images"},
    "language": {"type": "string", "maxLength": 20},
}
