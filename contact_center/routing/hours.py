"""Business hours of a queue: a weekly schedule of opening spans in the site's time zone,
with the site calendar's closed dates (public holidays, closures) and make-up working days.
Pure: no I/O.

A make-up working day (China's weekend workdays, the site's own) opens a queue on the queue's
usual day: the spans of its first weekday that opens, as `worktime` opens the site's calendar
on the site's usual day. A queue open Monday to Friday 08:00-20:00 is open 08:00-20:00 on a
make-up Saturday; a queue open no weekday stays closed. A closed date wins over a make-up day.

The schedule, its JSON form and the reading of wall clocks across daylight-saving changes
live in `worktime` (shared with the site's business calendar); these are the queue-side
signatures callers have used all along.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from contact_center.worktime import clockface
from contact_center.worktime.clockface import HORIZON_DAYS, Week
from contact_center.worktime.schedule import (
    ALWAYS,
    WEEKDAYS,
    Hours,
    Schedule,
    Span,
    hours_json,
    parse_hours,
    spans_from_text,
    spans_text,
)

__all__ = [
    "ALWAYS",
    "HORIZON_DAYS",
    "WEEKDAYS",
    "Hours",
    "Schedule",
    "Span",
    "add_open_time",
    "closes_at",
    "hours_json",
    "is_open",
    "next_open",
    "parse_hours",
    "spans_from_text",
    "spans_text",
]


def _week(
    hours: Hours | Schedule,
    tz: str | tzinfo,
    closed_dates: Collection[date],
    make_up_dates: Collection[date] = (),
) -> Week:
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    schedule = parse_hours(hours)
    usual = next((schedule[day] for day in WEEKDAYS if schedule.get(day)), ())
    extra = dict.fromkeys(make_up_dates, usual)
    return Week(zone, schedule, frozenset(closed_dates), extra)


def is_open(
    hours: Hours | Schedule,
    now: datetime,
    tz: str | tzinfo,
    closed_dates: Collection[date] = (),
    make_up_dates: Collection[date] = (),
) -> bool:
    """Whether the schedule is open at the instant `now` (aware), read in the zone `tz`."""
    return clockface.is_open(_week(hours, tz, closed_dates, make_up_dates), now)


def next_open(
    hours: Hours | Schedule,
    now: datetime,
    tz: str | tzinfo,
    closed_dates: Collection[date] = (),
    make_up_dates: Collection[date] = (),
) -> datetime | None:
    """The first instant (in UTC) at or after `now` when the schedule is open (`now` itself
    when open); None when it opens on no day within a year."""
    return clockface.next_open(_week(hours, tz, closed_dates, make_up_dates), now)


def closes_at(
    hours: Hours | Schedule,
    now: datetime,
    tz: str | tzinfo,
    closed_dates: Collection[date] = (),
    make_up_dates: Collection[date] = (),
) -> datetime | None:
    """When (in UTC) the opening that `now` falls in ends; None when closed at `now`, or open
    without a break for a year."""
    return clockface.closes_at(_week(hours, tz, closed_dates, make_up_dates), now)


def add_open_time(
    hours: Hours | Schedule,
    start: datetime,
    amount: timedelta,
    tz: str | tzinfo,
    closed_dates: Collection[date] = (),
    make_up_dates: Collection[date] = (),
) -> datetime:
    """The instant (UTC) by which `amount` of open time has passed after `start`, by the
    schedule and its closed dates: business hours, as a callback's due time counts them."""
    return clockface.add_open_time(_week(hours, tz, closed_dates, make_up_dates), start, amount)
