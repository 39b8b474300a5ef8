"""Business hours of a queue: a weekly schedule of opening spans in the site's time zone,
with the site calendar's closed dates (public holidays, closures). Pure: no I/O.

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


def _week(hours: Hours | Schedule, tz: str | tzinfo, closed_dates: Collection[date]) -> Week:
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    return Week(zone, parse_hours(hours), frozenset(closed_dates))


def is_open(
    hours: Hours | Schedule, now: datetime, tz: str | tzinfo, closed_dates: Collection[date] = ()
) -> bool:
    """Whether the schedule is open at the instant `now` (aware), read in the zone `tz`."""
    return clockface.is_open(_week(hours, tz, closed_dates), now)


def next_open(
    hours: Hours | Schedule, now: datetime, tz: str | tzinfo, closed_dates: Collection[date] = ()
) -> datetime | None:
    """The first instant (in UTC) at or after `now` when the schedule is open (`now` itself
    when open); None when it opens on no day within a year."""
    return clockface.next_open(_week(hours, tz, closed_dates), now)


def closes_at(
    hours: Hours | Schedule, now: datetime, tz: str | tzinfo, closed_dates: Collection[date] = ()
) -> datetime | None:
    """When (in UTC) the opening that `now` falls in ends; None when closed at `now`, or open
    without a break for a year."""
    return clockface.closes_at(_week(hours, tz, closed_dates), now)


def add_open_time(
    hours: Hours | Schedule,
    start: datetime,
    amount: timedelta,
    tz: str | tzinfo,
    closed_dates: Collection[date] = (),
) -> datetime:
    """The instant (UTC) by which `amount` of open time has passed after `start`, by the
    schedule and its closed dates: business hours, as a callback's due time counts them."""
    return clockface.add_open_time(_week(hours, tz, closed_dates), start, amount)
