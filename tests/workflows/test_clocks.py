"""Clock arithmetic: due and warning times on the business calendar, pauses that bank time,
and what fires when."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from hypothesis import given, settings
from hypothesis import strategies as st

from contact_center import site, worktime
from contact_center.routing import raised_priority
from contact_center.routing.model import Priority
from contact_center.site import SettingKey
from contact_center.workflows.clocks import (
    due_events,
    elapsed,
    fire_at,
    fired,
    pause,
    remaining_seconds,
    resume,
    start_clock,
    stop,
)
from contact_center.workflows.model import Clock, ClockEvent, ClockKind, ClockMode, ClockState
from contact_center.worktime import Duration

# The default week (Monday to Friday, 09:00-18:00) in UTC, without public holidays.
CAL = worktime.build_calendar(
    timezone="UTC",
    hours=site.DEFAULTS[SettingKey.BUSINESS_HOURS],
    country=None,
    subdivision=None,
    closures={},
    working_days={},
    years=[2026],
)
MONDAY_10 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
FRIDAY_17 = datetime(2026, 3, 6, 17, 0, tzinfo=UTC)


def clock(
    within: str = "4h",
    mode: ClockMode = ClockMode.BUSINESS,
    now: datetime = MONDAY_10,
    **kw: object,
) -> Clock:
    return start_clock(
        CAL,
        ticket_id=uuid4(),
        kind=ClockKind.FIRST_RESPONSE,
        duration=Duration.parse(within),
        mode=mode,
        now=now,
        **kw,  # type: ignore[arg-type]
    )


def test_a_business_clock_is_due_after_its_target_in_open_hours() -> None:
    c = clock("4h")
    assert c.due_at == MONDAY_10 + timedelta(hours=4)
    assert c.warn_at == MONDAY_10 + timedelta(hours=3, minutes=12)  # 80 % of 4 h
    assert c.target_seconds == 4 * 3600
    assert fire_at(c) == c.warn_at


def test_a_business_clock_started_late_on_friday_is_due_on_monday() -> None:
    c = clock("4h", now=FRIDAY_17)
    assert c.due_at == datetime(2026, 3, 9, 12, 0, tzinfo=UTC)


def test_a_wall_clock_counts_the_weekend() -> None:
    c = clock("24h", mode=ClockMode.WALL, now=FRIDAY_17)
    assert c.due_at == FRIDAY_17 + timedelta(hours=24)
    assert c.target_seconds == 24 * 3600


def test_working_days_end_at_the_same_time_of_day() -> None:
    c = clock("3d", now=FRIDAY_17)
    assert c.due_at == datetime(2026, 3, 11, 17, 0, tzinfo=UTC)
    assert c.target_seconds == 27 * 3600  # three working days of nine hours


def test_a_pause_banks_the_time_used_and_resuming_moves_the_due_time() -> None:
    c = pause(CAL, clock("4h"), MONDAY_10 + timedelta(hours=1))
    assert c.state is ClockState.PAUSED
    assert c.used_seconds == 3600
    assert c.due_at is None and fire_at(c) is None
    tuesday_10 = MONDAY_10 + timedelta(days=1)
    assert remaining_seconds(CAL, c, tuesday_10) == 3 * 3600  # paused: nothing runs
    c = resume(CAL, c, tuesday_10)
    assert c.due_at == tuesday_10 + timedelta(hours=3)
    assert remaining_seconds(CAL, c, tuesday_10 + timedelta(hours=1)) == 2 * 3600


def test_a_step_counted_from_the_case_start_has_used_that_time() -> None:
    c = clock("2h", now=MONDAY_10 + timedelta(hours=1), started_from=MONDAY_10)
    assert c.used_seconds == 3600
    assert c.due_at == MONDAY_10 + timedelta(hours=2)


def test_a_met_clock_fires_nothing_and_keeps_its_due_time() -> None:
    c = stop(CAL, clock("1h"), MONDAY_10 + timedelta(minutes=30), met=True)
    assert c.state is ClockState.MET
    assert c.used_seconds == 1800
    assert c.due_at == MONDAY_10 + timedelta(hours=1)
    assert fire_at(c) is None
    assert due_events(c, MONDAY_10 + timedelta(days=3)) == []


def test_after_downtime_the_warning_fires_before_the_breach() -> None:
    c = clock("1h")
    late = MONDAY_10 + timedelta(hours=5)
    assert due_events(c, late) == [ClockEvent.WARNED, ClockEvent.BREACHED]
    c = fired(fired(c, ClockEvent.WARNED, late), ClockEvent.BREACHED, late)
    assert fire_at(c) is None
    assert due_events(c, late) == []


def test_after_the_warning_the_next_fire_time_is_the_due_time() -> None:
    c = clock("1h")
    assert c.warn_at is not None
    assert due_events(c, c.warn_at) == [ClockEvent.WARNED]
    c = fired(c, ClockEvent.WARNED, c.warn_at)
    assert fire_at(c) == c.due_at


def test_a_missed_deadline_raises_the_priority_one_level() -> None:
    assert raised_priority(Priority.LOW) is Priority.NORMAL
    assert raised_priority(Priority.HIGH) is Priority.URGENT
    assert raised_priority(Priority.URGENT) is Priority.URGENT


instants = st.integers(min_value=0, max_value=14 * 24 * 60).map(
    lambda minutes: MONDAY_10 + timedelta(minutes=minutes)
)


@settings(max_examples=60, deadline=None)
@given(
    minutes=st.integers(min_value=1, max_value=3 * 9 * 60),
    gaps=st.lists(st.integers(min_value=1, max_value=3 * 24 * 60), min_size=0, max_size=6),
    start=instants,
)
def test_pausing_and_resuming_never_changes_the_business_time_allowed(
    minutes: int, gaps: list[int], start: datetime
) -> None:
    c = clock(f"{minutes}m", now=start)
    target = c.target_seconds
    assert target == minutes * 60
    now = start
    running_time = 0
    for index, gap in enumerate(gaps):
        later = now + timedelta(minutes=gap)
        if c.state is ClockState.RUNNING:
            running_time += elapsed(CAL, now, later, ClockMode.BUSINESS)
            c = pause(CAL, c, later)
            assert c.used_seconds == running_time
        else:
            c = resume(CAL, c, later)
        now = later
        assert c.target_seconds == target, index
    if c.state is ClockState.PAUSED:
        c = resume(CAL, c, now)
    assert c.due_at is not None and c.running_since is not None
    left = elapsed(CAL, c.running_since, c.due_at, ClockMode.BUSINESS)
    # the business time counted while running, up to the due time, is the target
    assert running_time + left == max(target, running_time)


@settings(max_examples=60, deadline=None)
@given(
    minutes=st.integers(min_value=1, max_value=5 * 9 * 60),
    share=st.floats(min_value=0.05, max_value=1.0),
    start=instants,
    mode=st.sampled_from(list(ClockMode)),
)
def test_a_warning_never_falls_after_the_due_time(
    minutes: int, share: float, start: datetime, mode: ClockMode
) -> None:
    c = clock(f"{minutes}m", mode=mode, now=start, warn_share=share)
    assert c.warn_at is not None and c.due_at is not None
    assert start <= c.warn_at <= c.due_at
    events = due_events(c, c.due_at)
    assert events == [ClockEvent.WARNED, ClockEvent.BREACHED]
