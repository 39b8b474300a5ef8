"""Which day each visit falls on. Pure and deterministic: values in, values out, no clock.

`plan` fills the horizon (tomorrow .. `horizon_end`; today's route is already under way) with
each account's regular visits and the open visit requests, and keeps what is booked wherever
the rules still allow it, so that planning again changes only what must change:

1. Booked visits. Confirmed, done and pinned ones (and anything on today) stay untouched and
   take their place. A booked `planned` visit stays on its day while that day is open for its
   (current) manager and has room; otherwise it is moved (same `visit_id`) or dropped.
2. Requests, most urgent first: a request already on a visit is served; else a planned regular
   visit of the account inside the request's days carries it; else a new visit on the earliest
   open day with room from `earliest` to `due_by` (`Unplaced` "no_day_in_time" when none).
3. Regular visits, per account (most frequent cadence first, then by id): the next one is due
   `cadence_days` after the previous visit (the last done, or the one before it in the plan),
   on the route weekday of that due day's week (never before tomorrow). A visit already in that
   week counts; else the route day is taken, or, when it is full or closed, the open day of the
   same week that is least loaded (then nearest, then earliest): `PlacedVisit.wanted` says so.
   A week with no room at all gives `Unplaced` "no_day_in_week".

A day is open for a manager unless it is a closed day (holiday, closure), one of their leave
days, or neither one of their weekdays nor a make-up working day. An account has at most one
visit a day. Everything is iterated in a sorted order, so the same input gives the same plan.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date, timedelta
from uuid import UUID

from contact_center.visits.model import (
    FIXED_STATES,
    LIVE_STATES,
    AccountRules,
    Booked,
    ManagerRules,
    OpenRequest,
    PlacedVisit,
    Plan,
    PlanInput,
    Unplaced,
    VisitKind,
    VisitState,
)

DAY = timedelta(days=1)
DONE_STATES = frozenset({VisitState.CONFIRMED, VisitState.DONE})


def closed_reason(inp: PlanInput, manager: ManagerRules, day: date) -> str | None:
    """Why `day` is not a working day for the manager, or None when it is."""
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
) -> str | None:
    """Why the manager may not put the account's visit on `day` (a message key), or None.

    Keys: `past`, `beyond_horizon`, `closed_day`, `on_leave`, `not_working_day`,
    `account_has_visit` (the account already has another visit that day), `day_full`.
    `visit_id` is the visit being moved: it does not count against the day."""
    if day < inp.today:
        return "past"
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


class _Board:
    """The plan being built: open days and load per manager, each account's visit days."""

    def __init__(self, inp: PlanInput) -> None:
        self.first = inp.today + DAY
        self.end = inp.horizon_end
        self.managers = {m.manager_id: m for m in inp.managers}
        span = [inp.today + DAY * i for i in range((inp.horizon_end - inp.today).days + 1)]
        self.open = {
            m.manager_id: frozenset(d for d in span if closed_reason(inp, m, d) is None)
            for m in inp.managers
        }
        self.load: dict[tuple[UUID, date], int] = defaultdict(int)
        self.org_days: dict[UUID, set[date]] = defaultdict(set)

    def room(self, manager_id: UUID, day: date, org: UUID) -> bool:
        open_days = self.open.get(manager_id)
        return (
            open_days is not None
            and day in open_days
            and self.first <= day
            and self.load[manager_id, day] < self.managers[manager_id].capacity
            and day not in self.org_days[org]
        )

    def take(self, manager_id: UUID, day: date, org: UUID) -> None:
        self.load[manager_id, day] += 1
        self.org_days[org].add(day)

    def release(self, manager_id: UUID, day: date, org: UUID) -> None:
        self.load[manager_id, day] -= 1
        self.org_days[org].discard(day)

    def earliest(self, manager_id: UUID, org: UUID, lo: date, hi: date) -> date | None:
        day = max(lo, self.first)
        while day <= min(hi, self.end):
            if self.room(manager_id, day, org):
                return day
            day += DAY
        return None

    def balance(self, manager_id: UUID, org: UUID, target: date) -> date | None:
        """The target day when it has room, else the least loaded open day of its week."""
        if self.room(manager_id, target, org):
            return target
        week = week_of(target)
        days = [week + DAY * i for i in range(7)]
        free = [d for d in days if d <= self.end and self.room(manager_id, d, org)]
        if not free:
            return None
        return min(free, key=lambda d: (self.load[manager_id, d], abs((d - target).days), d))


def _booked_order(v: Booked) -> tuple[int, date, UUID, UUID]:
    # Fixed and pinned visits first (they stay whatever the load), then requested ones.
    rank = 0 if v.state in FIXED_STATES or v.pinned else 1 if v.kind is VisitKind.REQUESTED else 2
    return (rank, v.day, v.organization_id, v.visit_id)


def _placed(v: Booked, **changes: object) -> PlacedVisit:
    kept = PlacedVisit(v.organization_id, v.manager_id, v.day, v.kind, v.visit_id, v.request_id)
    return replace(kept, **changes) if changes else kept  # type: ignore[arg-type]


class _Planner:
    def __init__(self, inp: PlanInput) -> None:
        self.inp = inp
        self.board = _Board(inp)
        self.accounts = {a.organization_id: a for a in inp.accounts}
        self.requests = {r.request_id: r for r in inp.requests}
        self.kept: dict[UUID, PlacedVisit] = {}  # booked visit id -> where the plan holds it
        self.new: list[PlacedVisit] = []
        self.unplaced: list[Unplaced] = []
        self.firm: dict[UUID, list[date]] = defaultdict(list)  # org -> days cadence keeps
        self.spare: dict[UUID, list[Booked]] = defaultdict(list)  # org -> regular, may stay
        self.loose: dict[UUID, list[Booked]] = defaultdict(list)  # org -> must move or go
        self.anchor: dict[UUID, date] = {}  # org -> its last visit before the horizon
        self.movable: list[Booked] = []

    def owner(self, v: Booked) -> UUID | None:
        """The manager a movable booked visit belongs to now."""
        request = self.requests.get(v.request_id) if v.request_id else None
        if request is not None:
            return request.manager_id
        account = self.accounts.get(v.organization_id)
        if account is not None:
            return account.manager_id
        return v.manager_id if v.kind is VisitKind.REQUESTED else None

    def keep_booked(self) -> None:
        board = self.board
        for v in sorted(self.inp.booked, key=_booked_order):
            org = v.organization_id
            if v.state not in LIVE_STATES:
                continue  # missed or cancelled: history, left alone
            if v.day < self.inp.today:
                if v.state in DONE_STATES and (org not in self.anchor or self.anchor[org] < v.day):
                    self.anchor[org] = v.day
                continue
            if v.state in FIXED_STATES or v.pinned or v.day < board.first:
                board.take(v.manager_id, v.day, org)
                self.kept[v.visit_id] = _placed(v)
                self.firm[org].append(v.day)
                continue
            self.movable.append(v)
            owner = self.owner(v)
            if owner == v.manager_id and v.day <= board.end and board.room(owner, v.day, org):
                board.take(owner, v.day, org)
                if v.kind is VisitKind.REQUESTED:
                    self.kept[v.visit_id] = _placed(v)
                    self.firm[org].append(v.day)
                else:
                    self.spare[org].append(v)
            else:
                self.loose[org].append(v)

    def place_requests(self) -> None:
        served = {p.request_id for p in self.kept.values() if p.request_id is not None}
        for r in sorted(self.inp.requests, key=lambda r: (r.due_by, r.earliest, r.request_id)):
            if r.request_id not in served:
                self.place_request(r)
        # Requested visits that must move though their request is no longer open: within
        # their week, earliest first.
        for org in sorted(self.loose):
            for v in self.loose[org]:
                if v.kind is VisitKind.REQUESTED and v.visit_id not in self.kept:
                    owner = self.owner(v) or v.manager_id
                    lo, hi = week_of(v.day), week_of(v.day) + DAY * 6
                    self.put(owner, org, lo, hi, VisitKind.REQUESTED, v.request_id, v)

    def place_request(self, r: OpenRequest) -> None:
        org, lo, hi = r.organization_id, max(r.earliest, self.board.first), r.due_by
        if r.manager_id not in self.board.managers:
            self.unplaced.append(Unplaced(org, r.manager_id, "no_rules", r.request_id, r.due_by))
            return
        hosts = [v for v in self.spare[org] if lo <= v.day <= hi and v.manager_id == r.manager_id]
        if hosts:
            host = min(hosts, key=lambda v: (v.day, v.visit_id))
            self.spare[org].remove(host)
            self.kept[host.visit_id] = _placed(host, request_id=r.request_id)
            self.firm[org].append(host.day)
            return
        moving = next(
            (
                v
                for v in self.loose[org]
                if v.request_id == r.request_id and v.visit_id not in self.kept
            ),
            None,
        )
        self.put(r.manager_id, org, lo, hi, VisitKind.REQUESTED, r.request_id, moving)

    def put(
        self,
        manager_id: UUID,
        org: UUID,
        lo: date,
        hi: date,
        kind: VisitKind,
        request_id: UUID | None,
        moving: Booked | None,
    ) -> None:
        day = self.board.earliest(manager_id, org, lo, hi)
        if day is None:
            self.unplaced.append(Unplaced(org, manager_id, "no_day_in_time", request_id, hi))
            return
        self.board.take(manager_id, day, org)
        self.firm[org].append(day)
        placed = PlacedVisit(org, manager_id, day, kind, None, request_id)
        if moving is None:
            self.new.append(placed)
        else:
            self.kept[moving.visit_id] = replace(placed, visit_id=moving.visit_id)

    def place_cadence(self, a: AccountRules) -> None:
        board, org, manager_id = self.board, a.organization_id, a.manager_id
        cadence = a.cadence_days
        assert cadence is not None
        if manager_id not in board.managers:
            self.unplaced.append(Unplaced(org, manager_id, "no_rules"))
            return
        firm = sorted(self.firm.get(org, ()))
        spares: dict[date, list[Booked]] = defaultdict(list)
        for v in self.spare.pop(org, []):
            spares[week_of(v.day)].append(v)
        movers: dict[date, list[Booked]] = defaultdict(list)
        for v in sorted(self.loose.get(org, ()), key=lambda v: (v.day, v.visit_id)):
            if v.kind is VisitKind.CADENCE and v.visit_id not in self.kept:
                movers[week_of(v.day)].append(v)
        prev = max((d for d in (a.last_visit, self.anchor.get(org)) if d is not None), default=None)
        i = 0
        while True:
            target = route_day(prev + DAY * cadence, a.route_weekday) if prev else board.first
            target = max(target, next_route_day(board.first, a.route_weekday))
            if prev is not None and target <= prev:
                target = next_route_day(prev + DAY, a.route_weekday)
            if target > board.end:
                break
            week_end = week_of(target) + DAY * 6
            while i < len(firm) and prev is not None and firm[i] <= prev:
                i += 1
            if i < len(firm) and firm[i] <= week_end:
                prev = firm[i]
                continue
            here = [v for v in spares.get(week_of(target), ()) if prev is None or v.day > prev]
            if here:
                chosen = min(here, key=lambda v: (abs((v.day - target).days), v.day, v.visit_id))
                spares[week_of(target)].remove(chosen)
                self.kept[chosen.visit_id] = _placed(chosen)
                prev = chosen.day
                continue
            day = board.balance(manager_id, org, target)
            if day is None:
                self.unplaced.append(Unplaced(org, manager_id, "no_day_in_week", None, target))
                prev = target
                continue
            board.take(manager_id, day, org)
            wanted = None if day == target else target
            placed = PlacedVisit(org, manager_id, day, VisitKind.CADENCE, wanted=wanted)
            reuse = movers.get(week_of(target))
            if reuse:
                self.kept[reuse[0].visit_id] = replace(placed, visit_id=reuse.pop(0).visit_id)
            else:
                self.new.append(placed)
            prev = day
        for left in spares.values():
            for v in left:
                board.release(v.manager_id, v.day, org)

    def run(self) -> Plan:
        self.keep_booked()
        self.place_requests()
        for org in sorted(self.spare):
            account = self.accounts.get(org)
            if account is None or not account.cadence_days:
                for v in self.spare.pop(org):  # no longer visited regularly: room for others
                    self.board.release(v.manager_id, v.day, org)
        regular = [a for a in self.inp.accounts if a.cadence_days]
        for a in sorted(regular, key=lambda a: (a.cadence_days, a.organization_id)):
            self.place_cadence(a)
        dropped = sorted({v.visit_id for v in self.movable if v.visit_id not in self.kept})
        placed = sorted(
            [*self.kept.values(), *self.new],
            key=lambda p: (p.manager_id, p.day, p.organization_id),
        )
        unplaced = sorted(
            self.unplaced, key=lambda u: (u.manager_id, u.organization_id, u.wanted or date.min)
        )
        return Plan(placed=placed, dropped=dropped, unplaced=unplaced)


def plan(inp: PlanInput) -> Plan:
    """The visits of the horizon for every account and open request in `inp` (see above)."""
    return _Planner(inp).run()
