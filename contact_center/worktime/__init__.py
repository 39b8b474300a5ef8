"""Business time: the site's calendar (weekly hours, public holidays, closures, make-up working
days) and deadline arithmetic over it. Pure apart from `holidays` look-ups, which are cached."""

from contact_center.worktime import arithmetic
from contact_center.worktime.arithmetic import add, between, closes_at, is_open, next_open
from contact_center.worktime.calendars import (
    CalendarDay,
    Country,
    build_calendar,
    calendar_days,
    supported_countries,
)
from contact_center.worktime.model import BusinessCalendar, Duration, Unit
from contact_center.worktime.schedule import (
    ALWAYS,
    WEEKDAYS,
    Span,
    hours_json,
    parse_hours,
    spans_from_text,
    spans_text,
)

__all__ = [
    "ALWAYS",
    "WEEKDAYS",
    "BusinessCalendar",
    "CalendarDay",
    "Country",
    "Duration",
    "Span",
    "Unit",
    "add",
    "arithmetic",
    "between",
    "build_calendar",
    "calendar_days",
    "closes_at",
    "hours_json",
    "is_open",
    "next_open",
    "parse_hours",
    "spans_from_text",
    "spans_text",
    "supported_countries",
]
