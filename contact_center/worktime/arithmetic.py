"""Business-time arithmetic over a BusinessCalendar: add a duration, measure the open time
between two instants, open or closed at an instant. Pure.

Semantics (docs/architecture.md, "Business time"):
- minutes and hours are open time: real elapsed time while the calendar is open;
- "3d" is three working days: the same site-local time of day on the third working day after
  the start, a start in closed time counting from the next opening; a working day is a date
  with any opening. When that time of day is not open on the day reached, the day's next
  opening stands in, or its last closing when none is left;
- an answer is open, or exactly the instant an opening ends (the amount ran out there);
- wall mode is plain elapsed time, a day being 24 hours.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from contact_center.worktime import clockface
from contact_center.worktime.clockface import HORIZON_DAYS, Week
from contact_center.worktime.model import BusinessCalendar, Duration, Unit
from contact_center.worktime.schedule import Span, parse_hours

Mode = Literal["business", "wall"]  # the values of workflows' ClockMode (a StrEnum) fit


def week_of(calendar: BusinessCalendar) -> Week:
    """The calendar parsed for the clock face (Invalid when its hours are malformed)."""
    extra: dict[date, tuple[Span, ...]] = {
        day: parse_hours({"mon": spans}).get("mon", ()) for day, spans in calendar.extra.items()
    }
    return Week(ZoneInfo(calendar.timezone), parse_hours(calendar.hours), calendar.closed, extra)


def is_open(calendar: BusinessCalendar, at: datetime) -> bool:
    """Whether the site is open at the instant `at`."""
    return clockface.is_open(week_of(calendar), at)


def next_open(calendar: BusinessCalendar, at: datetime) -> datetime | None:
    """The first instant (UTC) at or after `at` when the site is open; None when it opens on
    no day within a year."""
    return clockface.next_open(week_of(calendar), at)


def closes_at(calendar: BusinessCalendar, at: datetime) -> datetime | None:
    """When (UTC) the opening `at` falls in ends; None when closed at `at`."""
    return clockface.closes_at(week_of(calendar), at)


def add(
    calendar: BusinessCalendar,
    start: datetime,
    duration: Duration | timedelta,
    mode: Mode | str = "business",
) -> datetime:
    """The instant (UTC) `duration` after `start`: open time in business mode, working days
    for "d"; elapsed time in wall mode. A zero duration gives `start` back."""
    if str(mode) == "wall":
        span = duration.timedelta if isinstance(duration, Duration) else duration
        return start.astimezone(UTC) + span
    week = week_of(calendar)
    if isinstance(duration, Duration) and duration.unit is Unit.WORKING_DAYS:
        return _add_working_days(week, start, duration.amount)
    amount = duration.timedelta if isinstance(duration, Duration) else duration
    return clockface.add_open_time(week, start, amount)


def between(
    calendar: BusinessCalendar, start: datetime, end: datetime, mode: Mode | str = "business"
) -> timedelta:
    """The open time from `start` to `end` (negative when `end` is earlier); elapsed time in
    wall mode."""
    if str(mode) == "wall":
        return end - start
    return clockface.open_time_between(week_of(calendar), start, end)


def working_day(calendar: BusinessCalendar, day: date) -> bool:
    """Whether a site-local date has any opening."""
    return bool(week_of(calendar).spans(day))


def _add_working_days(week: Week, start: datetime, days: int) -> datetime:
    if days <= 0:
        return start.astimezone(UTC)
    opened = clockface.next_open(week, start)
    if opened is None:
        return start.astimezone(UTC) + timedelta(days=days)
    local = opened.astimezone(week.zone)
    day, counted = local.date(), 0
    for _ in range(HORIZON_DAYS * 2):
        day += timedelta(days=1)
        counted += bool(week.spans(day))
        if counted == days:
            break
    else:
        return start.astimezone(UTC) + timedelta(days=days)
    wall = datetime.combine(day, local.time().replace(tzinfo=None))
    moment = clockface.instants(wall, week.zone)[0]
    if clockface.is_open(week, moment):
        return moment
    later = clockface.next_open(week, moment)
    if later is not None and later.astimezone(week.zone).date() == day:
        return later
    # Past the day's last opening: the day's close is the latest it can be.
    last = week.spans(day)[-1]
    return clockface.instants(clockface.wall_at(day, last.end), week.zone)[-1]
