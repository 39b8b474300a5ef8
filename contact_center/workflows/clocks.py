"""Clock arithmetic: when a clock is due, warns and fires next, and what pausing, resuming,
meeting and cancelling do to it. Pure: values in, values out, `now` passed in.

A clock allows `target_seconds` of time in its mode (business time on the site's calendar, or
wall time). `used_seconds` is the time spent before the current run; while running, the due
time is `running_since` plus what is left, added on the calendar. Pausing banks the time of the
run, so pausing and resuming never changes the total time allowed, only when it runs out.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from uuid import UUID

from contact_center import worktime
from contact_center.workflows.model import Clock, ClockEvent, ClockKind, ClockMode, ClockState
from contact_center.worktime import BusinessCalendar, Duration

LIVE_STATES = (ClockState.RUNNING, ClockState.PAUSED)


def add_seconds(
    cal: BusinessCalendar, start: datetime, seconds: float, mode: ClockMode
) -> datetime:
    """`start` plus `seconds` of the mode's time (open time on the calendar in business
    mode)."""
    return worktime.add(cal, start, timedelta(seconds=max(0.0, seconds)), mode.value)


def elapsed(cal: BusinessCalendar, start: datetime, end: datetime, mode: ClockMode) -> int:
    """Whole seconds of the mode's time from `start` to `end` (0 if `end` is not later)."""
    if end <= start:
        return 0
    return int(worktime.between(cal, start, end, mode.value).total_seconds())


def start_clock(
    cal: BusinessCalendar,
    *,
    ticket_id: UUID,
    kind: ClockKind,
    duration: Duration,
    mode: ClockMode,
    now: datetime,
    started_from: datetime | None = None,
    step: str | None = None,
    case_id: int | None = None,
    warn_share: float = 0.8,
    escalate_to: str | None = None,
) -> Clock:
    """A running clock (id 0 until stored) allowing `duration` from `started_from` (default
    `now`): a step counted from the case's start has used the time since then already."""
    origin = started_from or now
    due = worktime.add(cal, origin, duration, mode.value)
    target = elapsed(cal, origin, due, mode)
    used = elapsed(cal, origin, now, mode) if origin < now else 0
    clock = Clock(
        id=0,
        ticket_id=ticket_id,
        case_id=case_id,
        kind=kind,
        step=step,
        state=ClockState.RUNNING,
        mode=mode,
        target_seconds=target,
        used_seconds=used,
        started_at=now,
        running_since=now,
        due_at=None,
        warn_at=None,
        warned_at=None,
        breached_at=None,
        ended_at=None,
        escalate_to=escalate_to,
        warn_share=warn_share,
    )
    return _schedule(cal, clock, now)


def _schedule(cal: BusinessCalendar, clock: Clock, now: datetime) -> Clock:
    """Due and warning times of a clock that (re)starts running at `now`."""
    left = clock.target_seconds - clock.used_seconds
    due = add_seconds(cal, now, left, clock.mode) if left > 0 else now
    warn_left = clock.target_seconds * clock.warn_share - clock.used_seconds
    warn = add_seconds(cal, now, warn_left, clock.mode) if warn_left > 0 else now
    return dataclasses.replace(
        clock,
        state=ClockState.RUNNING,
        running_since=now,
        due_at=due,
        warn_at=min(warn, due),
    )


def used_by(cal: BusinessCalendar, clock: Clock, now: datetime) -> int:
    """Seconds of the clock's time used by `now`, the current run included."""
    if clock.state is not ClockState.RUNNING or clock.running_since is None:
        return clock.used_seconds
    return clock.used_seconds + elapsed(cal, clock.running_since, now, clock.mode)


def remaining_seconds(cal: BusinessCalendar, clock: Clock, now: datetime) -> int:
    """Seconds of the clock's time left at `now` (negative when past due)."""
    return clock.target_seconds - used_by(cal, clock, now)


def pause(cal: BusinessCalendar, clock: Clock, now: datetime) -> Clock:
    """Stop counting: the run's time is banked; nothing is due while paused."""
    if clock.state is not ClockState.RUNNING:
        return clock
    return dataclasses.replace(
        clock,
        state=ClockState.PAUSED,
        used_seconds=used_by(cal, clock, now),
        running_since=None,
        due_at=None,
        warn_at=None,
    )


def resume(cal: BusinessCalendar, clock: Clock, now: datetime) -> Clock:
    """Count again from `now`: due once the time left has passed on the calendar."""
    if clock.state is not ClockState.PAUSED:
        return clock
    return _schedule(cal, clock, now)


def stop(cal: BusinessCalendar, clock: Clock, now: datetime, *, met: bool) -> Clock:
    """Met (what it waited for happened) or cancelled (no longer asked for); the due time is
    kept so that a report can tell on time from late."""
    if clock.state not in LIVE_STATES:
        return clock
    return dataclasses.replace(
        clock,
        state=ClockState.MET if met else ClockState.CANCELLED,
        used_seconds=used_by(cal, clock, now),
        running_since=None,
        warn_at=None if clock.warned_at is None else clock.warn_at,
        ended_at=now,
    )


def reopen(cal: BusinessCalendar, clock: Clock, since: datetime) -> Clock:
    """A met clock counting again as if never met: running from `since` (when it was met)
    with the time it had used then, so the time in between counts."""
    if clock.state is not ClockState.MET:
        return clock
    paused = dataclasses.replace(clock, state=ClockState.PAUSED, ended_at=None)
    return _schedule(cal, paused, since)


def retime(cal: BusinessCalendar, clock: Clock, now: datetime, *, old: BusinessCalendar) -> Clock:
    """A running clock after the calendar changed: the run so far counted on the `old`
    calendar (the one in force), what is left placed on `cal` from `now` — a pause and a
    resume at `now`. Other clocks are returned as they are."""
    if clock.state is not ClockState.RUNNING:
        return clock
    return _schedule(cal, pause(old, clock, now), now)


def fire_at(clock: Clock) -> datetime | None:
    """When the timers must next look at the clock: its warning, then its breach; None when
    it is not running or has fired both."""
    if clock.state is not ClockState.RUNNING:
        return None
    if clock.warned_at is None and clock.warn_at is not None:
        return clock.warn_at
    if clock.breached_at is None:
        return clock.due_at
    return None


def due_events(clock: Clock, now: datetime) -> list[ClockEvent]:
    """What fires at `now`, in order: the warning always before the breach (after downtime
    both fire at once, still in that order)."""
    if clock.state is not ClockState.RUNNING:
        return []
    events = []
    if clock.warned_at is None and clock.warn_at is not None and clock.warn_at <= now:
        events.append(ClockEvent.WARNED)
    if clock.breached_at is None and clock.due_at is not None and clock.due_at <= now:
        if clock.warned_at is None and ClockEvent.WARNED not in events:
            events.append(ClockEvent.WARNED)  # a warning is never skipped
        events.append(ClockEvent.BREACHED)
    return events


def fired(clock: Clock, event: ClockEvent, now: datetime) -> Clock:
    """The clock after `event` (warned or breached) fired at `now`."""
    if event is ClockEvent.WARNED:
        return dataclasses.replace(clock, warned_at=clock.warned_at or now)
    if event is ClockEvent.BREACHED:
        return dataclasses.replace(clock, breached_at=clock.breached_at or now)
    raise ValueError(f"{event} does not fire")
