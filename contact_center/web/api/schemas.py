"""JSON schemas of request bodies: checked on every request, published in the OpenAPI document."""

from typing import Any

TEXT = {"type": "string", "maxLength": 10000}
SHORT = {"type": "string", "maxLength": 500}
UUID_OR_NULL = {"type": ["string", "null"], "format": "uuid"}
UUID = {"type": "string", "format": "uuid"}
EMAIL = {"type": "string", "maxLength": 254}  # RFC 5321's limit for a whole address

ACCOUNT_PROPERTIES: dict[str, Any] = {
    "area": SHORT,
    "company_size": SHORT,
    "potential": SHORT,
    "business_status": SHORT,
    "transaction_status": SHORT,
    "address": TEXT,
    "notes": TEXT,
    "tags": {"type": "array", "items": SHORT, "maxItems": 100},
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
    "name": {"type": "string", "minLength": 1, "maxLength": 500},
    "phones": {
        "type": "array",
        "items": {"type": "string", "maxLength": 64},
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
    **ACCOUNT_PROPERTIES,
}

CUSTOMER_CREATE = {
    "type": "object",
    "properties": CUSTOMER_PROPERTIES,
    "required": ["name"],
    "additionalProperties": False,
}
CUSTOMER_UPDATE = {
    "type": "object",
    "properties": CUSTOMER_PROPERTIES,
    "minProperties": 1,
    "additionalProperties": False,
}
CUSTOMER_MERGE = {
    "type": "object",
    "properties": {"merge_id": UUID},
    "required": ["merge_id"],
    "additionalProperties": False,
    "description": "merge the customer `merge_id` into this one",
}

ORGANIZATION_PROPERTIES: dict[str, Any] = {
    "name": {"type": "string", "minLength": 1, "maxLength": 500},
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
PRIORITY = {"enum": ["low", "normal", "high", "urgent"]}
TICKET_CREATE = {
    "type": "object",
    "properties": {
        "customer_id": UUID,
        "subject": {"type": "string", "minLength": 1, "maxLength": 500},
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
        "queue": {"type": "string", "minLength": 1, "maxLength": 100},
        "subject": {"type": "string", "minLength": 1, "maxLength": 500},
    },
    "minProperties": 1,
    "additionalProperties": False,
}
NOTE_CREATE = {
    "type": "object",
    "properties": {"text": {"type": "string", "minLength": 1, "maxLength": 20000}},
    "required": ["text"],
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
    "properties": {"role": ROLE, "password": {"type": "string", "minLength": 8, "maxLength": 1000}},
    "minProperties": 1,
    "additionalProperties": False,
}
TOKEN_CREATE = {"type": "object", "properties": {"name": SHORT}, "additionalProperties": False}
REPLY_CREATE = {
    "type": "object",
    "properties": {
        "channel": {"enum": ["sms", "email"]},
        "text": {"type": "string", "minLength": 1, "maxLength": 20000},
    },
    "required": ["channel", "text"],
    "additionalProperties": False,
}
