"""The site's calendar built from its settings: weekly hours, the public holidays of a country
(and subdivision) from the `holidays` package, the site's own closures and make-up working
days. Pure but for the package's look-ups, which are cached per country, subdivision and year.

Precedence on one date: a closure of the site closes it; else a make-up working day of the
site opens it (even on a public holiday); else a public holiday closes it; else a make-up
working day of the country (China's weekend workdays) opens it; else the week decides. A
make-up day opens on the spans of the first weekday that opens (Monday's, usually).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, timedelta
from typing import Any

import holidays as holiday_package
from holidays import registry

from contact_center.i18n import gettext as _
from contact_center.worktime.clockface import Week
from contact_center.worktime.model import BusinessCalendar
from contact_center.worktime.schedule import WEEKDAYS, Span, hours_json, parse_hours


@dataclass(frozen=True)
class Country:
    """A country the holiday calendar knows: its ISO code, English name and subdivisions."""

    code: str
    name: str
    subdivisions: tuple[str, ...]


@functools.cache
def supported_countries() -> dict[str, Country]:
    """Countries (two-letter codes) the `holidays` package knows, by code."""
    names = {entry[1]: entry[0] for entry in registry.COUNTRIES.values()}
    return {
        code: Country(code, re.sub(r"(?<=[a-z])(?=[A-Z])", " ", names.get(code, code)), tuple(subs))
        for code, subs in sorted(holiday_package.list_supported_countries().items())
        if len(code) == 2
    }


@functools.cache
def _country_year(
    country: str, subdivision: str | None, year: int
) -> tuple[dict[date, str], frozenset[date]]:
    """(public holidays, make-up working days) of one country and year, with their names."""
    found = holiday_package.country_holidays(country, subdiv=subdivision, years=year)
    days = {day: str(name) for day, name in found.items() if day.year == year}
    # Only some countries (China) have weekend days that are worked to bridge a holiday.
    workdays: set[date] = getattr(found, "weekend_workdays", None) or set()
    return days, frozenset(day for day in workdays if day.year == year)


def public_days(
    country: str | None, subdivision: str | None, years: Iterable[int]
) -> tuple[dict[date, str], dict[date, str]]:
    """Public holidays and the country's make-up working days over `years`."""
    holidays_found: dict[date, str] = {}
    make_up: dict[date, str] = {}
    if not country:
        return holidays_found, make_up
    for year in sorted(set(years)):
        days, workdays = _country_year(country, subdivision, year)
        holidays_found.update(days)
        make_up.update(dict.fromkeys(workdays, _("Make-up working day")))
    return holidays_found, make_up


def usual_day(hours: Mapping[str, Any]) -> list[list[str]]:
    """The spans a make-up working day opens on: the first weekday that opens."""
    stored = hours_json(hours)
    for day in WEEKDAYS:
        if day in stored:
            return stored[day]
    return []


def build_calendar(
    *,
    timezone: str,
    hours: Mapping[str, Any],
    country: str | None,
    subdivision: str | None,
    closures: Mapping[date, str],
    working_days: Mapping[date, str],
    years: Iterable[int],
) -> BusinessCalendar:
    """The site's BusinessCalendar over `years` (public holidays are looked up for these)."""
    public, country_make_up = public_days(country, subdivision, years)
    labels: dict[date, str] = {}
    closed: set[date] = set()
    extra: dict[date, list[list[str]]] = {}
    spans = usual_day(hours)
    for day, label in country_make_up.items():
        extra[day], labels[day] = spans, label
    for day, label in public.items():
        extra.pop(day, None)
        closed.add(day)
        labels[day] = label
    for day, label in working_days.items():
        closed.discard(day)
        extra[day], labels[day] = spans, label
    for day, label in closures.items():
        extra.pop(day, None)
        closed.add(day)
        labels[day] = label
    holidays_kept = frozenset(day for day in public if day in closed and day not in closures)
    return BusinessCalendar(
        timezone=timezone,
        hours=hours_json(hours),
        closed=frozenset(closed),
        extra=extra,
        labels=labels,
        holidays=holidays_kept,
    )


@dataclass(frozen=True)
class CalendarDay:
    """One site-local date as the calendar preview shows it: its openings, and why it differs
    from the week when it does (kind "holiday", "closure", "working_day"; else "open" or
    "closed" as the week says)."""

    date: date
    kind: str
    spans: tuple[Span, ...]
    label: str | None

    def spans_json(self) -> list[list[str]]:
        return [s.json() for s in self.spans]


def calendar_days(calendar: BusinessCalendar, first: date, days: int) -> list[CalendarDay]:
    """`days` dates from `first`, each with its openings and its kind."""
    week = Week(
        zone=UTC,  # dates only: the zone plays no part
        schedule=parse_hours(calendar.hours),
        closed=calendar.closed,
        extra={day: parse_hours({"mon": s}).get("mon", ()) for day, s in calendar.extra.items()},
    )
    found = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        spans = week.spans(day)
        if day in calendar.holidays:
            kind = "holiday"
        elif day in calendar.closed:
            kind = "closure"
        elif day in calendar.extra:
            kind = "working_day"
        else:
            kind = "open" if spans else "closed"
        found.append(CalendarDay(day, kind, spans, calendar.labels.get(day)))
    return found
