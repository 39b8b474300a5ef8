"""Request and answer schemas of the classifier, accounts-at-risk and complaint-report routes."""

from __future__ import annotations

from typing import Any

from contact_center.tickets import Classification
from contact_center.web.api.answers import TICKET, object_of
from contact_center.workflows import AtRisk

PHRASE = {
    "type": "object",
    "properties": {
        "text": {"type": "string", "minLength": 1, "maxLength": 100},
        "weight": {"type": "number", "minimum": 0, "maximum": 1},
    },
    "required": ["text", "weight"],
    "additionalProperties": False,
}
RULES_PROPERTIES: dict[str, Any] = {
    "threshold": {"type": "number", "minimum": 0, "maximum": 1},
    "phrases": {"type": "array", "items": PHRASE, "maxItems": 200},
}
CLASSIFIER = {
    "type": "object",
    "properties": {**RULES_PROPERTIES, "version": {"type": "integer", "minimum": 0}},
    "required": ["threshold", "phrases", "version"],
}
CLASSIFIER_SAVE = {**CLASSIFIER, "additionalProperties": False}
CLASSIFIER_TRY = {
    "type": "object",
    "properties": {"text": {"type": "string", "maxLength": 20000}, **RULES_PROPERTIES},
    "required": ["text"],
    "additionalProperties": False,
}
CLASSIFIED = {
    "type": "object",
    "properties": {
        "kind": object_of(Classification)["properties"]["kind"],
        "confidence": {"type": "number", "minimum": 0, "maximum": 1},
        "matched": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["kind", "confidence", "matched"],
}
UNDONE = TICKET
ACCOUNT_AT_RISK = object_of(
    AtRisk,
    name={"type": "string"},
    personal={"type": "boolean"},
    key_account={"type": "boolean"},
    tier={"type": ["string", "null"]},
    account_manager_id={"type": ["string", "null"], "format": "uuid"},
)
ACCOUNTS_AT_RISK = {
    "type": "object",
    "properties": {"accounts": {"type": "array", "items": ACCOUNT_AT_RISK}},
    "required": ["accounts"],
}
AT_RISK_QUERY: dict[str, dict[str, Any]] = {
    "manager": {
        "type": "string",
        "pattern": "^(me|all|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
        "[0-9a-fA-F]{12})$",
        "description": "`me` (default): your accounts; `all`: every account, or an account "
        "manager's id (supervisors and admins)",
    }
}
DATE_QUERY: dict[str, dict[str, Any]] = {
    "from": {"type": "string", "format": "date", "description": "first day, site time"},
    "to": {"type": "string", "format": "date", "description": "last day (included)"},
}
COUNT = {"type": "integer", "minimum": 0}
COMPLAINT_FIGURES = {
    "type": "object",
    "properties": {
        "since": {"type": "string", "format": "date-time"},
        "until": {"type": "string", "format": "date-time"},
        "timezone": {"type": "string"},
        "total": COUNT,
        "by_day": {"type": "array", "items": {"type": "object"}},
        "by_source": {"type": "array", "items": {"type": "object"}},
        "categories": {"type": "array", "items": {"type": "object"}},
        "steps": {"type": "array", "items": {"type": "object"}},
        "breaches": {"type": "object"},
        "satisfaction": {"type": "object"},
    },
    "required": [
        "since",
        "until",
        "timezone",
        "total",
        "by_day",
        "by_source",
        "categories",
        "steps",
        "breaches",
        "satisfaction",
    ],
}
