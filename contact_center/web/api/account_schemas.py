"""Request and answer schemas of the accounts API: value import, tiers, overrides, tasks."""

from __future__ import annotations

from typing import Any

from contact_center.accounts import AccountTask, AccountTier, KeyAccount, RunReport, TierMove
from contact_center.web.api.answers import object_of

TIER = {"enum": ["A", "B", "C"]}
AMOUNT = {"anyOf": [{"type": "number"}, {"type": "string", "maxLength": 40}]}
VALUE_ROW = {
    "type": "object",
    "properties": {
        "source_id": {"type": "string", "minLength": 1, "maxLength": 200},
        "account": {
            "type": "string",
            "minLength": 1,
            "maxLength": 320,
            "description": "organization id, exact organization name, or a customer's phone/email",
        },
        "kind": {"enum": ["transaction", "monthly_revenue"]},
        "amount": AMOUNT,
        "date": {"type": "string", "maxLength": 10, "description": "YYYY-MM-DD"},
        "month": {"type": "string", "maxLength": 7, "description": "YYYY-MM"},
        "account_total": {"anyOf": [AMOUNT, {"type": "null"}]},
    },
    "required": ["source_id", "account", "kind", "amount"],
    "additionalProperties": False,
}
VALUES_IMPORT = {
    "type": "object",
    "properties": {"values": {"type": "array", "items": VALUE_ROW, "maxItems": 10000}},
    "required": ["values"],
    "additionalProperties": False,
}
TIER_OVERRIDE = {
    "type": "object",
    "properties": {
        "tier": TIER,
        "reason": {"type": "string", "minLength": 1, "maxLength": 500, "pattern": "\\S"},
    },
    "required": ["tier", "reason"],
    "additionalProperties": False,
}
MANAGER = {
    "type": "object",
    "properties": {"manager_id": {"type": "string", "format": "uuid"}},
    "required": ["manager_id"],
    "additionalProperties": False,
}

CSV_BODY = {
    "type": "string",
    "description": "CSV with a header: source_id, account, kind, amount, date or month,"
    " account_total (optional); `,` or `;` between fields; UTF-8, a BOM is fine",
}
IMPORT_RESULT: dict[str, Any] = {
    "type": "object",
    "properties": {
        "created": {"type": "integer"},
        "updated": {"type": "integer"},
        "unchanged": {"type": "integer"},
        "rejected": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "line": {"type": "integer"},
                    "source_id": {"type": "string"},
                    "reason": {"type": "string"},
                },
                "required": ["line", "source_id", "reason"],
            },
        },
    },
    "required": ["created", "updated", "unchanged", "rejected"],
}
RUN = object_of(RunReport)
ACCOUNT_TIER = object_of(AccountTier)
MOVES = {
    "type": "object",
    "properties": {"moves": {"type": "array", "items": object_of(TierMove)}},
    "required": ["moves"],
}
KEY_ACCOUNTS = {
    "type": "object",
    "properties": {
        "accounts": {"type": "array", "items": object_of(KeyAccount)},
        "total": {"type": "integer", "minimum": 0},
        "offset": {"type": "integer", "minimum": 0},
        "next_offset": {"type": ["integer", "null"]},
    },
    "required": ["accounts", "total", "offset", "next_offset"],
}
TASK = object_of(AccountTask)
TASKS = {
    "type": "object",
    "properties": {"tasks": {"type": "array", "items": TASK}},
    "required": ["tasks"],
}
