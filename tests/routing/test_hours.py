"""Business hours: parsing a weekly schedule, open or closed at an instant, next opening and
closing, on both sides of daylight-saving changes. No database."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contact_center.errors import Invalid
from contact_center.routing.hours import (
    ALWAYS,
    WEEKDAYS,
    add_open_time,
    closes_at,
    hours_json,
    is_open,
    next_open,
    parse_hours,
    spans_from_text,
    spans_text,
)

NY = ZoneInfo("America/New_York")
OFFICE = {day: [["08:00", "18:00"]] for day in WEEKDAYS[:5]}


def ny(*args: int, fold: int = 0) -> datetime:
    return datetime(*args, tzinfo=NY, fold=fold)  # type: ignore[misc]


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


class TestParse:
    def test_spans_are_sorted_and_closed_days_left_out(self) -> None:
        raw = {
            "tue": [["13:00", "18:00"], ["08:00", "12:00"]],
            "mon": [],
            "sun": [["10:00", "24:00"]],
        }
        assert hours_json(raw) == {
            "tue": [["08:00", "12:00"], ["13:00", "18:00"]],
            "sun": [["10:00", "24:00"]],
        }

    def test_spans_may_touch(self) -> None:
        assert hours_json({"mon": [["08:00", "12:00"], ["12:00", "18:00"]]})["mon"] == [
            ["08:00", "12:00"],
            ["12:00", "18:00"],
        ]

    @pytest.mark.parametrize(
        ("raw", "says"),
        [
            ({"mon": [["18:00", "08:00"]]}, "mon: 18:00–08:00 ends before it starts"),
            ({"mon": [["08:00", "08:00"]]}, "ends before it starts"),
            (
                {"fri": [["08:00", "12:00"], ["11:00", "13:00"]]},
                "fri: 08:00–12:00 overlaps 11:00–13:00",
            ),
            ({"mon": [["08:00", "24:30"]]}, "past 24:00"),
            ({"mon": [["8:00", "18:00"]]}, "'8:00' is not a time written HH:MM"),
            ({"mon": [["08:00", "25:00"]]}, "is not a time"),
            ({"mon": [["08:00"]]}, "each span is a pair"),
            ({"mon": "08:00-18:00"}, "a list of spans"),
            ({"monday": []}, "'monday' is not a weekday"),
            ([["08:00", "18:00"]], "hours must be an object"),
            ({"mon": [[8, 18]]}, "is not a time"),
        ],
    )
    def test_bad_schedules_are_refused_naming_the_problem(self, raw: object, says: str) -> None:
        with pytest.raises(Invalid) as refused:
            parse_hours(raw)
        assert says in refused.value.message
        assert refused.value.field == "hours"

    def test_form_text_round_trips(self) -> None:
        spans = spans_from_text(" 8:00-12:00; 13:00 – 18:00 ,", "mon")
        assert spans == [["08:00", "12:00"], ["13:00", "18:00"]]
        assert spans_text({"mon": spans}, "mon") == "08:00-12:00, 13:00-18:00"
        assert spans_text({"mon": spans}, "tue") == ""

    def test_form_text_that_is_no_span_is_refused(self) -> None:
        with pytest.raises(Invalid, match="tue: '08:00' is not a span"):
            spans_from_text("08:00", "tue")


class TestOpen:
    def test_open_inside_a_span_and_closed_at_its_end(self) -> None:
        monday = ny(2026, 6, 1, 8, 0)
        assert is_open(OFFICE, monday, NY)
        assert is_open(OFFICE, ny(2026, 6, 1, 17, 59, 59), NY)
        assert not is_open(OFFICE, ny(2026, 6, 1, 18, 0), NY)
        assert not is_open(OFFICE, ny(2026, 6, 1, 7, 59), NY)
        assert not is_open(OFFICE, ny(2026, 6, 6, 12, 0), NY)  # Saturday

    def test_read_in_the_site_zone_whatever_zone_now_is_given_in(self) -> None:
        # 13:00 UTC on a Monday in June is 09:00 in New York: open there, not in Tokyo (22:00).
        assert is_open(OFFICE, utc(2026, 6, 1, 13, 0), "America/New_York")
        assert not is_open(OFFICE, utc(2026, 6, 1, 13, 0), "Asia/Tokyo")

    def test_a_closed_date_closes_the_whole_day(self) -> None:
        assert not is_open(OFFICE, ny(2026, 6, 1, 9, 0), NY, closed_dates={date(2026, 6, 1)})
        assert is_open(OFFICE, ny(2026, 6, 2, 9, 0), NY, closed_dates={date(2026, 6, 1)})

    def test_always_open(self) -> None:
        assert is_open(ALWAYS, ny(2026, 12, 25, 3, 0), NY)


class TestNextOpen:
    def test_open_now_is_now(self) -> None:
        now = ny(2026, 6, 1, 9, 0)
        assert next_open(OFFICE, now, NY) == now

    def test_after_friday_closing_it_is_monday_morning(self) -> None:
        assert next_open(OFFICE, ny(2026, 6, 5, 18, 0), NY) == ny(2026, 6, 8, 8, 0)

    def test_closed_dates_are_skipped(self) -> None:
        holidays = {date(2026, 6, 8), date(2026, 6, 9)}
        assert next_open(OFFICE, ny(2026, 6, 5, 19, 0), NY, holidays) == ny(2026, 6, 10, 8, 0)

    def test_never_open(self) -> None:
        assert next_open({}, ny(2026, 6, 1, 9, 0), NY) is None

    def test_answers_are_in_utc(self) -> None:
        found = next_open(OFFICE, utc(2026, 6, 6, 0, 0), NY)
        assert found == utc(2026, 6, 8, 12, 0)
        assert found is not None and found.tzinfo is UTC


class TestClosesAt:
    def test_the_end_of_todays_span(self) -> None:
        assert closes_at(OFFICE, ny(2026, 6, 1, 9, 0), NY) == ny(2026, 6, 1, 18, 0)

    def test_closed_now(self) -> None:
        assert closes_at(OFFICE, ny(2026, 6, 1, 19, 0), NY) is None

    def test_spans_that_meet_across_midnight_are_one_opening(self) -> None:
        late = {"fri": [["20:00", "24:00"]], "sat": [["00:00", "02:00"], ["02:00", "03:00"]]}
        assert closes_at(late, ny(2026, 6, 5, 23, 0), NY) == ny(2026, 6, 6, 3, 0)

    def test_open_around_the_clock_never_closes(self) -> None:
        assert closes_at(ALWAYS, ny(2026, 6, 1, 9, 0), NY) is None

    def test_a_closed_date_ends_an_all_day_opening(self) -> None:
        closes = closes_at(ALWAYS, ny(2026, 6, 1, 9, 0), NY, {date(2026, 6, 3)})
        assert closes == ny(2026, 6, 3, 0, 0)


class TestDaylightSaving:
    """New York, 2026: clocks go forward on Sunday 8 March at 02:00 (to 03:00) and back on
    Sunday 1 November at 02:00 (to 01:00)."""

    def test_opening_hours_follow_the_wall_clock_across_the_change(self) -> None:
        # 08:00 on Friday 6 March is 13:00 UTC; on Monday 9 March it is 12:00 UTC.
        assert next_open(OFFICE, ny(2026, 3, 6, 19, 0), NY) == utc(2026, 3, 9, 12, 0)
        assert is_open(OFFICE, utc(2026, 3, 9, 12, 0), NY)
        assert not is_open(OFFICE, utc(2026, 3, 6, 12, 30), NY)

    def test_an_opening_in_the_skipped_hour_opens_when_the_clocks_jump(self) -> None:
        night = {"sun": [["02:30", "04:00"]]}
        assert next_open(night, ny(2026, 3, 7, 12, 0), NY) == utc(2026, 3, 8, 7, 0)  # 03:00 EDT

    def test_a_span_inside_the_skipped_hour_does_not_open_that_day(self) -> None:
        night = {"sun": [["02:00", "02:30"]]}
        assert next_open(night, ny(2026, 3, 7, 12, 0), NY) == ny(2026, 3, 15, 2, 0)

    def test_a_span_across_the_jump_is_an_hour_shorter(self) -> None:
        night = {"sun": [["01:00", "05:00"]]}
        closes = closes_at(night, ny(2026, 3, 8, 1, 30), NY)
        assert closes == utc(2026, 3, 8, 9, 0)  # 05:00 EDT, three and a half hours later

    def test_a_span_across_the_fall_back_is_an_hour_longer(self) -> None:
        night = {"sun": [["00:00", "03:00"]]}
        start = ny(2026, 11, 1, 0, 0)
        closes = closes_at(night, start, NY)
        assert closes == utc(2026, 11, 1, 8, 0)  # 03:00 EST
        assert closes is not None and closes - start == timedelta(hours=4)

    def test_the_repeated_hour_is_open_both_times(self) -> None:
        night = {"sun": [["01:00", "01:30"]]}
        assert is_open(night, ny(2026, 11, 1, 1, 15, fold=0), NY)
        assert is_open(night, ny(2026, 11, 1, 1, 15, fold=1), NY)
        # Closed at 01:40 daylight time, it opens again when the clocks show 01:00 once more.
        assert next_open(night, ny(2026, 11, 1, 1, 40, fold=0), NY) == utc(2026, 11, 1, 6, 0)
        assert closes_at(night, ny(2026, 11, 1, 1, 15, fold=1), NY) == utc(2026, 11, 1, 6, 30)


ZONES = ["America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Asia/Shanghai", "UTC"]
CLOCKS = st.integers(min_value=0, max_value=48).map(lambda half: half * 30)


@st.composite
def schedules(draw: st.DrawFn) -> dict[str, list[list[str]]]:
    hours: dict[str, list[list[str]]] = {}
    for day in WEEKDAYS:
        marks = sorted(set(draw(st.lists(CLOCKS, max_size=4))))
        pairs = list(zip(marks[::2], marks[1::2], strict=False))
        hours[day] = [
            [f"{a // 60:02d}:{a % 60:02d}", f"{b // 60:02d}:{b % 60:02d}"] for a, b in pairs
        ]
    return hours


# Hypothesis takes naive bounds and attaches the zone itself.
MOMENTS = st.datetimes(
    min_value=datetime(2026, 1, 1),  # noqa: DTZ001
    max_value=datetime(2027, 12, 31),  # noqa: DTZ001
    timezones=st.just(UTC),
)


@settings(max_examples=300, deadline=None)
@given(schedules(), MOMENTS, st.sampled_from(ZONES))
def test_next_open_is_open_and_the_moment_before_it_is_not(
    hours: dict[str, list[list[str]]], now: datetime, zone: str
) -> None:
    found = next_open(hours, now, zone)
    if found is None:
        assert not any(hours.values())
        return
    assert found >= now
    assert is_open(hours, found, zone)
    if found > now:
        assert not is_open(hours, found - timedelta(seconds=1), zone)


@settings(max_examples=300, deadline=None)
@given(schedules(), MOMENTS, st.sampled_from(ZONES))
def test_closes_at_is_closed_and_the_moment_before_it_is_open(
    hours: dict[str, list[list[str]]], now: datetime, zone: str
) -> None:
    found = closes_at(hours, now, zone)
    if not is_open(hours, now, zone):
        assert found is None
        return
    if found is None:
        return
    assert found > now
    assert not is_open(hours, found, zone)
    assert is_open(hours, found - timedelta(seconds=1), zone)


OFFICE = {day: [["08:00", "18:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}


def test_open_time_follows_the_site_time_zone() -> None:
    # 09:00 in Shanghai is 01:00 UTC: one hour later is 10:00 local.
    start = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)
    due = add_open_time(OFFICE, start, timedelta(hours=1), "Asia/Shanghai")
    assert due == datetime(2026, 12, 7, 2, 0, tzinfo=UTC)


def test_open_time_carries_over_to_the_next_opening_and_skips_closed_dates() -> None:
    friday_afternoon = datetime(2026, 12, 4, 16, 0, tzinfo=UTC)
    # Two hours on Friday, two more from Monday's opening...
    assert add_open_time(OFFICE, friday_afternoon, timedelta(hours=4), "UTC") == datetime(
        2026, 12, 7, 10, 0, tzinfo=UTC
    )
    # ...or Tuesday's when Monday is a holiday.
    holiday = {date(2026, 12, 7)}
    assert add_open_time(OFFICE, friday_afternoon, timedelta(hours=4), "UTC", holiday) == datetime(
        2026, 12, 8, 10, 0, tzinfo=UTC
    )


def test_open_time_is_elapsed_time_across_daylight_saving_changes() -> None:
    # New York's clocks go back at 02:00 on 1 November 2026: four hours from midnight EDT
    # (04:00 UTC) end at 03:00 EST, 08:00 UTC, not at 04:00 on the clock.
    midnight = datetime(2026, 11, 1, 4, 0, tzinfo=UTC)
    assert add_open_time(ALWAYS, midnight, timedelta(hours=4), NY) == datetime(
        2026, 11, 1, 8, 0, tzinfo=UTC
    )
    # They go forward at 02:00 on 8 March: Sunday's 00:00-06:00 holds five hours, so the
    # sixth is Monday's first, from 09:00 EDT (13:00 UTC).
    hours = {"sun": [["00:00", "06:00"]], "mon": [["09:00", "17:00"]]}
    sunday = datetime(2026, 3, 8, 5, 0, tzinfo=UTC)
    assert add_open_time(hours, sunday, timedelta(hours=6), "America/New_York") == datetime(
        2026, 3, 9, 14, 0, tzinfo=UTC
    )


def test_a_schedule_without_open_time_counts_wall_clock_time() -> None:
    start = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)
    assert add_open_time({}, start, timedelta(hours=4), "UTC") == start + timedelta(hours=4)


def test_a_make_up_day_opens_on_the_queues_first_open_weekday() -> None:
    saturday = date(2026, 6, 6)
    hours = {"tue": [["10:00", "12:00"]], "wed": [["08:00", "20:00"]]}
    assert not is_open(hours, ny(2026, 6, 6, 11, 0), NY)
    assert is_open(hours, ny(2026, 6, 6, 11, 0), NY, make_up_dates={saturday})
    assert not is_open(hours, ny(2026, 6, 6, 13, 0), NY, make_up_dates={saturday})
    # A closed date wins; a queue open no weekday stays closed.
    both = {"closed_dates": {saturday}, "make_up_dates": {saturday}}
    assert not is_open(hours, ny(2026, 6, 6, 11, 0), NY, **both)
    assert not is_open({}, ny(2026, 6, 6, 11, 0), NY, make_up_dates={saturday})
