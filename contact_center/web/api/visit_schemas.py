"""JSON schemas of the visits API: request bodies, query parameters and answers."""

from __future__ import annotations

from typing import Any

from contact_center.visits import VisitView
from contact_center.web.api.answers import object_of, wrapped
from contact_center.web.api.schemas import DAY, NOT_BLANK, TEXT, UUID

NOTES = {"type": "string", "minLength": 1, "maxLength": 10000, "pattern": NOT_BLANK}
CLOCK = {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"}

QUERY: dict[str, dict[str, Any]] = {
    "manager_id": {**UUID, "description": "the manager (default: you)"},
    "from": {**DAY, "description": "first site-local day (default: today)"},
    "to": {**DAY, "description": "last site-local day (default: from + 6 days)"},
    "day": {**DAY, "description": "the site-local day (default: today)"},
}
MOVE = {
    "type": "object",
    "properties": {"day": DAY, "version": {"type": "integer", "minimum": 1}},
    "required": ["day", "version"],
    "additionalProperties": False,
}
OUTCOME = {
    "type": "object",
    "properties": {
        "state": {"enum": ["confirmed", "done", "missed", "cancelled"]},
        "outcome_notes": TEXT,
        "next_steps": TEXT,
        "satisfaction": {"type": ["integer", "null"], "minimum": 1, "maximum": 5},
        "version": {"type": "integer", "minimum": 1},
    },
    "required": ["state", "version"],
    "additionalProperties": False,
    # A visit done says what happened; satisfaction comes only with a visit done.
    "if": {"properties": {"state": {"const": "done"}}},
    "then": {"required": ["outcome_notes"], "properties": {"outcome_notes": NOTES}},
    "else": {"properties": {"satisfaction": {"type": "null"}}},
}
PLAN = {
    "type": "object",
    "properties": {"manager_id": {"type": ["string", "null"], "format": "uuid"}},
    "additionalProperties": False,
}
VISIT_REQUEST = {
    "type": "object",
    "properties": {
        "due_by": {**DAY, "description": "default: within the follow-up days"},
        "note": TEXT,
    },
    "additionalProperties": False,
}
PROFILE = {
    "type": "object",
    "properties": {
        "start_latitude": {"type": ["number", "null"], "minimum": -90, "maximum": 90},
        "start_longitude": {"type": ["number", "null"], "minimum": -180, "maximum": 180},
        "hours": {"type": ["array", "null"], "items": CLOCK, "minItems": 2, "maxItems": 2},
        "weekdays": {
            "type": "array",
            "items": {"type": "integer", "minimum": 1, "maximum": 7},
            "maxItems": 7,
            "uniqueItems": True,
        },
        "capacity": {"type": ["integer", "null"], "minimum": 1, "maximum": 40},
    },
    "description": "hours: start before end; the start point: both coordinates or neither",
    "required": ["weekdays"],
    "additionalProperties": False,
}
LEAVE = {
    "type": "object",
    "properties": {"day": DAY, "note": {"type": "string", "maxLength": 500}},
    "required": ["day"],
    "additionalProperties": False,
}

VISIT = object_of(VisitView)
VISITS = wrapped("visits", {"type": "array", "items": VISIT})
POINT = {
    "type": ["object", "null"],
    "properties": {"latitude": {"type": "number"}, "longitude": {"type": "number"}},
}
ROUTE = {
    "type": "object",
    "properties": {
        "day": DAY,
        "manager_id": UUID,
        "start": POINT,
        "stops": {"type": "array", "items": VISIT},
        "distance_km": {"type": "number"},
        "travel_minutes": {"type": "integer"},
    },
    "required": ["day", "manager_id", "start", "stops", "distance_km", "travel_minutes"],
}
PLAN_RESULT = {
    "type": "object",
    "properties": {
        "placed": {"type": "integer"},
        "moved": {"type": "integer"},
        "kept": {"type": "integer"},
        "dropped": {"type": "integer"},
        "not_written": {"type": "integer"},
        "unplaced": {"type": "array", "items": {"type": "object"}},
    },
    "required": ["placed", "moved", "kept", "dropped", "not_written", "unplaced"],
}
PLAN_QUEUED = {
    "type": "object",
    "properties": {"queued": {"type": "string", "enum": ["all"]}},
    "required": ["queued"],
}
FEED = {"type": "object", "properties": {"url": {"type": "string"}}, "required": ["url"]}
OBJECT = {"type": "object"}
