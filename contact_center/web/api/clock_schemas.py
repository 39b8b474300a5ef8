"""JSON schemas of the clocks API's answers (the shape `workflows.clock_reads` writes)."""

from __future__ import annotations

from typing import Any

from contact_center.workflows import ClockEvent, ClockKind, ClockMode, ClockState

TIME = {"type": ["string", "null"], "format": "date-time"}
CLOCK: dict[str, Any] = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "kind": {"type": "string", "enum": [k.value for k in ClockKind]},
        "step": {"type": ["string", "null"]},
        "label": {"type": "string", "description": "what the clock is called, translated"},
        "state": {"type": "string", "enum": [s.value for s in ClockState]},
        "mode": {"type": "string", "enum": [m.value for m in ClockMode]},
        "target_seconds": {"type": "integer"},
        "used_seconds": {"type": "integer", "description": "time used by now, in the mode"},
        "started_at": {"type": "string", "format": "date-time"},
        "due_at": {**TIME, "description": "null while paused"},
        "warn_at": TIME,
        "warned_at": TIME,
        "breached_at": TIME,
        "ended_at": TIME,
        "remaining_seconds": {
            "type": "integer",
            "description": "time left in the clock's mode (business seconds for business "
            "clocks), paused or running; negative past due",
        },
    },
    "required": ["id", "kind", "label", "state", "mode", "due_at", "remaining_seconds"],
}
EVENT = {
    "type": "object",
    "properties": {
        "clock_id": {"type": "integer"},
        "kind": {"type": "string", "enum": [k.value for k in ClockKind]},
        "step": {"type": ["string", "null"]},
        "label": {"type": "string"},
        "event": {"type": "string", "enum": [e.value for e in ClockEvent]},
        "at": {"type": "string", "format": "date-time"},
        "detail": {"type": "object"},
    },
    "required": ["clock_id", "kind", "event", "at"],
}
TICKET_CLOCKS = {
    "type": "object",
    "properties": {
        "clocks": {"type": "array", "items": CLOCK},
        "events": {"type": "array", "items": EVENT},
    },
    "required": ["clocks", "events"],
}
DEADLINE = {
    "type": "object",
    "properties": {
        **CLOCK["properties"],
        "ticket_id": {"type": "string", "format": "uuid"},
        "ticket_number": {"type": "integer"},
        "subject": {"type": "string"},
        "customer_name": {"type": "string"},
        "assignee_id": {"type": ["string", "null"], "format": "uuid"},
        "assignee_name": {"type": ["string", "null"]},
        "key_account": {"type": "boolean"},
        "priority": {"type": "string"},
    },
    "required": [*CLOCK["required"], "ticket_id", "ticket_number", "priority"],
}
DEADLINES = {
    "type": "object",
    "properties": {"deadlines": {"type": "array", "items": DEADLINE}},
    "required": ["deadlines"],
}
DEADLINES_QUERY: dict[str, dict[str, Any]] = {
    "scope": {"enum": ["mine", "all"], "description": "default mine: tickets assigned to you"},
    "state": {
        "enum": ["warned", "breached"],
        "description": "default warned: past the warning, not yet due; breached: past due",
    },
}
