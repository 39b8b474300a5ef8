"""Business hours: a weekly schedule of opening spans in the site's time zone. Pure: no I/O.

A schedule is stored as JSON, `{"mon": [["08:00", "18:00"]], ...}`: a missing or empty day is
closed, `24:00` may end a span, and spans of one day may touch but not overlap. Times are read
on the wall clock of the site's time zone, so a queue open 08:00–18:00 opens at 08:00 local
time on both sides of a daylight-saving change. `closed_dates` (site-local dates) close whole
days; the business calendar's holidays will arrive through it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

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
    return {
        day: [[_clock(s.start), _clock(s.end)] for s in schedule[day]]
        for day in WEEKDAYS
        if day in schedule
    }


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


def _zone(tz: str | tzinfo) -> tzinfo:
    return ZoneInfo(tz) if isinstance(tz, str) else tz


def _open_span(schedule: Schedule, local: datetime, closed: Collection[date]) -> Span | None:
    """The span open at this wall-clock moment, if any."""
    if local.date() in closed:
        return None
    seconds = local.hour * 3600 + local.minute * 60 + local.second + local.microsecond / 1e6
    for span in schedule.get(WEEKDAYS[local.weekday()], ()):
        if span.start * 60 <= seconds < span.end * 60:
            return span
    return None


def is_open(
    hours: Hours | Schedule, now: datetime, tz: str | tzinfo, closed_dates: Collection[date] = ()
) -> bool:
    """Whether the schedule is open at the instant `now` (aware), read in the zone `tz`."""
    zone = _zone(tz)
    return _open_span(parse_hours(hours), now.astimezone(zone), closed_dates) is not None


def _instants(wall: datetime, zone: tzinfo) -> list[datetime]:
    """The instants (UTC) at which the site's clock shows `wall` (naive): one; two in the
    hour repeated when clocks go back; none in the hour skipped when they go forward, where
    the first instant past the skipped time stands in (clocks then show a later time)."""
    found = []
    for fold in (0, 1):
        moment = wall.replace(tzinfo=zone, fold=fold).astimezone(UTC)
        if moment.astimezone(zone).replace(tzinfo=None) == wall and moment not in found:
            found.append(moment)
    if found:
        return sorted(found)
    # In a gap: fold=1 reads the wall time with the offset after the change, giving an
    # instant before it, fold=0 one after it; the change lies between them.
    low = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
    high = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    low, high = min(low, high), max(low, high)
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        if middle.astimezone(zone).replace(tzinfo=None) >= wall:
            high = middle
        else:
            low = middle
    return [high.replace(microsecond=0)]


def _at(day: date, minutes: int) -> datetime:
    return datetime.combine(day, time()) + timedelta(minutes=minutes)


def next_open(
    hours: Hours | Schedule, now: datetime, tz: str | tzinfo, closed_dates: Collection[date] = ()
) -> datetime | None:
    """The first instant (in UTC) at or after `now` when the schedule is open (`now` itself
    when open); None when it opens on no day within a year.

    Answers are in UTC because Python compares and subtracts datetimes of one zone by their
    wall clocks, which is wrong across a daylight-saving change."""
    zone = _zone(tz)
    schedule = parse_hours(hours)
    local = now.astimezone(zone)
    if _open_span(schedule, local, closed_dates) is not None:
        return now.astimezone(UTC)
    for offset in range(HORIZON_DAYS):
        day = local.date() + timedelta(days=offset)
        if day in closed_dates:
            continue
        for span in schedule.get(WEEKDAYS[day.weekday()], ()):
            for moment in _instants(_at(day, span.start), zone):
                if moment >= now and _open_span(schedule, moment.astimezone(zone), closed_dates):
                    return moment
    return None


def closes_at(
    hours: Hours | Schedule, now: datetime, tz: str | tzinfo, closed_dates: Collection[date] = ()
) -> datetime | None:
    """When (in UTC) the opening that `now` falls in ends (spans that meet, as 24:00 and the
    next day's 00:00 do, count as one); None when closed at `now`, or open without a break for
    a year."""
    zone = _zone(tz)
    schedule = parse_hours(hours)
    moment = now.astimezone(UTC)
    limit = now + timedelta(days=HORIZON_DAYS)
    while moment < limit:
        local = moment.astimezone(zone)
        span = _open_span(schedule, local, closed_dates)
        if span is None:
            return None if moment == now else moment
        ends = [m for m in _instants(_at(local.date(), span.end), zone) if m > moment]
        if not ends:  # the end's wall time came round again past the repeated hour
            return None
        moment = ends[0]
    return None


def add_open_time(
    hours: Hours | Schedule,
    start: datetime,
    amount: timedelta,
    tz: str | tzinfo,
    closed_dates: Collection[date] = (),
) -> datetime:
    """The instant (UTC) by which `amount` of open time has passed after `start`, by the
    schedule and its closed dates: business hours, as a callback's due time counts them.
    Open time is real elapsed time (an opening that spans a daylight-saving change is an hour
    shorter or longer on the clock). Wall-clock time when the schedule never opens within a
    year."""
    moment, left = start.astimezone(UTC), amount
    while left > timedelta(0):
        opened = next_open(hours, moment, tz, closed_dates)
        if opened is None:
            return start.astimezone(UTC) + amount
        closes = closes_at(hours, opened, tz, closed_dates)
        if closes is None or closes - opened >= left:
            return opened + left
        left -= closes - opened
        moment = closes
    return moment
