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
from contact_center.workflows import actions  # isort: skip
from contact_center.workflows.messages import MessageOptions, message_options  # isort: skip
from contact_center.workflows.surveys import (  # isort: skip
    SurveyReply,
    TicketSurvey,
    answer_by_link,
    survey_by_token,
    survey_reply_for,
    ticket_surveys,
)

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
    "MessageOptions",
    "Step",
    "StepDeadline",
    "SurveyReply",
    "TicketSurvey",
    "actions",
    "agent_replied",
    "answer_by_link",
    "customer_wrote",
    "message_options",
    "survey_by_token",
    "survey_reply_for",
    "ticket_changed",
    "ticket_opened",
    "ticket_surveys",
]
