"""Business-time arithmetic: examples people check by hand, and properties over random weekly
schedules, zones with daylight saving, and China's holidays with make-up Saturdays."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from contact_center.errors import Invalid
from contact_center.worktime import (
    WEEKDAYS,
    BusinessCalendar,
    Duration,
    Unit,
    add,
    between,
    build_calendar,
    is_open,
    next_open,
)

SH = ZoneInfo("Asia/Shanghai")
OFFICE = {day: [["09:00", "18:00"]] for day in WEEKDAYS[:5]}


def sh(*args: int) -> datetime:
    return datetime(*args, tzinfo=SH)  # type: ignore[misc,arg-type]


def china(hours: dict[str, list[list[str]]] = OFFICE, **extra: object) -> BusinessCalendar:
    return build_calendar(
        timezone="Asia/Shanghai",
        hours=hours,
        country="CN",
        subdivision=None,
        closures=extra.get("closures", {}),  # type: ignore[arg-type]
        working_days=extra.get("working_days", {}),  # type: ignore[arg-type]
        years=[2025, 2026, 2027],
    )


CN = china()


class TestDuration:
    @pytest.mark.parametrize(
        ("text", "amount", "unit"),
        [("45m", 45, Unit.MINUTES), ("2h", 2, Unit.HOURS), (" 3d ", 3, Unit.WORKING_DAYS)],
    )
    def test_written_forms_parse_and_print_back(self, text: str, amount: int, unit: Unit) -> None:
        duration = Duration.parse(text)
        assert duration == Duration(amount, unit)
        assert Duration.parse(duration.text()) == duration

    @pytest.mark.parametrize("text", ["", "2", "h", "2w", "1.5h", "-2h", "0h", "2 hours", "400d"])
    def test_other_forms_are_refused_naming_the_field(self, text: str) -> None:
        with pytest.raises(Invalid) as refused:
            Duration.parse(text, field="clock_targets.resolution.low")
        assert refused.value.field == "clock_targets.resolution.low"
        assert "clock_targets.resolution.low" in refused.value.message

    def test_hours_and_minutes_add_up_but_not_with_days(self) -> None:
        assert Duration.parse("1h") + Duration.parse("30m") == Duration(90, Unit.MINUTES)
        assert Duration.parse("1d") + Duration.parse("2d") == Duration(3, Unit.WORKING_DAYS)
        with pytest.raises(ValueError, match="working days"):
            Duration.parse("1d") + Duration.parse("1h")


class TestExamples:
    def test_two_working_hours_run_across_the_night(self) -> None:
        assert add(CN, sh(2026, 3, 10, 17, 0), Duration.parse("2h")) == sh(2026, 3, 11, 10, 0)

    def test_two_working_hours_run_across_the_weekend(self) -> None:
        friday = sh(2026, 3, 13, 17, 30)
        assert add(CN, friday, Duration.parse("2h")) == sh(2026, 3, 16, 10, 30)

    def test_two_working_hours_skip_the_national_day_week(self) -> None:
        # National Day 2026: 1-7 October closed; Saturday 10 October is a make-up working day.
        before = sh(2026, 9, 30, 17, 0)
        assert add(CN, before, Duration.parse("2h")) == sh(2026, 10, 8, 10, 0)

    def test_three_working_days_are_the_same_time_three_working_days_on(self) -> None:
        tuesday = sh(2026, 3, 10, 11, 15)
        assert add(CN, tuesday, Duration.parse("3d")) == sh(2026, 3, 13, 11, 15)
        friday = sh(2026, 3, 13, 11, 15)
        assert add(CN, friday, Duration.parse("3d")) == sh(2026, 3, 18, 11, 15)

    def test_working_days_started_out_of_hours_count_from_the_next_opening(self) -> None:
        friday_night = sh(2026, 3, 13, 20, 0)
        assert add(CN, friday_night, Duration.parse("1d")) == sh(2026, 3, 17, 9, 0)

    def test_make_up_saturdays_of_the_spring_festival_are_working_days(self) -> None:
        # 2026: 15-23 February closed; Saturdays 14 and 28 February are worked.
        assert is_open(CN, sh(2026, 2, 14, 10, 0))
        assert not is_open(CN, sh(2026, 2, 17, 10, 0))
        assert next_open(CN, sh(2026, 2, 13, 18, 0)) == sh(2026, 2, 14, 9, 0)
        assert add(CN, sh(2026, 2, 13, 10, 0), Duration.parse("2d")) == sh(2026, 2, 24, 10, 0)
        assert between(CN, sh(2026, 2, 14, 0, 0), sh(2026, 2, 25, 0, 0)) == timedelta(hours=18)

    def test_a_closure_of_the_site_and_its_own_make_up_day(self) -> None:
        calendar = china(
            closures={date(2026, 3, 16): "Stocktaking"},
            working_days={date(2026, 3, 14): "Saturday shift"},
        )
        assert calendar.labels[date(2026, 3, 16)] == "Stocktaking"
        friday = sh(2026, 3, 13, 17, 0)
        assert add(calendar, friday, timedelta(hours=10)) == sh(2026, 3, 14, 18, 0)
        assert add(calendar, friday, timedelta(hours=11)) == sh(2026, 3, 17, 10, 0)

    def test_wall_mode_is_elapsed_time(self) -> None:
        start = sh(2026, 2, 16, 22, 0)  # a holiday, late at night
        assert add(CN, start, Duration.parse("24h"), "wall") == start + timedelta(hours=24)
        assert between(CN, start, start + timedelta(hours=5), "wall") == timedelta(hours=5)

    def test_the_answer_may_be_the_closing_instant(self) -> None:
        assert add(CN, sh(2026, 3, 10, 16, 0), Duration.parse("2h")) == sh(2026, 3, 10, 18, 0)


class TestDaylightSaving:
    def test_berlin_spring_night_is_an_hour_shorter_in_open_time(self) -> None:
        # Clocks go forward on Sunday 29 March 2026 at 02:00; a 24-hour schedule shows it.
        berlin = BusinessCalendar("Europe/Berlin", {d: [["00:00", "24:00"]] for d in WEEKDAYS})
        zone = ZoneInfo("Europe/Berlin")
        start, end = datetime(2026, 3, 29, 0, 0, tzinfo=zone), datetime(2026, 3, 30, tzinfo=zone)
        assert between(berlin, start, end) == timedelta(hours=23)

    def test_berlin_autumn_night_is_an_hour_longer_in_open_time(self) -> None:
        # Clocks go back on Sunday 25 October 2026 at 03:00 (to 02:00).
        berlin = BusinessCalendar("Europe/Berlin", {d: [["00:00", "24:00"]] for d in WEEKDAYS})
        zone = ZoneInfo("Europe/Berlin")
        start = datetime(2026, 10, 25, tzinfo=zone)
        assert between(berlin, start, datetime(2026, 10, 26, tzinfo=zone)) == timedelta(hours=25)
        assert add(berlin, start, timedelta(hours=24)) == datetime(2026, 10, 25, 23, 0, tzinfo=zone)

    def test_new_york_spring_forward_keeps_office_hours_on_the_wall_clock(self) -> None:
        # Clocks go forward on Sunday 8 March 2026; Friday 17:00 EST + 2h is Monday 10:00 EDT.
        ny = BusinessCalendar("America/New_York", OFFICE)
        zone = ZoneInfo("America/New_York")
        friday = datetime(2026, 3, 6, 17, 0, tzinfo=zone)
        assert add(ny, friday, Duration.parse("2h")) == datetime(2026, 3, 9, 10, 0, tzinfo=zone)
        assert add(ny, friday, Duration.parse("3d")) == datetime(2026, 3, 11, 17, 0, tzinfo=zone)

    def test_new_york_office_hours_follow_the_wall_clock(self) -> None:
        ny = BusinessCalendar("America/New_York", OFFICE)
        zone = ZoneInfo("America/New_York")
        friday = datetime(2026, 10, 30, 17, 0, tzinfo=zone)
        due = add(ny, friday, Duration.parse("2h"))
        assert due == datetime(2026, 11, 2, 10, 0, tzinfo=zone)
        assert add(ny, friday, Duration.parse("1d")) == datetime(2026, 11, 2, 17, 0, tzinfo=zone)


ZONES = ["Europe/Berlin", "America/New_York", "Asia/Shanghai", "Australia/Lord_Howe"]
CLOCKS = st.integers(min_value=0, max_value=48).map(lambda half: half * 30)


@st.composite
def calendars(draw: st.DrawFn) -> BusinessCalendar:
    hours: dict[str, list[list[str]]] = {}
    for day in WEEKDAYS:
        marks = sorted(set(draw(st.lists(CLOCKS, max_size=4))))
        pairs = list(zip(marks[::2], marks[1::2], strict=False))
        hours[day] = [
            [f"{a // 60:02d}:{a % 60:02d}", f"{b // 60:02d}:{b % 60:02d}"] for a, b in pairs
        ]
    assume(any(hours.values()))
    closed = draw(st.frozensets(st.dates(date(2026, 1, 1), date(2027, 1, 31)), max_size=20))
    return BusinessCalendar(draw(st.sampled_from(ZONES)), hours, closed=closed)


def cn_calendars() -> st.SearchStrategy[BusinessCalendar]:
    return st.just(CN)


MOMENTS = st.datetimes(
    min_value=datetime(2026, 1, 1),  # noqa: DTZ001
    max_value=datetime(2026, 12, 31),  # noqa: DTZ001
    timezones=st.just(UTC),
)
AMOUNTS = st.integers(min_value=0, max_value=60 * 24 * 14).map(lambda m: timedelta(minutes=m))
ANY_CALENDAR = st.one_of(calendars(), cn_calendars())


@settings(max_examples=150, deadline=None)
@given(ANY_CALENDAR, MOMENTS, AMOUNTS)
def test_adding_then_measuring_gives_the_amount_back(
    calendar: BusinessCalendar, start: datetime, amount: timedelta
) -> None:
    due = add(calendar, start, amount)
    assert between(calendar, start, due) == amount


@settings(max_examples=150, deadline=None)
@given(ANY_CALENDAR, MOMENTS, AMOUNTS.filter(bool))
def test_a_due_time_is_open_or_the_instant_an_opening_ends(
    calendar: BusinessCalendar, start: datetime, amount: timedelta
) -> None:
    due = add(calendar, start, amount)
    assert is_open(calendar, due) or is_open(calendar, due - timedelta(microseconds=1))


@settings(max_examples=150, deadline=None)
@given(ANY_CALENDAR, MOMENTS, AMOUNTS, AMOUNTS)
def test_adding_twice_is_adding_the_sum(
    calendar: BusinessCalendar, start: datetime, first: timedelta, second: timedelta
) -> None:
    once = add(calendar, start, first + second)
    assert add(calendar, add(calendar, start, first), second) == once


@settings(max_examples=100, deadline=None)
@given(ANY_CALENDAR, MOMENTS, AMOUNTS, st.floats(0, 1), AMOUNTS)
def test_a_pause_moves_the_due_time_by_the_open_time_it_took(
    calendar: BusinessCalendar, start: datetime, target: timedelta, share: float, pause: timedelta
) -> None:
    """A clock runs from `start`, pauses part-way, resumes after `pause` of wall time: the
    due time is the target counted from the resumption less what was used before the pause."""
    due = add(calendar, start, target)
    paused = start + (due - start) * share
    used = between(calendar, start, paused)
    resumed = paused + pause
    due_after = add(calendar, resumed, target - used)
    assert between(calendar, start, paused) + between(calendar, resumed, due_after) == target
    if pause == timedelta(0):
        assert due_after == due


WEEKDAY_CALENDARS = st.builds(
    lambda zone, hours: BusinessCalendar(zone, {d: hours for d in WEEKDAYS[:5]}),
    st.sampled_from(ZONES),
    st.sampled_from([[["09:00", "18:00"]], [["08:00", "12:00"], ["13:00", "17:30"]]]),
)


@settings(max_examples=100, deadline=None)
@given(
    st.one_of(WEEKDAY_CALENDARS, cn_calendars()), MOMENTS, st.integers(1, 15), st.integers(1, 15)
)
def test_working_days_compose_and_land_in_open_time(
    calendar: BusinessCalendar, start: datetime, first: int, second: int
) -> None:
    whole = add(calendar, start, Duration(first + second, Unit.WORKING_DAYS))
    stepped = add(
        calendar,
        add(calendar, start, Duration(first, Unit.WORKING_DAYS)),
        Duration(second, Unit.WORKING_DAYS),
    )
    assert stepped == whole
    assert is_open(calendar, whole)
