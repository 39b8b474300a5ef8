"""Complaint workflows (definitions, cases, steps, automatic actions), ticket clocks,
deadlines, warnings and escalation."""

from contact_center.workflows.model import (
    Action,
    Case,
    CaseSource,
    CaseState,
    Clock,
    ClockEvent,
    ClockKind,
    ClockMode,
    ClockState,
    Definition,
    Step,
    StepDeadline,
)

from contact_center.workflows.ticket_events import (  # isort: skip
    agent_replied,
    customer_wrote,
    ticket_changed,
    ticket_opened,
)
from contact_center.workflows.clock_reads import list_deadlines, ticket_clocks  # isort: skip

__all__ = [
    "Action",
    "Case",
    "CaseSource",
    "CaseState",
    "Clock",
    "ClockEvent",
    "ClockKind",
    "ClockMode",
    "ClockState",
    "Definition",
    "Step",
    "StepDeadline",
    "agent_replied",
    "customer_wrote",
    "list_deadlines",
    "ticket_changed",
    "ticket_clocks",
    "ticket_opened",
]
