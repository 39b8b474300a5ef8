"""A weekly schedule of opening spans, as people write it and the JSON stores it. Pure.

A schedule is stored as JSON, `{"mon": [["08:00", "18:00"]], ...}`: a missing or empty day is
closed, `24:00` may end a span, and spans of one day may touch but not overlap. Times are read
on the wall clock of the site's time zone (see worktime.clockface).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from contact_center.errors import Invalid

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_MINUTES = 24 * 60
# How far `next_open` and `closes_at` look ahead: a year, plus a week for the weekly pattern.
HORIZON_DAYS = 366 + 7
TIME_RE = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)$")
ALWAYS = {day: [["00:00", "24:00"]] for day in WEEKDAYS}


@dataclass(frozen=True, order=True)
class Span:
    """Open from `start` to `end`, in minutes after the day's midnight (end ≤ 1440)."""

    start: int
    end: int

    def text(self) -> str:
        return f"{_clock(self.start)}–{_clock(self.end)}"

    def json(self) -> list[str]:
        """The stored form: ["08:00", "20:00"]."""
        return [_clock(self.start), _clock(self.end)]


Schedule = Mapping[str, tuple[Span, ...]]
Hours = Mapping[str, Any]  # the stored JSON form; every function here also takes a Schedule


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _minutes(raw: Any, day: str) -> int:
    # Spaces around are forgiven: a JSON schema's `$` lets a final newline through too.
    match = TIME_RE.fullmatch(raw.strip()) if isinstance(raw, str) else None
    if match is None:
        raise Invalid(f"{day}: {raw!r} is not a time written HH:MM (00:00 to 24:00)", field="hours")
    minutes = int(match[1]) * 60 + int(match[2])
    if minutes > DAY_MINUTES:
        raise Invalid(f"{day}: {raw} is past 24:00", field="hours")
    return minutes


def _span(raw: Any, day: str) -> Span:
    if not isinstance(raw, Sequence) or isinstance(raw, str) or len(raw) != 2:
        raise Invalid(f'{day}: each span is a pair ["HH:MM", "HH:MM"]', field="hours")
    span = Span(_minutes(raw[0], day), _minutes(raw[1], day))
    if span.end <= span.start:
        raise Invalid(
            f"{day}: {raw[0]}–{raw[1]} ends before it starts (a span past midnight is "
            f"split: until 24:00, then from 00:00 the next day)",
            field="hours",
        )
    return span


def _is_schedule(raw: Any) -> bool:
    """Already parsed: every day a tuple of Spans (the JSON form holds lists of strings)."""
    return isinstance(raw, Mapping) and all(
        isinstance(spans, tuple) and all(isinstance(s, Span) for s in spans)
        for spans in raw.values()
    )


def parse_hours(raw: Any) -> dict[str, tuple[Span, ...]]:
    """The schedule in `raw` (the JSON form) with each day's spans in order; Invalid (field
    `hours`) names the day and the span that is wrong."""
    if _is_schedule(raw):
        return dict(raw)
    if not isinstance(raw, Mapping):
        raise Invalid(
            'hours must be an object of weekdays: {"mon": [["08:00", "18:00"]]}', field="hours"
        )
    schedule: dict[str, tuple[Span, ...]] = {}
    for day, spans in raw.items():
        if day not in WEEKDAYS:
            raise Invalid(f"{day!r} is not a weekday; use {', '.join(WEEKDAYS)}", field="hours")
        if not isinstance(spans, Sequence) or isinstance(spans, str):
            raise Invalid(f"{day}: a list of spans is expected", field="hours")
        ordered = sorted(_span(s, day) for s in spans)
        for before, after in itertools.pairwise(ordered):
            if after.start < before.end:
                raise Invalid(f"{day}: {before.text()} overlaps {after.text()}", field="hours")
        if ordered:
            schedule[day] = tuple(ordered)
    return schedule


def hours_json(hours: Hours | Schedule) -> dict[str, list[list[str]]]:
    """The stored form of a schedule: weekdays in order, spans sorted, closed days left out."""
    schedule = parse_hours(hours)
    return {day: [s.json() for s in schedule[day]] for day in WEEKDAYS if day in schedule}


def spans_from_text(text: str, day: str) -> list[list[str]]:
    """One day's spans as a person types them, `08:00-12:00, 13:00-18:00` (dashes or en
    dashes, commas or semicolons), in the JSON form; checked when the schedule is parsed."""
    spans = []
    for part in re.split(r"[,;]", text):
        part = part.strip()
        if not part:
            continue
        bounds = [b.strip() for b in re.split(r"[-–—~]", part)]
        if len(bounds) != 2:
            raise Invalid(f"{day}: {part!r} is not a span like 08:00-18:00", field="hours")
        spans.append([_padded(b) for b in bounds])
    return spans


def _padded(clock: str) -> str:
    """`8:00` → `08:00`, so the forms people type pass; anything else is left to the check."""
    return "0" + clock if re.fullmatch(r"\d:\d\d", clock) else clock


def spans_text(hours: Hours | Schedule, day: str) -> str:
    """One day's spans for a form field: `08:00-12:00, 13:00-18:00` (empty: closed)."""
    return ", ".join(f"{_clock(s.start)}-{_clock(s.end)}" for s in parse_hours(hours).get(day, ()))
