"""Which day each visit falls on. Pure and deterministic: values in, values out, no clock.

`plan` fills the horizon (tomorrow .. `horizon_end`; today's route is already under way) with
each account's regular visits and the open visit requests, and keeps what is booked wherever
the rules still allow it, so that planning again changes only what must change:

1. Booked visits. Confirmed, done and pinned ones (and anything on today) stay untouched and
   take their place. A booked `planned` visit stays on its day while that day is open for its
   (current) manager and has room; otherwise it is moved (same `visit_id`) or dropped. A
   kept visit only ever changes its day, and gains a request it carries: never its manager
   or kind (a visit of a former manager is dropped, the new manager gets a new one).
2. Requests, most urgent first: a request already on a visit is served; else a planned regular
   visit of the account inside the request's days carries it; else a new visit on the earliest
   open day with room from `earliest` to `due_by` (`Unplaced` "no_day_in_time" when none;
   "no_rules" when the manager has no rules in the input).
3. Regular visits, per account (most frequent cadence first, then by id): the next one is due
   `cadence_days` after the previous visit (the last done, or the one before it in the plan),
   on the route weekday of that due day's week (never before tomorrow). A visit already in that
   week counts; else the route day is taken, or, when it is full or closed, the open day of the
   same week that is least loaded (then nearest, then earliest): `PlacedVisit.wanted` says so.
   A week with no room: the next weeks up to half a cadence (at least one) are tried alike (a
   full week must not cost a whole cadence); none: `Unplaced` "no_day_in_week".

Open days are `board.closed_reason`'s; at most one visit a day per account. Everything is iterated
in a sorted order (by date and UUID): the same input gives the same plan.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date, timedelta
from uuid import UUID

from contact_center.visits.board import (
    DAY,
    Board,
    closed_reason,
    next_route_day,
    refusal,
    route_day,
    week_of,
)
from contact_center.visits.model import (
    FIXED_STATES,
    LIVE_STATES,
    AccountRules,
    Booked,
    OpenRequest,
    PlacedVisit,
    Plan,
    PlanInput,
    Unplaced,
    VisitKind,
    VisitState,
)

__all__ = ["closed_reason", "plan", "refusal"]

DONE_STATES = frozenset({VisitState.CONFIRMED, VisitState.DONE})


def _booked_order(v: Booked) -> tuple[int, date, int, int]:
    # Fixed and pinned visits first (they stay whatever the load), then requested ones.
    rank = 0 if v.state in FIXED_STATES or v.pinned else 1 if v.kind is VisitKind.REQUESTED else 2
    return (rank, v.day, v.organization_id.int, v.visit_id.int)


def _placed(v: Booked, **changes: object) -> PlacedVisit:
    kept = PlacedVisit(v.organization_id, v.manager_id, v.day, v.kind, v.visit_id, v.request_id)
    return replace(kept, **changes) if changes else kept  # type: ignore[arg-type]


class _Planner:
    def __init__(self, inp: PlanInput) -> None:
        self.inp = inp
        self.board = Board(inp)
        # Keyed by the UUIDs' integers (see board.py).
        self.accounts = {a.organization_id.int: a for a in inp.accounts}
        self.requests = {r.request_id.int: r for r in inp.requests}
        self.kept: dict[int, PlacedVisit] = {}  # booked visit -> where the plan holds it
        self.new: list[PlacedVisit] = []
        self.unplaced: list[Unplaced] = []
        self.firm: dict[int, list[date]] = defaultdict(list)  # org -> days cadence keeps
        self.spare: dict[int, list[Booked]] = defaultdict(list)  # org -> regular, may stay
        self.loose: dict[int, list[Booked]] = defaultdict(list)  # org -> must move or go
        self.anchor: dict[int, date] = {}  # org -> its last visit before the horizon
        self.movable: list[Booked] = []
        self.week_spares: dict[date, list[Booked]] = {}  # of the account being placed
        self.week_movers: dict[date, list[Booked]] = {}

    def owner(self, v: Booked) -> UUID | None:
        """The manager a movable booked visit belongs to now."""
        request = self.requests.get(v.request_id.int) if v.request_id else None
        if request is not None:
            return request.manager_id
        account = self.accounts.get(v.organization_id.int)
        if account is not None:
            return account.manager_id
        return v.manager_id if v.kind is VisitKind.REQUESTED else None

    def keep_booked(self) -> None:
        board = self.board
        for v in sorted(self.inp.booked, key=_booked_order):
            org, key = v.organization_id, v.organization_id.int
            if v.state is VisitState.CANCELLED:
                # Cancelled by hand (the customer asked): that regular visit's week is settled
                # and not refilled; a cancelled request's visit gave its request back instead.
                if v.kind is VisitKind.CADENCE and v.day >= self.inp.today:
                    self.firm[key].append(v.day)
                continue
            if v.state not in LIVE_STATES:
                continue  # missed: history, left alone
            if v.day < self.inp.today:
                if v.state in DONE_STATES and (key not in self.anchor or self.anchor[key] < v.day):
                    self.anchor[key] = v.day
                continue
            if v.state in FIXED_STATES or v.pinned or v.day < board.first:
                board.take(v.manager_id, v.day, org)
                self.kept[v.visit_id.int] = _placed(v)
                self.firm[key].append(v.day)
                continue
            self.movable.append(v)
            owner = self.owner(v)
            if owner == v.manager_id and v.day <= board.end and board.room(owner, v.day, org):
                board.take(owner, v.day, org)
                if v.kind is VisitKind.REQUESTED or v.request_id is not None:  # a request's
                    self.kept[v.visit_id.int] = _placed(v)
                    self.firm[key].append(v.day)
                else:
                    self.spare[key].append(v)
            else:
                self.loose[key].append(v)

    def place_requests(self) -> None:
        served = {p.request_id for p in self.kept.values() if p.request_id is not None}
        for r in sorted(self.inp.requests, key=lambda r: (r.due_by, r.earliest, r.request_id.int)):
            if r.request_id not in served:
                self.place_request(r)
        # Requested visits that must move though their request is no longer open: within
        # their week, earliest first.
        for org in sorted(self.loose):
            for v in self.loose[org]:
                if v.kind is VisitKind.REQUESTED and v.visit_id.int not in self.kept:
                    owner = self.owner(v) or v.manager_id
                    lo, hi = week_of(v.day), week_of(v.day) + DAY * 6
                    self.put(owner, v.organization_id, lo, hi, v.kind, v.request_id, v)

    def place_request(self, r: OpenRequest) -> None:
        org, lo, hi = r.organization_id, max(r.earliest, self.board.first), r.due_by
        if r.manager_id not in self.board.managers:
            self.unplaced.append(Unplaced(org, r.manager_id, "no_rules", r.request_id, r.due_by))
            return
        spare = self.spare[org.int]
        hosts = [v for v in spare if lo <= v.day <= hi and v.manager_id == r.manager_id]
        if hosts:
            host = min(hosts, key=lambda v: (v.day, v.visit_id.int))
            spare.remove(host)
            self.kept[host.visit_id.int] = _placed(host, request_id=r.request_id)
            self.firm[org.int].append(host.day)
            return
        moving = next(
            (
                v
                for v in self.loose[org.int]
                if v.request_id == r.request_id
                and v.manager_id == r.manager_id
                and v.visit_id.int not in self.kept
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
        self.firm[org.int].append(day)
        if moving is None or moving.manager_id != manager_id:
            self.new.append(PlacedVisit(org, manager_id, day, kind, None, request_id))
        else:  # the same visit on another day: its manager and kind stay
            self.kept[moving.visit_id.int] = _placed(moving, day=day, request_id=request_id)

    def cadence_week(
        self, a: AccountRules, target: date, later: timedelta, prev: date | None, firm: list[date]
    ) -> date | None:
        """The day of the regular visit due on `target`, in the week `later` after its own: a
        firm visit counts, else a booked one that may stay, else the route day or the least
        loaded open day (`wanted` = target when not on it). None when that week is full."""
        board, org, manager_id = self.board, a.organization_id, a.manager_id
        spares, movers = self.week_spares, self.week_movers
        here_day = target + later
        week = week_of(here_day)
        if here_day > board.end and later:
            return None
        if firm and firm[0] <= week + DAY * 6:
            return firm[0]
        here = [v for v in spares.get(week, ()) if prev is None or v.day > prev]
        if here:
            chosen = min(here, key=lambda v: (abs((v.day - here_day).days), v.day, v.visit_id.int))
            spares[week].remove(chosen)
            if chosen.day != here_day and board.room(manager_id, here_day, org):
                # Off its route day though that day has room now: back onto it, same visit.
                board.release(manager_id, chosen.day, org)
                board.take(manager_id, here_day, org)
                chosen = replace(chosen, day=here_day)
            self.kept[chosen.visit_id.int] = _placed(chosen)
            return chosen.day
        day = board.balance(manager_id, org, here_day)
        if day is None:
            return None
        board.take(manager_id, day, org)
        wanted = None if day == target else target
        placed = PlacedVisit(org, manager_id, day, VisitKind.CADENCE, wanted=wanted)
        reuse = movers.get(week_of(target)) or movers.get(week)
        if reuse:
            mover = reuse.pop(0)
            self.kept[mover.visit_id.int] = replace(placed, visit_id=mover.visit_id)
        else:
            self.new.append(placed)
        return day

    def place_cadence(self, a: AccountRules) -> None:
        board, org, manager_id = self.board, a.organization_id, a.manager_id
        cadence = a.cadence_days
        assert cadence is not None
        if manager_id not in board.managers:
            self.unplaced.append(Unplaced(org, manager_id, "no_rules"))
            return
        key = org.int
        firm = sorted(self.firm[key]) if key in self.firm else []
        spares: dict[date, list[Booked]] = defaultdict(list)
        for v in self.spare.pop(key, []):
            spares[week_of(v.day)].append(v)
        movers: dict[date, list[Booked]] = defaultdict(list)
        loose = self.loose.get(key, ())
        for v in sorted(loose, key=lambda v: (v.day, v.visit_id.int)) if loose else ():
            kept = v.visit_id.int in self.kept
            if v.kind is VisitKind.CADENCE and v.manager_id == manager_id and not kept:
                movers[week_of(v.day)].append(v)
        prev = max((d for d in (a.last_visit, self.anchor.get(key)) if d is not None), default=None)
        soonest = next_route_day(board.first, a.route_weekday)
        self.week_spares, self.week_movers = spares, movers
        reach, i = max(1, cadence // 14), 0  # reach: later weeks tried, half a cadence
        while True:
            target = route_day(prev + DAY * cadence, a.route_weekday) if prev else soonest
            target = max(target, soonest)
            if prev is not None and target <= prev:
                target = next_route_day(prev + DAY, a.route_weekday)
            if target > board.end:
                break
            while i < len(firm) and prev is not None and firm[i] <= prev:
                i += 1
            for k in range(reach + 1):
                day = self.cadence_week(a, target, DAY * 7 * k, prev, firm[i : i + 1])
                if day is not None:
                    prev = day
                    break
            else:
                self.unplaced.append(Unplaced(org, manager_id, "no_day_in_week", None, target))
                prev = target
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
                    self.board.release(v.manager_id, v.day, v.organization_id)
        regular = [a for a in self.inp.accounts if a.cadence_days]
        for a in sorted(regular, key=lambda a: (a.cadence_days, a.organization_id.int)):
            self.place_cadence(a)
        dropped = sorted(
            {v.visit_id for v in self.movable if v.visit_id.int not in self.kept},
            key=lambda u: u.int,
        )
        placed = sorted(
            [*self.kept.values(), *self.new],
            key=lambda p: (p.manager_id.int, p.day, p.organization_id.int),
        )
        unplaced = sorted(
            self.unplaced,
            key=lambda u: (u.manager_id.int, u.organization_id.int, u.wanted or date.min),
        )
        return Plan(placed=placed, dropped=dropped, unplaced=unplaced)


def plan(inp: PlanInput) -> Plan:
    """The visits of the horizon for every account and open request in `inp` (see above)."""
    return _Planner(inp).run()
