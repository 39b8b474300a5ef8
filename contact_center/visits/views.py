"""What screens and the API show of a visit: the stored visit plus its account, place, window,
reason, whether it still needs an outcome and what became of its reminder."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any
from uuid import UUID

from contact_center.i18n import gettext as _
from contact_center.visits.model import Visit, VisitState
from contact_center.visits.visit_store import visit_of

WAITING = frozenset({VisitState.PLANNED, VisitState.CONFIRMED})
# A make-up request's note is stored neutral ("missed:YYYY-MM-DD") and put in words when shown,
# in the reader's language, not the language of whoever recorded the miss.
MISSED_NOTE = "missed:"


def note_text(note: str) -> str:
    if note.startswith(MISSED_NOTE):
        day = note.removeprefix(MISSED_NOTE)
        return _("Make-up for the visit missed on {day}").format(day=day)
    return note


@dataclass(frozen=True)
class VisitView:
    id: UUID
    organization_id: UUID
    manager_id: UUID
    day: date
    kind: str
    state: str
    pinned: bool
    request_id: UUID | None
    sequence: int | None
    arrives_at: datetime | None
    leaves_at: datetime | None
    outcome_notes: str
    next_steps: str
    satisfaction: int | None
    recorded_at: datetime | None
    recorded_by: UUID | None
    version: int
    created_at: datetime
    updated_at: datetime
    account_name: str
    manager_name: str
    address: str
    latitude: float | None
    longitude: float | None
    window_start: str  # HH:MM, site time
    window_end: str
    duration_minutes: int
    reason: str  # cadence, complaint_followup, agent, missed
    request_note: str
    cancel_reason: str
    needs_outcome: bool  # its day is past and nobody recorded what happened
    # not_due (the day before has not come), queued/sent/delivered/failed (the SMS),
    # opted_out / no_mobile (skipped), none (not a visit that is reminded: done, cancelled)
    reminder: str


def reminder_of(row: Any, visit: Visit) -> str:
    if row["reminder_skip"]:
        return str(row["reminder_skip"])
    if row["reminder_status"]:
        return str(row["reminder_status"])
    return "not_due" if visit.state in WAITING else "none"


def view_of(row: Any, today: date) -> VisitView:
    visit = visit_of(row)
    base = {f.name: getattr(visit, f.name) for f in fields(Visit)}
    base["kind"] = visit.kind.value
    base["state"] = visit.state.value
    return VisitView(
        **base,
        account_name=row["account_name"],
        manager_name=row["manager_name"],
        address=row["address"],
        latitude=row["latitude"],
        longitude=row["longitude"],
        window_start=row["window_start"].strftime("%H:%M"),
        window_end=row["window_end"].strftime("%H:%M"),
        duration_minutes=row["duration_minutes"],
        reason=row["reason"],
        request_note=note_text(row["request_note"]),
        cancel_reason=row["cancel_reason"],
        needs_outcome=visit.state in WAITING and visit.day < today,
        reminder=reminder_of(row, visit),
    )
