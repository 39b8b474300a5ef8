"""The visit planner's rules, without a database: cadence, route day, capacity, holidays,
leave, balancing, make-up days, requests, idempotent re-planning, determinism, refusals."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace
from datetime import date, time, timedelta
from uuid import UUID

import holidays
from hypothesis import given, settings
from hypothesis import strategies as st

from contact_center.visits.model import (
    AccountRules,
    Booked,
    ManagerRules,
    OpenRequest,
    Plan,
    PlanInput,
    Span,
    VisitKind,
    VisitState,
)
from contact_center.visits.planning import closed_reason, plan, refusal

TODAY = date(2026, 11, 6)  # a Friday: the horizon starts on Saturday 7th
MON = date(2026, 11, 9)
WEEKDAYS = frozenset(range(1, 6))
M1, M2 = UUID(int=1), UUID(int=2)


def org(n: int) -> UUID:
    return UUID(int=1000 + n)


def manager(mid: UUID = M1, capacity: int = 6, **more: object) -> ManagerRules:
    rules = ManagerRules(mid, None, Span(time(8, 30), time(18)), WEEKDAYS, capacity)
    return replace(rules, **more)  # type: ignore[arg-type]


def account(
    n: int, cadence: int | None = 7, weekday: int | None = 3, **more: object
) -> AccountRules:
    rules = AccountRules(org(n), M1, cadence, weekday, Span(time(9), time(17)), 45, None)
    return replace(rules, **more)  # type: ignore[arg-type]


def inp(accounts: list[AccountRules], weeks: int = 4, **more: object) -> PlanInput:
    base = PlanInput(
        today=TODAY,
        horizon_end=TODAY + timedelta(weeks=weeks),
        closed_days=frozenset(),
        working_days=frozenset(),
        managers=[manager()],
        accounts=accounts,
    )
    return replace(base, **more)  # type: ignore[arg-type]


def days_of(result: Plan, n: int) -> list[date]:
    return sorted(p.day for p in result.placed if p.organization_id == org(n))


def booked(result: Plan, state: VisitState = VisitState.PLANNED) -> list[Booked]:
    return [
        Booked(
            p.visit_id or UUID(int=10**6 + i),
            p.organization_id,
            p.manager_id,
            p.day,
            p.kind,
            state,
            False,
            p.request_id,
        )
        for i, p in enumerate(result.placed)
    ]


def changes(result: Plan, before: Plan) -> int:
    """Visits new, dropped or moved (same visit, another day) against `before` booked."""
    was = {b.visit_id: b.day for b in booked(before)}
    moved = sum(1 for p in result.placed if p.visit_id is not None and was.get(p.visit_id) != p.day)
    return moved + sum(p.visit_id is None for p in result.placed) + len(result.dropped)


# ------------------------------------------------------------------ cadence and route day


def test_a_weekly_account_is_visited_every_week_on_its_route_day() -> None:
    result = plan(inp([account(1, 7, 3)]))
    assert days_of(result, 1) == [MON + timedelta(days=2 + 7 * w) for w in range(4)]
    assert all(p.kind is VisitKind.CADENCE and p.wanted is None for p in result.placed)


def test_a_four_weekly_account_counts_from_its_last_visit() -> None:
    last = MON - timedelta(days=12)  # a Thursday, two weeks before: next due in week 3
    result = plan(inp([account(1, 28, 2, last_visit=last)], weeks=8))
    assert days_of(result, 1) == [MON + timedelta(days=15), MON + timedelta(days=43)]


def test_an_account_without_cadence_gets_no_regular_visit() -> None:
    assert plan(inp([account(1, None)])).placed == []


def test_an_overdue_account_is_visited_on_its_next_route_day() -> None:
    result = plan(inp([account(1, 28, 1, last_visit=TODAY - timedelta(days=90))]))
    assert days_of(result, 1)[0] == MON


# ------------------------------------------------------------------ capacity and balancing


def test_a_full_route_day_balances_to_the_least_loaded_day_of_its_week() -> None:
    accounts = [account(n, 7, 3) for n in range(4)] + [account(9, 7, 1)]
    result = plan(inp(accounts, managers=[manager(capacity=3)]))
    week1 = [p for p in result.placed if p.day < MON + timedelta(days=7)]
    loads = Counter(p.day for p in week1)
    assert loads[MON + timedelta(days=2)] == 3
    moved = [p for p in week1 if p.wanted is not None]
    assert len(moved) == 1
    # Tuesday and Thursday are empty and as near; Tuesday comes first.
    assert moved[0].day == MON + timedelta(days=1)
    assert moved[0].wanted == MON + timedelta(days=2)


def test_no_day_is_above_capacity_and_no_account_twice_a_day() -> None:
    rng = random.Random(4)
    accounts = [account(n, rng.choice([7, 28]), rng.randrange(1, 6)) for n in range(60)]
    result = plan(inp(accounts, weeks=8, managers=[manager(capacity=6)]))
    assert max(Counter((p.manager_id, p.day) for p in result.placed).values()) <= 6
    assert len({(p.organization_id, p.day) for p in result.placed}) == len(result.placed)
    # 60 accounts cannot all fit: the rest are reported, not silently left out.
    assert result.unplaced and all(u.reason == "no_day_in_week" for u in result.unplaced)


# ------------------------------------------------------------------ the business calendar


CN = holidays.country_holidays("CN", years=2026)
NATIONAL_DAY = frozenset(d for d in CN if date(2026, 9, 20) <= d <= date(2026, 10, 10))
MAKE_UP = frozenset(CN.weekend_workdays)  # type: ignore[attr-defined]


def test_no_visit_on_chinese_public_holidays_and_make_up_saturday_is_used() -> None:
    today = date(2026, 9, 25)  # Mid-Autumn Festival, then National Day week
    plan_in = inp(
        [account(n, 7, 2) for n in range(3)],
        today=today,
        horizon_end=date(2026, 10, 16),
        closed_days=NATIONAL_DAY,
        working_days=MAKE_UP,
        managers=[manager(capacity=2)],
    )
    result = plan(plan_in)
    assert not [p for p in result.placed if p.day in NATIONAL_DAY]
    # The week of 5 October is closed Monday to Wednesday: its Tuesday visits go to Thursday
    # and Friday, and the third to the make-up Saturday (10 October) before Thursday again.
    week = [p for p in result.placed if date(2026, 10, 5) <= p.day <= date(2026, 10, 11)]
    assert sorted(p.day.day for p in week) == [8, 9, 10]
    assert all(p.wanted == date(2026, 10, 6) for p in week)


def test_a_week_with_no_open_day_moves_the_visit_to_the_next_week() -> None:
    closed = frozenset(MON + timedelta(days=i) for i in range(5))
    result = plan(inp([account(1, 7, 3)], closed_days=closed))
    wed = MON + timedelta(days=2)
    assert wed not in days_of(result, 1) and not result.unplaced
    late = [p for p in result.placed if p.wanted is not None]
    assert [(p.day, p.wanted) for p in late] == [(wed + timedelta(days=7), wed)]


def test_weeks_with_no_open_day_beyond_reach_report_the_visit_unplaced() -> None:
    closed = frozenset(MON + timedelta(days=i) for i in range(12))  # two weeks closed
    result = plan(inp([account(1, 7, 3)], closed_days=closed))
    assert [(u.reason, u.wanted) for u in result.unplaced] == [
        ("no_day_in_week", MON + timedelta(days=2))
    ]
    assert days_of(result, 1)[0] == MON + timedelta(days=16)


def test_a_full_week_delays_a_four_weekly_visit_by_a_week_not_a_cadence() -> None:
    # Due on Tuesday of the third week, which is all leave: the week after, not 4 weeks on.
    last = MON - timedelta(days=13)
    leave = frozenset(MON + timedelta(days=14 + i) for i in range(5))
    result = plan(
        inp([account(1, 28, 2, last_visit=last)], weeks=8, managers=[manager(leave=leave)])
    )
    due = MON + timedelta(days=15)
    assert days_of(result, 1)[0] == due + timedelta(days=7)
    assert result.placed[0].wanted == due
    assert not result.unplaced


def test_leave_days_are_kept_free() -> None:
    leave = frozenset({MON + timedelta(days=2), MON + timedelta(days=9)})
    result = plan(inp([account(1, 7, 3), account(2, 7, 3)], managers=[manager(leave=leave)]))
    assert not [p for p in result.placed if p.day in leave]
    assert len(result.placed) == 8 and not result.unplaced


# ------------------------------------------------------------------ requests


def _working_days_after(start: date, n: int, closed: frozenset[date]) -> date:
    day = start
    while n:
        day += timedelta(days=1)
        if day.isoweekday() <= 5 and day not in closed:
            n -= 1
    return day


def test_a_follow_up_is_placed_within_three_working_days() -> None:
    due = _working_days_after(TODAY, 3, frozenset())
    request = OpenRequest(UUID(int=77), org(5), M1, TODAY, due)
    full = [  # Monday is full with confirmed visits
        Booked(UUID(int=700 + n), org(n), M1, MON, VisitKind.CADENCE, VisitState.CONFIRMED)
        for n in range(6)
    ]
    result = plan(inp([account(5, None)], requests=[request], booked=full))
    placed = [p for p in result.placed if p.request_id == request.request_id]
    assert len(placed) == 1 and placed[0].kind is VisitKind.REQUESTED
    assert placed[0].day == MON + timedelta(days=1)  # the earliest day with room
    assert placed[0].day <= due


def test_a_follow_up_rides_on_the_accounts_planned_visit_in_time() -> None:
    first = plan(inp([account(1, 7, 2)]))
    request = OpenRequest(UUID(int=77), org(1), M1, TODAY, MON + timedelta(days=3))
    again = plan(inp([account(1, 7, 2)], requests=[request], booked=booked(first)))
    carrier = [p for p in again.placed if p.request_id == request.request_id]
    assert len(carrier) == 1 and carrier[0].kind is VisitKind.CADENCE
    assert carrier[0].visit_id is not None and carrier[0].day == MON + timedelta(days=1)
    assert changes(again, first) == 0
    # Planned: the request leaves the open list; a confirmed visit later that week does not
    # take the carrier's place (it holds the request).
    thursday = Booked(
        UUID(int=88), org(1), M1, MON + timedelta(days=3), VisitKind.REQUESTED, VisitState.CONFIRMED
    )
    later = plan(inp([account(1, 7, 2)], booked=[*booked(again), thursday]))
    assert carrier[0].visit_id in {p.visit_id for p in later.placed if p.request_id}
    assert not later.dropped


def test_a_visit_carrying_a_request_stays_once_the_request_is_planned() -> None:
    # A follow-up visit in the week of the route day counts as that week's visit; planning
    # again after the request left the open list keeps both as they are.
    request = OpenRequest(UUID(int=77), org(1), M1, TODAY, MON)
    first = plan(inp([account(1, 7, 4)], requests=[request]))
    carrier = [p for p in first.placed if p.request_id == request.request_id]
    assert [p.day for p in carrier] == [MON]
    assert days_of(first, 1)[:2] == [MON, MON + timedelta(days=10)]
    again = plan(inp([account(1, 7, 4)], booked=booked(first)))
    assert changes(again, first) == 0


def test_a_follow_up_with_no_day_in_time_is_reported() -> None:
    closed = frozenset(MON + timedelta(days=i) for i in range(3))
    request = OpenRequest(UUID(int=77), org(1), M1, TODAY, MON + timedelta(days=2))
    result = plan(inp([account(1, None)], requests=[request], closed_days=closed))
    assert [(u.reason, u.request_id) for u in result.unplaced] == [("no_day_in_time", UUID(int=77))]


# ------------------------------------------------------------------ re-planning


def test_booked_confirmed_and_pinned_visits_stay_even_on_a_full_or_leave_day() -> None:
    wed = MON + timedelta(days=2)
    confirmed = Booked(UUID(int=501), org(1), M1, wed, VisitKind.CADENCE, VisitState.CONFIRMED)
    pinned = Booked(UUID(int=502), org(2), M1, wed, VisitKind.CADENCE, VisitState.PLANNED, True)
    rules = manager(capacity=1, leave=frozenset({wed}))
    result = plan(inp([account(1), account(2)], managers=[rules], booked=[confirmed, pinned]))
    kept = {p.visit_id: p.day for p in result.placed if p.visit_id}
    assert kept == {UUID(int=501): wed, UUID(int=502): wed}
    assert not result.dropped


def test_a_regular_visit_cancelled_by_hand_is_not_planned_again_that_week() -> None:
    """The customer asked not to be visited this week: the manager cancels, and the plan does
    not put a new visit on the same week; the next week's visit stays."""
    wed = MON + timedelta(days=2)
    first = plan(inp([account(1)]))
    assert wed in days_of(first, 1)
    cancelled = [
        replace(b, state=VisitState.CANCELLED) if b.day == wed else b for b in booked(first)
    ]
    again = plan(inp([account(1)], booked=cancelled))
    assert wed not in days_of(again, 1)
    assert days_of(again, 1) == [d for d in days_of(first, 1) if d != wed]
    assert not again.dropped


def test_plan_book_plan_again_changes_nothing() -> None:
    rng = random.Random(11)
    accounts = [account(n, rng.choice([7, 28]), rng.randrange(1, 6)) for n in range(40)]
    first = plan(inp(accounts, weeks=8, managers=[manager(capacity=5)]))
    again = plan(inp(accounts, weeks=8, managers=[manager(capacity=5)], booked=booked(first)))
    assert changes(again, first) == 0
    assert {(p.visit_id, p.day) for p in again.placed} == {
        (b.visit_id, b.day) for b in booked(first)
    }


def test_one_change_changes_only_that_accounts_visits() -> None:
    rng = random.Random(12)
    accounts = [account(n, rng.choice([7, 28]), rng.randrange(1, 6)) for n in range(30)]
    first = plan(inp(accounts, weeks=8, managers=[manager(capacity=12)]))
    moved = [replace(a, route_weekday=5) if a.organization_id == org(3) else a for a in accounts]
    again = plan(inp(moved, weeks=8, managers=[manager(capacity=12)], booked=booked(first)))
    before = {b.visit_id: b.day for b in booked(first)}
    touched = {p.organization_id for p in again.placed if before.get(p.visit_id) != p.day}
    dropped = {b.organization_id for b in booked(first) if b.visit_id in set(again.dropped)}
    assert touched | dropped == {org(3)}
    assert all(p.day.isoweekday() == 5 for p in again.placed if p.organization_id == org(3))


def test_an_account_leaving_the_plan_drops_only_its_planned_visits() -> None:
    first = plan(inp([account(1), account(2)]))
    done = [
        replace(b, state=VisitState.CONFIRMED) if i == 0 else b for i, b in enumerate(booked(first))
    ]
    again = plan(inp([account(2)], booked=done))
    dropped_orgs = {b.organization_id for b in done if b.visit_id in set(again.dropped)}
    assert dropped_orgs == {org(1)}
    assert done[0].visit_id in {p.visit_id for p in again.placed}  # confirmed: kept
    assert len(again.dropped) == 3


def test_new_leave_moves_the_visit_in_its_week_and_keeps_its_id() -> None:
    first = plan(inp([account(1, 7, 3)]))
    leave = frozenset({MON + timedelta(days=2)})
    again = plan(inp([account(1, 7, 3)], managers=[manager(leave=leave)], booked=booked(first)))
    assert changes(again, first) == 1  # the one visit moved, counted as a change
    assert not again.dropped and all(p.visit_id for p in again.placed)
    moved = [p for p in again.placed if p.wanted]
    assert [(p.day, p.wanted) for p in moved] == [
        (MON + timedelta(days=1), MON + timedelta(days=2))
    ]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from([7, 14, 28, None]), st.integers(1, 7) | st.none()),
        min_size=1,
        max_size=25,
    ),
    st.integers(1, 6),
    st.randoms(use_true_random=False),
)
def test_replanning_is_idempotent_and_order_does_not_matter(
    specs: list[tuple[int | None, int | None]], capacity: int, rng: random.Random
) -> None:
    accounts = [
        account(n, c, w, last_visit=TODAY - timedelta(days=rng.randrange(0, 30)))
        for n, (c, w) in enumerate(specs)
    ]
    closed = frozenset(TODAY + timedelta(days=rng.randrange(1, 28)) for _ in range(3))
    requests = [
        OpenRequest(UUID(int=9000 + n), org(n), M1, TODAY, TODAY + timedelta(days=5))
        for n in range(0, len(specs), 4)
    ]
    base = inp(
        accounts, managers=[manager(capacity=capacity)], closed_days=closed, requests=requests
    )
    first = plan(base)
    shuffled = list(accounts)
    rng.shuffle(shuffled)
    assert plan(replace(base, accounts=shuffled, requests=requests[::-1])) == first
    for p in first.placed:
        assert closed_reason(base, base.managers[0], p.day) is None
        assert TODAY < p.day <= base.horizon_end
    assert max(Counter(p.day for p in first.placed).values(), default=0) <= capacity
    assert len({(p.organization_id, p.day) for p in first.placed}) == len(first.placed)
    for r in requests:  # each request on a visit in its days, or reported
        on = [p.day for p in first.placed if p.request_id == r.request_id]
        reported = [u for u in first.unplaced if u.request_id == r.request_id]
        assert (len(on), len(reported)) in ((1, 0), (0, 1))
        assert all(r.earliest <= d <= r.due_by for d in on)
    again = plan(replace(base, booked=booked(first)))
    assert changes(again, first) == 0


# ------------------------------------------------------------------ refusals


def test_refusal_names_each_rule() -> None:
    wed = MON + timedelta(days=2)
    full = [
        Booked(UUID(int=600 + n), org(n), M1, wed, VisitKind.CADENCE, VisitState.PLANNED)
        for n in range(2)
    ]
    rules = manager(capacity=2, leave=frozenset({MON + timedelta(days=3)}))
    plan_in = inp([], managers=[rules], booked=full, closed_days=frozenset({MON}))
    assert refusal(plan_in, org(9), M1, TODAY - timedelta(days=1)) == "past"
    assert refusal(plan_in, org(9), M1, TODAY + timedelta(weeks=5)) == "beyond_horizon"
    assert refusal(plan_in, org(9), M1, MON) == "closed_day"
    assert refusal(plan_in, org(9), M1, MON + timedelta(days=3)) == "on_leave"
    assert refusal(plan_in, org(9), M1, MON + timedelta(days=5)) == "not_working_day"
    assert refusal(plan_in, org(9), M1, wed) == "day_full"
    assert refusal(plan_in, org(1), M1, wed) == "account_has_visit"
    assert refusal(plan_in, org(1), M1, wed, visit_id=UUID(int=601)) is None
    assert refusal(plan_in, org(9), M1, MON + timedelta(days=1)) is None
    assert refusal(plan_in, org(9), M2, MON + timedelta(days=1)) == "not_working_day"


def test_a_visit_carrying_a_request_may_not_move_past_its_due_day() -> None:
    plan_in = inp([])
    tue, thu = MON + timedelta(days=1), MON + timedelta(days=3)
    assert refusal(plan_in, org(1), M1, thu, due_by=tue) == "request_due"
    assert refusal(plan_in, org(1), M1, tue, due_by=tue) is None
    assert refusal(plan_in, org(1), M1, thu) is None


def test_a_make_up_saturday_is_a_working_day_for_moves() -> None:
    saturday = MON + timedelta(days=5)
    plan_in = inp([], working_days=frozenset({saturday}))
    assert refusal(plan_in, org(1), M1, saturday) is None


def test_a_new_account_manager_gets_new_visits_and_the_old_ones_are_dropped() -> None:
    first = plan(inp([account(1, 7, 3)], managers=[manager(M1), manager(M2)]))
    moved = [account(1, 7, 3, manager_id=M2)]
    again = plan(inp(moved, managers=[manager(M1), manager(M2)], booked=booked(first)))
    assert set(again.dropped) == {p.visit_id for p in booked(first)}
    assert all(p.manager_id == M2 and p.visit_id is None for p in again.placed)
    assert [p.day for p in again.placed] == [p.day for p in first.placed]
