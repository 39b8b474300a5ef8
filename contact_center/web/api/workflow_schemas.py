"""JSON schemas of the workflow and complaint case routes: what they take and answer."""

from __future__ import annotations

from typing import Any

from contact_center.workflows.definition import SCHEMA as DEFINITION

TEXT = {"type": "string", "maxLength": 10000}
FIELDS = {
    "type": "object",
    "properties": {
        "category": {"anyOf": [{"type": "string", "maxLength": 40}, {"type": "null"}]},
        "root_cause": {"anyOf": [{"type": "string", "maxLength": 40}, {"type": "null"}]},
        "facts": {"anyOf": [TEXT, {"type": "null"}]},
        "resolution": {"anyOf": [TEXT, {"type": "null"}]},
        "callback_outcome": {"anyOf": [TEXT, {"type": "null"}]},
    },
    "additionalProperties": False,
}
CASE_MOVE = {
    "type": "object",
    "properties": {"to": {"type": "string", "minLength": 1, "maxLength": 40}, "fields": FIELDS},
    "required": ["to"],
    "additionalProperties": False,
}
CASE_FIELDS = {
    "type": "object",
    "properties": {"fields": FIELDS},
    "required": ["fields"],
    "additionalProperties": False,
}
WORKFLOW_UPDATE = {
    "type": "object",
    "properties": {
        "version": {"type": "integer", "minimum": 1, "description": "the version you edited"},
        "definition": DEFINITION,
    },
    "required": ["version", "definition"],
    "additionalProperties": False,
}
LABEL_TITLE = {
    "type": "object",
    "properties": {
        "en": {"type": "string", "minLength": 1, "maxLength": 80},
        "zh_Hans": {"type": "string", "maxLength": 80},
    },
    "required": ["en"],
    "additionalProperties": False,
}
LABEL_CREATE = {
    "type": "object",
    "properties": {
        "key": {"type": "string", "pattern": "^[a-z0-9_]{1,40}$"},
        "title": LABEL_TITLE,
        "position": {"type": "integer", "minimum": 0, "maximum": 10000},
    },
    "required": ["key", "title"],
    "additionalProperties": False,
}
LABEL_UPDATE = {
    "type": "object",
    "properties": {
        "title": LABEL_TITLE,
        "active": {"type": "boolean"},
        "position": {"type": "integer", "minimum": 0, "maximum": 10000},
    },
    "additionalProperties": False,
}
WORKFLOW_PATH: dict[str, dict[str, Any]] = {
    "name": {"type": "string", "pattern": "^[a-z][a-z0-9_]{0,39}$"}
}
LIST_PATH: dict[str, dict[str, Any]] = {"list": {"enum": ["category", "root_cause"]}}
LABEL_PATH: dict[str, dict[str, Any]] = {
    **LIST_PATH,
    "key": {"type": "string", "pattern": "^[a-z0-9_]{1,40}$"},
}

# -- answers ------------------------------------------------------------------------------

_STRING = {"type": "string"}
_TIME = {"type": "string", "format": "date-time"}
_NULLABLE_TIME = {"anyOf": [_TIME, {"type": "null"}]}


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": sorted(properties)}


LABEL = _object(
    {
        "key": _STRING,
        "title": {"type": "object"},
        "active": {"type": "boolean"},
        "position": {"type": "integer"},
    }
)
LABELS = _object({"labels": {"type": "array", "items": LABEL}})
WORKFLOW = _object(
    {
        "name": _STRING,
        "version": {"type": "integer"},
        "definition": {"type": "object"},
        "versions": {
            "type": "array",
            "items": _object(
                {
                    "id": {"type": "integer"},
                    "version": {"type": "integer"},
                    "created_at": _TIME,
                    "created_by": {
                        "anyOf": [{"type": "string", "format": "uuid"}, {"type": "null"}]
                    },
                    "created_by_name": _STRING,
                }
            ),
        },
    }
)
_CHOICE = {"type": "array", "items": _object({"key": _STRING, "title": _STRING})}
CASE = _object(
    {
        "id": {"type": "integer"},
        "ticket_id": {"type": "string", "format": "uuid"},
        "definition": _object({"name": _STRING, "version": {"type": "integer"}, "title": _STRING}),
        "step": _STRING,
        "step_title": _STRING,
        "state": {"enum": ["open", "closed", "withdrawn"]},
        "source": {"enum": ["ivr", "address", "agent", "classifier"]},
        "confidence": {"anyOf": [{"type": "number"}, {"type": "null"}]},
        "matched": {"type": "array", "items": _STRING},
        "fields": {"type": "object"},
        "opened_at": _TIME,
        "step_entered_at": _TIME,
        "closed_at": _NULLABLE_TIME,
        "key_account": {"type": "boolean"},
        "steps": {
            "type": "array",
            "items": _object(
                {
                    "key": _STRING,
                    "title": _STRING,
                    "state": {"enum": ["done", "current", "todo"]},
                    "requires": {"type": "array", "items": _STRING},
                    "deadline": {
                        "anyOf": [
                            _object({"within": _STRING, "mode": {"enum": ["business", "wall"]}}),
                            {"type": "null"},
                        ]
                    },
                }
            ),
        },
        "next": {
            "type": "array",
            "items": _object(
                {
                    "key": _STRING,
                    "title": _STRING,
                    "requires": {"type": "array", "items": _STRING},
                    "missing": {"type": "array", "items": _STRING},
                }
            ),
        },
        "history": {
            "type": "array",
            "items": _object(
                {
                    "step": _STRING,
                    "title": _STRING,
                    "entered_at": _TIME,
                    "left_at": _NULLABLE_TIME,
                    "entered_by_name": _STRING,
                }
            ),
        },
    }
)
CASE_VIEW = _object(
    {
        "case": {"anyOf": [CASE, {"type": "null"}]},
        "labels": _object({"category": _CHOICE, "root_cause": _CHOICE}),
    }
)
