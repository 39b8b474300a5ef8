"""Visit requests: a visit an account manager is asked to make, placed later by the planner."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID


class VisitReason(StrEnum):
    COMPLAINT_FOLLOWUP = "complaint_followup"  # a key account's resolved complaint


class VisitRequestState(StrEnum):
    REQUESTED = "requested"  # waiting for the visit planner
    PLANNED = "planned"  # placed on a day of the account manager's plan
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class VisitRequest:
    id: UUID
    organization_id: UUID
    ticket_id: UUID | None
    reason: VisitReason
    requested_at: datetime
    due_by: datetime
    state: VisitRequestState
    note: str = ""
