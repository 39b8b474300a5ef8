"""Request and answer schemas of the accounts API: value import, an account's values, tiers,
overrides, tasks."""

from __future__ import annotations

from typing import Any

from contact_center.accounts import AccountTask, AccountTier, KeyAccount, RunReport, TierMove
from contact_center.web.api.answers import object_of
from contact_center.web.api.schemas import DAY

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
MONEY = {
    "type": "string",
    "pattern": "^-?[0-9]+[.][0-9]{2}$",
    "description": "an exact decimal amount with two places, as a string",
}
SHARE = {"type": "number", "minimum": 0, "maximum": 1}
VALUE_ENTRY = {
    "type": "object",
    "properties": {
        "source_id": {"type": "string"},
        "kind": {"enum": ["transaction", "monthly_revenue"]},
        "amount": MONEY,
        "account_total": {"anyOf": [MONEY, {"type": "null"}]},
        "occurred_on": DAY,
        "imported_at": {"type": "string", "format": "date-time"},
        "updated_at": {"type": "string", "format": "date-time"},
    },
    "required": [
        "source_id",
        "kind",
        "amount",
        "account_total",
        "occurred_on",
        "imported_at",
        "updated_at",
    ],
}
MONTH_TOTAL = {
    "type": "object",
    "properties": {
        "month": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"},
        "first_day": DAY,
        "last_day": DAY,
        "amount": MONEY,
    },
    "required": ["month", "first_day", "last_day", "amount"],
}
LAST_RUN = {
    "type": "object",
    "description": "how the last tier run counted the account",
    "properties": {
        "ran_at": {"type": "string", "format": "date-time"},
        "window_from": DAY,
        "window_to": DAY,
        "tier": TIER,
        "value": MONEY,
        "share": SHARE,
        "rank": {"type": "integer", "minimum": 1},
        "accounts": {"type": "integer", "minimum": 1},
        "share_before": SHARE,
    },
    "required": [
        "ran_at",
        "window_from",
        "window_to",
        "tier",
        "value",
        "share",
        "rank",
        "accounts",
        "share_before",
    ],
}
ACCOUNT_VALUES: dict[str, Any] = {
    "type": "object",
    "properties": {
        "organization_id": {"type": "string", "format": "uuid"},
        "window_from": DAY,
        "window_to": DAY,
        "value": MONEY,
        "months": {"type": "array", "items": MONTH_TOTAL},
        "last_run": {
            "anyOf": [LAST_RUN, {"type": "null"}],
            "description": "null: no run yet, or the last run gave the account no positive value",
        },
        "entries": {"type": "array", "items": VALUE_ENTRY},
        "next_cursor": {"type": ["string", "null"], "description": "null on the last page"},
    },
    "required": [
        "organization_id",
        "window_from",
        "window_to",
        "value",
        "months",
        "last_run",
        "entries",
        "next_cursor",
    ],
}
