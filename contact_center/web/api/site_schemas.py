"""JSON schemas of the site settings API and the business calendar."""

from __future__ import annotations

from typing import Any

from contact_center.site import SettingKey

MAX_DAYS = 366
FIRST_YEAR, LAST_YEAR = 1900, 2199
KEY = {"type": "string", "enum": [key.value for key in SettingKey]}
SETTING_UPDATE: dict[str, Any] = {
    "type": "object",
    "properties": {
        "value": {"description": "the setting's new value; its shape depends on the key"},
        "version": {
            "type": "integer",
            "minimum": 0,
            "maximum": 2_147_483_647,
            "description": "the version you read (0: never saved)",
        },
    },
    "required": ["value", "version"],
    "additionalProperties": False,
}
SETTING = {
    "type": "object",
    "properties": {
        "key": KEY,
        "value": {},
        "version": {"type": "integer"},
        "editable": {"type": "boolean"},
    },
    "required": ["key", "value", "version", "editable"],
}
SETTINGS = {
    "type": "object",
    "properties": {"settings": {"type": "array", "items": SETTING}},
    "required": ["settings"],
}
NULLABLE_TEXT = {"type": ["string", "null"]}
HISTORY = {
    "type": "object",
    "properties": {
        "versions": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "key": KEY,
                    "version": {"type": "integer"},
                    "value": {},
                    "changed_at": {"type": "string", "format": "date-time"},
                    "changed_by": {
                        "anyOf": [{"type": "string", "format": "uuid"}, {"type": "null"}]
                    },
                    "changed_by_name": NULLABLE_TEXT,
                },
                "required": [
                    "key",
                    "version",
                    "value",
                    "changed_at",
                    "changed_by",
                    "changed_by_name",
                ],
            },
        }
    },
    "required": ["versions"],
}
CALENDAR_QUERY: dict[str, dict[str, Any]] = {
    "from": {
        "type": "string",
        "format": "date",
        "pattern": "^(19[0-9]{2}|2[01][0-9]{2})-",
        "description": "first day (YYYY-MM-DD, years 1900 to 2199); default today",
    },
    "days": {"type": "integer", "minimum": 1, "maximum": MAX_DAYS, "description": "default 60"},
}
SPAN = {"type": "array", "items": {"type": "string"}, "minItems": 2, "maxItems": 2}
CALENDAR = {
    "type": "object",
    "properties": {
        "timezone": {"type": "string"},
        "days": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "date": {"type": "string", "format": "date"},
                    "kind": {"enum": ["open", "closed", "holiday", "closure", "working_day"]},
                    "label": NULLABLE_TEXT,
                    "spans": {"type": "array", "items": SPAN},
                },
                "required": ["date", "kind", "label", "spans"],
            },
        },
    },
    "required": ["timezone", "days"],
}
