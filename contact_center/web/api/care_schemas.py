"""JSON schemas of the care API: segments, broadcasts and the customer's care flag."""

from __future__ import annotations

from typing import Any

from contact_center.care import BroadcastState
from contact_center.customers.model import LifecycleStage, Tier

TEXTS = {
    "type": "array",
    "items": {"type": "string", "minLength": 1, "maxLength": 200},
    "maxItems": 100,
}
SEGMENT: dict[str, Any] = {
    "type": "object",
    "description": "who a broadcast goes to: each list given narrows the set (criteria combine "
    "with AND, values within one list with OR); empty lists do not narrow",
    "properties": {
        "tiers": {"type": "array", "items": {"enum": [t.value for t in Tier]}, "maxItems": 3},
        "territories": {**TEXTS, "description": "route territories of the account"},
        "tags": {**TEXTS, "description": "tags of the customer or of its account"},
        "stages": {
            "type": "array",
            "items": {"enum": [s.value for s in LifecycleStage]},
            "maxItems": 4,
            "description": "lifecycle stages of the account",
        },
        "key_accounts_only": {"type": "boolean"},
    },
    "additionalProperties": False,
}
CHANNEL = {
    "enum": ["sms", "email", None],
    "description": "sms or email for everyone; null or absent: each customer's preferred way",
}
PREVIEW_REQUEST = {
    "type": "object",
    "properties": {"segment": SEGMENT, "channel": CHANNEL},
    "required": ["segment"],
    "additionalProperties": False,
}
PREVIEW = {
    "type": "object",
    "properties": {
        "count": {"type": "integer", "description": "customers in the segment"},
        "reachable": {"type": "integer", "description": "those a message would reach"},
        "opted_out": {"type": "integer", "description": "sent STOP (and have no other address)"},
        "care_opted_out": {
            "type": "integer",
            "description": 'asked for no care messages (the card\'s "No care messages")',
        },
        "no_address": {"type": "integer", "description": "no mobile number or email"},
        "no_sender": {
            "type": "integer",
            "description": "only SMS reaches them and no SMS number to send from is configured "
            "(TWILIO_FROM_NUMBER): they would wait, not be skipped",
        },
    },
    "required": ["count", "reachable", "opted_out", "care_opted_out", "no_address", "no_sender"],
}
CREATE = {
    "type": "object",
    "properties": {
        "name": {
            "type": "string",
            "minLength": 1,
            "maxLength": 200,
            "pattern": r"\S",
            "description": "the staff's label for the broadcast; never sent",
        },
        "segment": SEGMENT,
        "body_en": {"type": "string", "minLength": 1, "maxLength": 1600, "pattern": r"\S"},
        "body_zh": {"type": "string", "maxLength": 1600},
        "subject_en": {
            "type": "string",
            "maxLength": 200,
            "description": "email subject in English; default: the first line of body_en",
        },
        "subject_zh": {
            "type": "string",
            "maxLength": 200,
            "description": "email subject for Chinese readers; default: the first line of "
            "body_zh, else subject_en",
        },
        "channel": CHANNEL,
    },
    "required": ["name", "segment", "body_en"],
    "additionalProperties": False,
}
COUNT = {"type": "integer", "minimum": 0}
BROADCAST: dict[str, Any] = {
    "type": "object",
    "properties": {
        "id": {"type": "string", "format": "uuid"},
        "name": {"type": "string"},
        "segment": SEGMENT,
        "body_en": {"type": "string"},
        "body_zh": {"type": "string"},
        "subject_en": {"type": "string"},
        "subject_zh": {"type": "string"},
        "channel": {"type": ["string", "null"]},
        "state": {"enum": [s.value for s in BroadcastState]},
        "created_by": {"type": ["string", "null"]},
        "created_at": {"type": "string", "format": "date-time"},
        "next_batch_at": {"type": "string", "format": "date-time"},
        "finished_at": {"type": ["string", "null"], "format": "date-time"},
        "figures": {
            "type": "object",
            "description": "total recipients; waiting (not yet handled), of which no_sender "
            "wait for an SMS number to be configured; from the outbox: queued, sent, "
            "delivered, failed, needs_review, withdrawn (cancelled unsent when the customer's "
            "messages were erased); skipped by reason",
            "properties": {
                **{
                    k: COUNT
                    for k in (
                        "total",
                        "waiting",
                        "queued",
                        "sent",
                        "delivered",
                        "failed",
                        "needs_review",
                        "withdrawn",
                        "no_sender",
                    )
                },
                "skipped": {
                    "type": "object",
                    "properties": {
                        k: COUNT for k in ("opted_out", "care_opted_out", "no_address", "cancelled")
                    },
                },
            },
        },
    },
    "required": ["id", "name", "segment", "state", "figures"],
}
BROADCASTS = {
    "type": "object",
    "properties": {"broadcasts": {"type": "array", "items": BROADCAST}},
    "required": ["broadcasts"],
}
CARE_FLAG_UPDATE = {
    "type": "object",
    "properties": {"opted_out": {"type": "boolean"}},
    "required": ["opted_out"],
    "additionalProperties": False,
}
CARE_FLAG = {
    "type": "object",
    "properties": {
        "customer_id": {"type": "string", "format": "uuid"},
        "opted_out": {"type": "boolean", "description": "wants no greetings or broadcasts"},
        "since": {"type": ["string", "null"], "format": "date-time"},
    },
    "required": ["customer_id", "opted_out", "since"],
}
ERASED = {
    "type": "object",
    "properties": {
        "customer_id": {"type": "string", "format": "uuid"},
        "erased": {"type": "integer", "description": "outbound messages erased"},
    },
    "required": ["customer_id", "erased"],
}
