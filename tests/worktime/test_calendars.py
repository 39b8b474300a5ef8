"""The calendar built from settings: which of holidays, make-up days and the site's own
closures and working days decides a date, and the day list the preview shows."""

from __future__ import annotations

from datetime import date

from contact_center.worktime import WEEKDAYS, build_calendar, calendar_days, supported_countries

OFFICE = {day: [["09:00", "18:00"]] for day in WEEKDAYS[:5]}


def test_the_sites_working_day_opens_a_public_holiday_and_its_closure_closes_a_make_up_day() -> (
    None
):
    calendar = build_calendar(
        timezone="Asia/Shanghai",
        hours=OFFICE,
        country="CN",
        subdivision=None,
        closures={date(2026, 2, 14): "Office move"},  # a make-up Saturday
        working_days={date(2026, 10, 2): "Launch day"},  # National Day week
        years=[2026],
    )
    assert date(2026, 2, 14) in calendar.closed and date(2026, 2, 14) not in calendar.extra
    assert date(2026, 10, 2) in calendar.extra and date(2026, 10, 2) not in calendar.closed
    assert calendar.labels[date(2026, 2, 14)] == "Office move"
    assert date(2026, 10, 2) not in calendar.holidays


def test_the_preview_marks_holidays_make_up_days_and_closures() -> None:
    calendar = build_calendar(
        timezone="Asia/Shanghai",
        hours=OFFICE,
        country="CN",
        subdivision=None,
        closures={date(2026, 2, 13): "Stocktaking"},
        working_days={},
        years=[2026],
    )
    days = calendar_days(calendar, date(2026, 2, 12), 6)
    assert [d.kind for d in days] == [
        "open",
        "closure",
        "working_day",
        "closed",
        "holiday",
        "holiday",
    ]
    assert days[0].spans_json() == [["09:00", "18:00"]]
    assert days[2].spans_json() == [["09:00", "18:00"]]
    assert days[4].label == "Chinese New Year's Eve"


def test_no_country_means_no_public_holidays() -> None:
    calendar = build_calendar(
        timezone="UTC",
        hours=OFFICE,
        country=None,
        subdivision=None,
        closures={},
        working_days={},
        years=[2026],
    )
    assert calendar.closed == frozenset() and calendar.extra == {}


def test_countries_have_names_and_subdivisions() -> None:
    countries = supported_countries()
    assert countries["CN"].name == "China"
    assert "CA" in countries["US"].subdivisions
