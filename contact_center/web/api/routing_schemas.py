"""JSON schemas of the routing API's requests and answers (presence, offers, agents, board)."""

from __future__ import annotations

from typing import Any

from contact_center.routing import ItemKind, ItemState, Presence

UUID = {"type": "string", "format": "uuid"}
UUID_OR_NULL = {"anyOf": [UUID, {"type": "null"}]}
TIME = {"type": "string", "format": "date-time"}
PRESENCE = {"type": "string", "enum": [p.value for p in Presence]}
REASON = {"type": "string", "maxLength": 200}
SKILL = {"type": "string", "minLength": 1, "maxLength": 60}
CAPACITY = {"type": "integer", "minimum": 0, "maximum": 100}
PAIR = {
    "type": "object",
    "properties": {"voice": {"type": "integer"}, "messaging": {"type": "integer"}},
    "required": ["voice", "messaging"],
}

PRESENCE_SET: dict[str, Any] = {
    "type": "object",
    "properties": {"presence": PRESENCE, "reason": REASON},
    "required": ["presence"],
    "additionalProperties": False,
}
AGENT_UPDATE: dict[str, Any] = {
    "type": "object",
    "properties": {
        "skills": {"type": "array", "items": SKILL, "maxItems": 50},
        "capacity": {
            "type": "object",
            "properties": {"voice": CAPACITY, "messaging": CAPACITY},
            "additionalProperties": False,
        },
        "phone": {"type": "string", "maxLength": 64},
        "client_identity": {"type": "string", "maxLength": 120},
    },
    "additionalProperties": False,
}
ASSIGN: dict[str, Any] = {
    "type": "object",
    "properties": {"user_id": UUID},
    "required": ["user_id"],
    "additionalProperties": False,
}

AGENT_STATE: dict[str, Any] = {
    "type": "object",
    "properties": {
        "user_id": UUID,
        "name": {"type": "string"},
        "presence": PRESENCE,
        "reason": {"type": "string"},
        "since": TIME,
        "skills": {"type": "array", "items": {"type": "string"}},
        "capacity": PAIR,
        "load": PAIR,
    },
    "required": ["user_id", "name", "presence", "reason", "since", "skills", "capacity", "load"],
}
AGENT_DETAIL: dict[str, Any] = {
    **AGENT_STATE,
    "properties": {
        **AGENT_STATE["properties"],
        "phone": {"type": "string"},
        "client_identity": {"type": "string"},
        "missed_offers": {"type": "integer"},
        "handled_today": {"type": "integer"},
    },
}
KIND = {"type": "string", "enum": [k.value for k in ItemKind]}
OFFER: dict[str, Any] = {
    "type": "object",
    "properties": {
        "id": UUID,
        "item_id": UUID,
        "kind": KIND,
        "channel": {"type": "string"},
        "queue": {"type": "string"},
        "queue_label": {"type": "string", "description": "the queue's label, else its name"},
        "priority": {"type": "string"},
        "offered_at": TIME,
        "expires_at": TIME,
        "customer": {
            "type": "object",
            "properties": {
                "id": UUID_OR_NULL,
                "name": {"type": "string"},
                "tier": {"type": ["string", "null"]},
                "key_account": {"type": "boolean"},
            },
        },
        "ticket_id": UUID_OR_NULL,
        "call_id": UUID_OR_NULL,
        "callback_id": UUID_OR_NULL,
        "reason": {"type": "string", "description": "why the customer is in touch"},
        "routed_because": {"type": "string", "enum": ["preferred", "strategy", "widened"]},
        "summary": {"type": "object"},
    },
    "required": ["id", "item_id", "kind", "expires_at", "offered_at", "customer"],
}
MY_OFFER: dict[str, Any] = {
    "type": "object",
    "properties": {"offer": {"anyOf": [OFFER, {"type": "null"}]}},
    "required": ["offer"],
}
ASSIGNMENT: dict[str, Any] = {
    "type": "object",
    "properties": {
        "item_id": UUID,
        "kind": KIND,
        "ticket_id": UUID_OR_NULL,
        "call_id": UUID_OR_NULL,
        "callback_id": UUID_OR_NULL,
        "customer_id": UUID_OR_NULL,
        "user_id": UUID,
    },
    "required": ["item_id", "kind", "ticket_id", "call_id", "callback_id", "customer_id"],
}
REJECTED: dict[str, Any] = {
    "type": "object",
    "properties": {"offer_id": UUID, "outcome": {"type": "string"}},
    "required": ["offer_id", "outcome"],
}
BOARD_ITEM: dict[str, Any] = {
    "type": "object",
    "properties": {
        "id": UUID,
        "kind": KIND,
        "channel": {"type": "string"},
        "customer_name": {"type": "string"},
        "waited_seconds": {"type": "integer"},
        "state": {"type": "string", "enum": [s.value for s in ItemState]},
        "offered_to": UUID_OR_NULL,
    },
}
BOARD: dict[str, Any] = {
    "type": "object",
    "properties": {
        "queues": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "label": {"type": "string"},
                    "waiting": {
                        "type": "object",
                        "additionalProperties": {"type": "integer"},
                        "description": "waiting items by channel: voice, sms, email, callback",
                    },
                    "longest_wait_seconds": {"type": "integer"},
                    "service_level_today": {"type": ["number", "null"]},
                    "answered_today": {"type": "integer"},
                    "abandoned_today": {"type": "integer"},
                    "items": {"type": "array", "items": BOARD_ITEM},
                },
            },
        },
        "agents": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    k: AGENT_STATE["properties"][k]
                    for k in ("user_id", "name", "presence", "reason", "since", "load", "capacity")
                },
            },
        },
    },
    "required": ["queues", "agents"],
}
