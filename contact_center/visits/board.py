"""The days of a plan being built: which are open for a manager, how full they are, which
days each account already has a visit; why a manager may not move a visit to a day. Pure;
`planning.py` uses it and re-exports `closed_reason` and `refusal`.

Managers and accounts are keyed by their UUID's integer inside: the planner looks these up
hundreds of thousands of times on a large plan, and `UUID` hashes and compares in Python.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from functools import lru_cache
from uuid import UUID

from contact_center.visits.model import LIVE_STATES, ManagerRules, PlanInput

DAY = timedelta(days=1)


def closed_reason(inp: PlanInput, manager: ManagerRules, day: date) -> str | None:
    """Why `day` is not a working day for the manager, or None when it is: a closed day
    (holiday, closure) first, then leave, then a day that is neither one of their weekdays nor
    a make-up working day."""
    if day in inp.closed_days:
        return "closed_day"
    if day in manager.leave:
        return "on_leave"
    if day.isoweekday() not in manager.weekdays and day not in inp.working_days:
        return "not_working_day"
    return None


def refusal(
    inp: PlanInput,
    organization_id: UUID,
    manager_id: UUID,
    day: date,
    *,
    visit_id: UUID | None = None,
    due_by: date | None = None,
) -> str | None:
    """Why the manager may not put the account's visit on `day` (a message key), or None.

    Keys: `past`, `request_due`, `beyond_horizon`, `closed_day`, `on_leave`, `not_working_day`,
    `account_has_visit` (the account already has another visit that day), `day_full`.
    `visit_id` is the visit being moved: it does not count against the day. `due_by` is the
    last day of the request the visit carries: a later day is `request_due`."""
    if day < inp.today:
        return "past"
    if due_by is not None and day > due_by:
        return "request_due"
    if day > inp.horizon_end:
        return "beyond_horizon"
    manager = next((m for m in inp.managers if m.manager_id == manager_id), None)
    if manager is None:
        return "not_working_day"
    reason = closed_reason(inp, manager, day)
    if reason is not None:
        return reason
    others = [
        v for v in inp.booked if v.day == day and v.state in LIVE_STATES and v.visit_id != visit_id
    ]
    if any(v.organization_id == organization_id for v in others):
        return "account_has_visit"
    if sum(1 for v in others if v.manager_id == manager_id) >= manager.capacity:
        return "day_full"
    return None


@lru_cache(maxsize=4096)
def week_of(day: date) -> date:
    """The Monday of the day's ISO week."""
    return day - timedelta(days=day.weekday())


def route_day(day: date, weekday: int | None) -> date:
    """The route weekday of the day's week (the day itself for an account without one)."""
    return day if weekday is None else week_of(day) + timedelta(days=weekday - 1)


def next_route_day(day: date, weekday: int | None) -> date:
    """The first route weekday on or after `day`."""
    found = route_day(day, weekday)
    return found if found >= day else found + timedelta(days=7)


class Board:
    """Open days and load per manager, and each account's visit days, from tomorrow (`first`)
    to the horizon's end."""

    def __init__(self, inp: PlanInput) -> None:
        self.first = inp.today + DAY
        self.end = inp.horizon_end
        self.managers = {m.manager_id: m for m in inp.managers}
        span = [self.first + DAY * i for i in range((self.end - self.first).days + 1)]
        self.open: dict[int, frozenset[date]] = {
            m.manager_id.int: frozenset(d for d in span if closed_reason(inp, m, d) is None)
            for m in inp.managers
        }
        self.capacity = {m.manager_id.int: m.capacity for m in inp.managers}
        self.load: dict[tuple[int, date], int] = defaultdict(int)
        self.org_days: dict[int, set[date]] = defaultdict(set)

    def room(self, manager_id: UUID, day: date, org: UUID) -> bool:
        m = manager_id.int
        open_days = self.open.get(m)
        return (
            open_days is not None
            and day in open_days
            and self.load[m, day] < self.capacity[m]
            and day not in self.org_days[org.int]
        )

    def take(self, manager_id: UUID, day: date, org: UUID) -> None:
        self.load[manager_id.int, day] += 1
        self.org_days[org.int].add(day)

    def release(self, manager_id: UUID, day: date, org: UUID) -> None:
        self.load[manager_id.int, day] -= 1
        self.org_days[org.int].discard(day)

    def earliest(self, manager_id: UUID, org: UUID, lo: date, hi: date) -> date | None:
        """The first day from `lo` to `hi` with room for the account's visit."""
        day = max(lo, self.first)
        while day <= min(hi, self.end):
            if self.room(manager_id, day, org):
                return day
            day += DAY
        return None

    def balance(self, manager_id: UUID, org: UUID, target: date) -> date | None:
        """The target day when it has room, else the least loaded open day of its week (then
        the nearest to the target, then the earliest); None when the week has no room."""
        if self.room(manager_id, target, org):
            return target
        week = week_of(target)
        days = [week + DAY * i for i in range(7)]
        free = [d for d in days if self.first <= d <= self.end and self.room(manager_id, d, org)]
        if not free:
            return None
        m = manager_id.int
        return min(free, key=lambda d: (self.load[m, d], abs((d - target).days), d))
