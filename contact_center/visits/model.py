"""Visits to accounts as values: requests, the planner's inputs and outputs, visit records.

The planner (`planning.py`, pure) decides which day each visit falls on; `tours.py` (pure)
orders one manager's day and gives arrival times. `plan_service.py` reads these values from the
database, runs both and writes the difference back.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum
from uuid import UUID


class VisitReason(StrEnum):
    COMPLAINT_FOLLOWUP = "complaint_followup"  # a key account's resolved complaint
    AGENT = "agent"  # an agent or manager asked for a visit
    MISSED = "missed"  # a missed visit, to be made up


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


class VisitKind(StrEnum):
    CADENCE = "cadence"  # the tier's regular visit
    REQUESTED = "requested"  # placed for a visit request (follow-up, agent, make-up)


class VisitState(StrEnum):
    PLANNED = "planned"
    CONFIRMED = "confirmed"  # the customer agreed the day: the planner keeps it
    DONE = "done"
    MISSED = "missed"
    CANCELLED = "cancelled"


# Visits the planner never moves or drops.
FIXED_STATES = frozenset({VisitState.CONFIRMED, VisitState.DONE, VisitState.MISSED})
# Visits that hold a place on a day (count against capacity, appear on the route).
LIVE_STATES = frozenset({VisitState.PLANNED, VisitState.CONFIRMED, VisitState.DONE})


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float


@dataclass(frozen=True)
class Span:
    """A part of a day in the site's time zone: start before end."""

    start: time
    end: time


@dataclass(frozen=True)
class ManagerRules:
    """What limits one account manager's days."""

    manager_id: UUID
    start: Point | None  # where their day starts and ends (office or home)
    hours: Span
    weekdays: frozenset[int]  # ISO weekdays they work (1 = Monday)
    capacity: int  # visits per working day at most
    leave: frozenset[date] = frozenset()


@dataclass(frozen=True)
class AccountRules:
    """One account to visit regularly (or on request) and how."""

    organization_id: UUID
    manager_id: UUID
    cadence_days: int | None  # days between regular visits; None: only on request
    route_weekday: int | None  # ISO weekday of its route; None: any working day
    window: Span
    visit_minutes: int
    location: Point | None
    last_visit: date | None = None  # the last visit done (the cadence counts from it)


@dataclass(frozen=True)
class OpenRequest:
    """A visit request waiting to be placed: on a working day from `earliest` to `due_by`."""

    request_id: UUID
    organization_id: UUID
    manager_id: UUID
    earliest: date
    due_by: date


@dataclass(frozen=True)
class Booked:
    """A visit already in the plan. `pinned` visits were moved by hand: kept where they are."""

    visit_id: UUID
    organization_id: UUID
    manager_id: UUID
    day: date
    kind: VisitKind
    state: VisitState
    pinned: bool = False
    request_id: UUID | None = None


@dataclass(frozen=True)
class PlanInput:
    today: date
    horizon_end: date  # the last day planned (inclusive)
    closed_days: frozenset[date]  # public holidays and closures of the business calendar
    working_days: frozenset[date]  # make-up working days (open though a weekend)
    managers: Sequence[ManagerRules]
    accounts: Sequence[AccountRules]
    requests: Sequence[OpenRequest] = ()
    booked: Sequence[Booked] = ()


@dataclass(frozen=True)
class PlacedVisit:
    """A visit the plan holds: `visit_id` is set when it is a booked visit kept (possibly on a
    new day), None when it is new. `wanted` is the route day a regular visit was balanced away
    from (that day was full or closed); None when it is on its route day."""

    organization_id: UUID
    manager_id: UUID
    day: date
    kind: VisitKind
    visit_id: UUID | None = None
    request_id: UUID | None = None
    wanted: date | None = None


@dataclass(frozen=True)
class Unplaced:
    """A visit the rules left no room for, and why (a message key such as `no_day_in_time`)."""

    organization_id: UUID
    manager_id: UUID
    reason: str
    request_id: UUID | None = None
    wanted: date | None = None


@dataclass(frozen=True)
class Plan:
    placed: Sequence[PlacedVisit]
    dropped: Sequence[UUID]  # booked visits (not fixed, not pinned) the plan no longer holds
    unplaced: Sequence[Unplaced] = ()


@dataclass(frozen=True)
class Stop:
    """A visit on one manager's day, for ordering. Minutes count from the day's midnight."""

    key: UUID  # the visit (or, before it is stored, the account)
    location: Point | None
    window_start: int
    window_end: int
    service_minutes: int


@dataclass(frozen=True)
class Tour:
    """One manager's day in visiting order: `arrivals[i]` is the minute of arrival at
    `order[i]`; `late` lists stops whose window could not be kept (they come last)."""

    order: Sequence[UUID]
    arrivals: Sequence[int]
    distance_km: float
    late: Sequence[UUID] = ()
    minutes: Mapping[UUID, int] = field(default_factory=dict)  # key -> arrival, for look-ups


@dataclass(frozen=True)
class Visit:
    """A visit on an account manager's plan, as stored, with its record once made."""

    id: UUID
    organization_id: UUID
    manager_id: UUID
    day: date
    kind: VisitKind
    state: VisitState
    pinned: bool  # moved by hand: the planner keeps it on its day
    request_id: UUID | None
    sequence: int | None  # its place in the day's route (0 first); None until ordered
    arrives_at: datetime | None
    leaves_at: datetime | None
    outcome_notes: str
    next_steps: str
    satisfaction: int | None  # 1-5, when the manager asked
    recorded_at: datetime | None
    recorded_by: UUID | None
    version: int
    created_at: datetime
    updated_at: datetime
