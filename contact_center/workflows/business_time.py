"""Temporary stand-in for `worktime` (business-time arithmetic) and the `site` settings the
clocks read, with the same signatures, until those land; then this module goes. Pure apart
from the two async readers at the end, which read nothing yet and return the defaults."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from contact_center.workflows.model import ClockMode
from contact_center.worktime import BusinessCalendar, Duration, Unit

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_HOURS: dict[str, Any] = {day: [["09:00", "18:00"]] for day in DAYS[:5]}
DEFAULT_TARGETS: dict[str, dict[str, str]] = {
    "first_response": {"urgent": "30m", "high": "1h", "normal": "4h", "low": "1d"},
    "next_update": {"urgent": "1h", "high": "2h", "normal": "4h", "low": "1d"},
    "resolution": {"urgent": "4h", "high": "1d", "normal": "3d", "low": "5d"},
}
_TEXT = re.compile(r"^\s*(\d+)\s*([mhd])\s*$")
_HORIZON_DAYS = 800


def parse(text: str) -> Duration:
    found = _TEXT.match(text)
    if found is None:
        raise ValueError(f"not a duration: {text!r}")
    return Duration(int(found.group(1)), Unit(found.group(2)))


def _spans(cal: BusinessCalendar, day: date) -> list[tuple[datetime, datetime]]:
    if day in cal.closed:
        return []
    raw = cal.extra.get(day) if day in cal.extra else cal.hours.get(DAYS[day.weekday()], [])
    if not isinstance(raw, list):
        raw = [["09:00", "18:00"]]
    zone = ZoneInfo(cal.timezone)
    spans = []
    for start, end in raw:
        opens = datetime.combine(day, time.fromisoformat(start), zone).astimezone(UTC)
        closes = datetime.combine(day, time.fromisoformat(end), zone).astimezone(UTC)
        spans.append((opens, closes))
    return spans


def _local_day(cal: BusinessCalendar, at: datetime) -> date:
    return at.astimezone(ZoneInfo(cal.timezone)).date()


def next_open(cal: BusinessCalendar, at: datetime) -> datetime:
    day = _local_day(cal, at) - timedelta(days=1)
    for offset in range(_HORIZON_DAYS):
        for opens, closes in _spans(cal, day + timedelta(days=offset)):
            if closes > at:
                return max(opens, at)
    return at


def add(
    cal: BusinessCalendar, start: datetime, duration: Duration, mode: ClockMode | str
) -> datetime:
    if duration.unit is Unit.WORKING_DAYS:
        return _add_days(cal, start, duration.amount, ClockMode(mode))
    left = timedelta(minutes=duration.amount * (60 if duration.unit is Unit.HOURS else 1))
    if ClockMode(mode) is ClockMode.WALL:
        return start + left
    day = _local_day(cal, start) - timedelta(days=1)
    for offset in range(_HORIZON_DAYS):
        for opens, closes in _spans(cal, day + timedelta(days=offset)):
            begin = max(opens, start)
            if closes <= begin:
                continue
            if begin + left <= closes:
                return begin + left
            left -= closes - begin
    return start + left


def _add_days(cal: BusinessCalendar, start: datetime, days: int, mode: ClockMode) -> datetime:
    if mode is ClockMode.WALL:
        return start + timedelta(days=days)
    zone = ZoneInfo(cal.timezone)
    opened = next_open(cal, start).astimezone(zone)
    day, found = opened.date(), 0
    for _ in range(_HORIZON_DAYS):
        day += timedelta(days=1)
        if _spans(cal, day):
            found += 1
            if found == days:
                break
    return datetime.combine(day, opened.time(), zone).astimezone(UTC)


def between(cal: BusinessCalendar, start: datetime, end: datetime) -> timedelta:
    total = timedelta(0)
    if end <= start:
        return total
    day, last = _local_day(cal, start) - timedelta(days=1), _local_day(cal, end)
    while day <= last:
        for opens, closes in _spans(cal, day):
            low, high = max(opens, start), min(closes, end)
            if high > low:
                total += high - low
        day += timedelta(days=1)
    return total


def default_calendar(timezone: str = "UTC") -> BusinessCalendar:
    return BusinessCalendar(timezone=timezone, hours=DEFAULT_HOURS)


async def business_calendar(conn: object, *, around: datetime) -> BusinessCalendar:
    """site.business_calendar's stand-in: the default week in UTC."""
    return default_calendar()


async def clock_targets(conn: object) -> dict[str, dict[str, str]]:
    """site.load(conn).clock_targets' stand-in: the default targets."""
    return DEFAULT_TARGETS
