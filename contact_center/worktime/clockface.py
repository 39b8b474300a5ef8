"""Open or closed at an instant, the next opening and closing: a weekly schedule read on the
wall clock of a time zone, with dates closed all day and make-up days open on their own spans.
Pure.

Answers are in UTC because Python compares and subtracts datetimes of one zone by their wall
clocks, which is wrong across a daylight-saving change. When clocks go forward, a wall time in
the skipped hour stands for the first instant after it; when they go back, the repeated hour
is read twice, so a span that covers it is open both times.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from contact_center.worktime.schedule import WEEKDAYS, Schedule, Span

# How far `next_open` and `closes_at` look ahead: a year, plus a week for the weekly pattern.
HORIZON_DAYS = 366 + 7


@dataclass(frozen=True)
class Week:
    """A parsed schedule in its zone, with `closed` dates (nothing open) and `extra` dates open
    on their own spans whatever the weekday (make-up working days). Closed wins over extra."""

    zone: tzinfo
    schedule: Schedule
    closed: Collection[date] = frozenset()
    extra: Mapping[date, tuple[Span, ...]] = field(default_factory=dict)

    def spans(self, day: date) -> tuple[Span, ...]:
        """The opening spans of a site-local date."""
        if day in self.closed:
            return ()
        if day in self.extra:
            return self.extra[day]
        return tuple(self.schedule.get(WEEKDAYS[day.weekday()], ()))


def _open_span(week: Week, local: datetime) -> Span | None:
    """The span open at this wall-clock moment, if any."""
    seconds = local.hour * 3600 + local.minute * 60 + local.second + local.microsecond / 1e6
    for span in week.spans(local.date()):
        if span.start * 60 <= seconds < span.end * 60:
            return span
    return None


def is_open(week: Week, now: datetime) -> bool:
    """Whether the week is open at the instant `now` (aware)."""
    return _open_span(week, now.astimezone(week.zone)) is not None


def instants(wall: datetime, zone: tzinfo) -> list[datetime]:
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


def wall_at(day: date, minutes: int) -> datetime:
    """The naive wall-clock moment `minutes` after the midnight starting `day`."""
    return datetime.combine(day, time()) + timedelta(minutes=minutes)


def next_open(week: Week, now: datetime) -> datetime | None:
    """The first instant (UTC) at or after `now` when the week is open (`now` itself when
    open); None when it opens on no day within a year."""
    local = now.astimezone(week.zone)
    if _open_span(week, local) is not None:
        return now.astimezone(UTC)
    for offset in range(HORIZON_DAYS):
        day = local.date() + timedelta(days=offset)
        for span in week.spans(day):
            for moment in instants(wall_at(day, span.start), week.zone):
                if moment >= now and _open_span(week, moment.astimezone(week.zone)):
                    return moment
    return None


def closes_at(week: Week, now: datetime) -> datetime | None:
    """When (UTC) the opening that `now` falls in ends (spans that meet, as 24:00 and the next
    day's 00:00 do, count as one); None when closed at `now`, or open without a break for a
    year."""
    moment = now.astimezone(UTC)
    limit = now + timedelta(days=HORIZON_DAYS)
    while moment < limit:
        local = moment.astimezone(week.zone)
        span = _open_span(week, local)
        if span is None:
            return None if moment == now else moment
        ends = [m for m in instants(wall_at(local.date(), span.end), week.zone) if m > moment]
        if not ends:  # the end's wall time came round again past the repeated hour
            return None
        moment = ends[0]
    return None


def add_open_time(week: Week, start: datetime, amount: timedelta) -> datetime:
    """The instant (UTC) by which `amount` of open time has passed after `start`. Open time is
    real elapsed time (an opening across a daylight-saving change is an hour shorter or longer
    on the clock). The answer is open, or the very instant an opening ends when the amount
    runs out exactly there. Wall-clock time when the week never opens within a year."""
    moment, left = start.astimezone(UTC), amount
    while left > timedelta(0):
        opened = next_open(week, moment)
        if opened is None:
            return start.astimezone(UTC) + amount
        closes = closes_at(week, opened)
        if closes is None or closes - opened >= left:
            return opened + left
        left -= closes - opened
        moment = closes
    return moment


def open_time_between(week: Week, start: datetime, end: datetime) -> timedelta:
    """The open time from `start` to `end` (negative when `end` is earlier)."""
    if end < start:
        return -open_time_between(week, end, start)
    moment, total = start.astimezone(UTC), timedelta(0)
    while moment < end:
        opened = next_open(week, moment)
        if opened is None or opened >= end:
            break
        closes = closes_at(week, opened)
        stop = end if closes is None or closes > end else closes
        total += stop - opened
        moment = stop
    return total
