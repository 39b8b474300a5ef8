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
from contact_center.workflows.risk import AtRisk, AtRiskRule

from contact_center.workflows.at_risk import (  # isort: skip
    accounts_at_risk,
    accounts_risk,
    risk_view,
)
from contact_center.workflows.ticket_events import (  # isort: skip
    agent_replied,
    customer_wrote,
    ticket_changed,
    ticket_opened,
)

__all__ = [
    "Action",
    "AtRisk",
    "AtRiskRule",
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
    "accounts_at_risk",
    "accounts_risk",
    "agent_replied",
    "customer_wrote",
    "risk_view",
    "ticket_changed",
    "ticket_opened",
]
