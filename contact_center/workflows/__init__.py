"""Complaint workflows (definitions, cases, steps, automatic actions), ticket clocks,
deadlines, warnings and escalation."""

from contact_center.workflows.labels import clock_label
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
)
from contact_center.workflows.classification import undo_classification  # isort: skip
from contact_center.workflows.ticket_events import (  # isort: skip
    agent_replied,
    customer_wrote,
    reply_undone,
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
    survey_closed,
    survey_reply_for,
    survey_scores_by_account,
    ticket_surveys,
)
from contact_center.workflows.case_service import (  # isort: skip
    get_case,
    move_case,
    update_case_fields,
)
from contact_center.workflows.cases import start_case, withdraw_case  # isort: skip
from contact_center.workflows.definition import (  # isort: skip
    DefinitionError,
    parse_definition,
)
from contact_center.workflows.case_labels import (  # isort: skip
    LISTS as LABEL_LISTS,
    create_label,
    list_labels,
    update_label,
)
from contact_center.workflows.versions import (  # isort: skip
    get_workflow,
    install_defaults,
    update_workflow,
)
from contact_center.workflows.clock_reads import list_deadlines, ticket_clocks  # isort: skip
from contact_center.workflows.clock_backfill import start_missing_clocks  # isort: skip

__all__ = [
    "LABEL_LISTS",
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
    "DefinitionError",
    "MessageOptions",
    "Step",
    "StepDeadline",
    "SurveyReply",
    "TicketSurvey",
    "accounts_at_risk",
    "accounts_risk",
    "actions",
    "agent_replied",
    "answer_by_link",
    "clock_label",
    "create_label",
    "customer_wrote",
    "get_case",
    "get_workflow",
    "install_defaults",
    "list_deadlines",
    "list_labels",
    "message_options",
    "move_case",
    "parse_definition",
    "reply_undone",
    "start_case",
    "start_missing_clocks",
    "survey_by_token",
    "survey_closed",
    "survey_reply_for",
    "survey_scores_by_account",
    "ticket_changed",
    "ticket_clocks",
    "ticket_opened",
    "ticket_surveys",
    "undo_classification",
    "update_case_fields",
    "update_label",
    "update_workflow",
    "withdraw_case",
]
