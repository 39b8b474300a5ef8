"""Visits to accounts: requests, the plan the planner keeps, visit records, reminders and the
managers' calendar feeds."""

from contact_center.visits.account_visits import (
    AccountVisits,
    OverdueAccount,
    account_summary,
    ask_for_visit,
    miss_unrecorded,
    missed_visits,
    overdue_accounts,
    satisfaction_by_account,
)
from contact_center.visits.managers import (
    Leave,
    Profile,
    add_leave,
    calendar_by_token,
    calendar_for,
    feed_token,
    get_profile,
    list_leave,
    remove_leave,
    save_profile,
    set_account_visit,
)
from contact_center.visits.model import (
    Visit,
    VisitKind,
    VisitReason,
    VisitRequest,
    VisitRequestState,
    VisitState,
)
from contact_center.visits.plan_service import PlanResult, plan_visits
from contact_center.visits.records import (
    DayRoute,
    day_route,
    get_visit,
    list_visits,
    move_visit,
    record_outcome,
)
from contact_center.visits.service import (
    PLAN_TASK,
    queue_plan,
    request_visit,
    ticket_visit_requests,
)
from contact_center.visits.views import VisitView

__all__ = [
    "PLAN_TASK",
    "AccountVisits",
    "DayRoute",
    "Leave",
    "OverdueAccount",
    "PlanResult",
    "Profile",
    "Visit",
    "VisitKind",
    "VisitReason",
    "VisitRequest",
    "VisitRequestState",
    "VisitState",
    "VisitView",
    "account_summary",
    "add_leave",
    "ask_for_visit",
    "calendar_by_token",
    "calendar_for",
    "day_route",
    "feed_token",
    "get_profile",
    "get_visit",
    "list_leave",
    "list_visits",
    "miss_unrecorded",
    "missed_visits",
    "move_visit",
    "overdue_accounts",
    "plan_visits",
    "queue_plan",
    "record_outcome",
    "remove_leave",
    "request_visit",
    "satisfaction_by_account",
    "save_profile",
    "set_account_visit",
    "ticket_visit_requests",
]
