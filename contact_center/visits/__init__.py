"""Visits to accounts: requests (a key account's complaint follow-up), later the plan."""

from contact_center.visits.model import VisitReason, VisitRequest, VisitRequestState
from contact_center.visits.service import (
    last_done_by_account,
    request_visit,
    satisfaction_by_account,
    ticket_visit_requests,
)

__all__ = [
    "VisitReason",
    "VisitRequest",
    "VisitRequestState",
    "last_done_by_account",
    "request_visit",
    "satisfaction_by_account",
    "ticket_visit_requests",
]
