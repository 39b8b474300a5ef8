"""Ticket clocks: started, paused, resumed, met and cancelled as the ticket lives, inside the
caller's transaction (the ticket hooks and the cases call these).

Every change writes the clock event log and publishes `clock.updated`; a change that may set
a sooner timer wakes the timers on commit. The first-response clock's due time is copied to
`tickets.due_at`, which the inbox's "overdue" filter reads.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any
from uuid import UUID

from contact_center import live, site, tickets
from contact_center.db import Conn
from contact_center.live import Event
from contact_center.site import SettingKey
from contact_center.tickets.model import Status, Ticket
from contact_center.workflows import clock_store, clocks
from contact_center.workflows.model import (
    Clock,
    ClockEvent,
    ClockKind,
    ClockMode,
    ClockState,
    StepDeadline,
)
from contact_center.worktime import BusinessCalendar, Duration

TICKET_KINDS = (ClockKind.FIRST_RESPONSE, ClockKind.RESOLUTION)
CLOSED = (Status.RESOLVED, Status.CLOSED)

Change = tuple[Clock, ClockEvent]  # the clock after the change, and what happened


async def calendar(conn: Conn, now: datetime) -> BusinessCalendar:
    return await site.business_calendar(conn, around=now)


async def _targets(conn: Conn) -> Any:
    return (await site.load(conn)).clock_targets


async def start_ticket_clocks(conn: Conn, ticket: Ticket, *, now: datetime) -> None:
    """First response (unless answered already) and resolution clocks for a ticket, by its
    priority."""
    cal = await calendar(conn, now)
    targets = await _targets(conn)
    changes = []
    for kind in TICKET_KINDS:
        if kind is ClockKind.FIRST_RESPONSE and ticket.first_response_at is not None:
            continue
        clock = await _start(conn, cal, ticket, kind, targets, now=now)
        changes.append((clock, ClockEvent.STARTED))
    await _record(conn, changes, now=now)


async def customer_wrote(
    conn: Conn, ticket: Ticket, *, previous_status: Status, now: datetime
) -> None:
    """Resume paused clocks; a resolved or closed ticket gets a new resolution clock; after a
    first response, the next-update clock starts."""
    live_clocks = await clock_store.list_live_clocks(conn, ticket.id)
    kinds = {c.kind for c in live_clocks}
    wanted = []
    if previous_status in CLOSED and ClockKind.RESOLUTION not in kinds:
        wanted.append(ClockKind.RESOLUTION)
    if ticket.first_response_at is not None and ClockKind.NEXT_UPDATE not in kinds:
        wanted.append(ClockKind.NEXT_UPDATE)
    if previous_status is not Status.PENDING and not wanted:
        return  # most messages: nothing paused to resume, nothing to start
    cal = await calendar(conn, now)
    changes = _resumed(cal, live_clocks, now) if previous_status is Status.PENDING else []
    targets = await _targets(conn)
    for kind in wanted:
        changes.append(
            (await _start(conn, cal, ticket, kind, targets, now=now), ClockEvent.STARTED)
        )
    await _record(conn, changes, now=now)


async def agent_replied(conn: Conn, ticket: Ticket, *, now: datetime) -> None:
    """Meet the first-response and next-update clocks."""
    cal = await calendar(conn, now)
    answered = (ClockKind.FIRST_RESPONSE, ClockKind.NEXT_UPDATE)
    changes = [
        (clocks.stop(cal, clock, now, met=True), ClockEvent.MET)
        for clock in await clock_store.list_live_clocks(conn, ticket.id)
        if clock.kind in answered
    ]
    await _record(conn, changes, now=now)


async def reply_undone(conn: Conn, ticket: Ticket, *, replied_at: datetime, now: datetime) -> None:
    """An agent's reply taken back before it left: the first-response and next-update clocks
    it met count again, from when they were met (the customer still waits), unless one of
    their kind runs already; paused if the ticket waits on the customer."""
    cal = await calendar(conn, now)
    answered = (ClockKind.FIRST_RESPONSE, ClockKind.NEXT_UPDATE)
    live_kinds = {c.kind for c in await clock_store.list_live_clocks(conn, ticket.id)}
    changes: list[Change] = []
    for clock in await clock_store.list_met_at(conn, ticket.id, replied_at, answered):
        if clock.kind in live_kinds:
            continue
        restored = clocks.reopen(cal, clock, replied_at)
        changes.append((restored, ClockEvent.RESUMED))
        if ticket.status is Status.PENDING:
            changes.append((clocks.pause(cal, restored, now), ClockEvent.PAUSED))
    await _record(conn, changes, now=now)


async def ticket_changed(conn: Conn, before: Ticket, after: Ticket, *, now: datetime) -> None:
    """Pending pauses every running clock, back from pending resumes them, resolved meets
    resolution, closed cancels what still runs, reopened starts a new resolution clock."""
    if before.status is after.status:
        return
    cal = await calendar(conn, now)
    live_clocks = await clock_store.list_live_clocks(conn, after.id)
    changes: list[Change] = []
    if after.status is Status.PENDING:
        changes = [
            (clocks.pause(cal, c, now), ClockEvent.PAUSED)
            for c in live_clocks
            if c.state is ClockState.RUNNING
        ]
    elif after.status is Status.CLOSED:
        changes = [(clocks.stop(cal, c, now, met=False), ClockEvent.CANCELLED) for c in live_clocks]
    else:
        if before.status is Status.PENDING:
            changes = _resumed(cal, live_clocks, now)
        if after.status is Status.RESOLVED:
            current = {c.id: c for c in live_clocks} | {c.id: c for c, _ in changes}
            changes += [
                (clocks.stop(cal, c, now, met=True), ClockEvent.MET)
                for c in current.values()
                if c.kind is ClockKind.RESOLUTION
            ]
        elif before.status in CLOSED and all(
            c.kind is not ClockKind.RESOLUTION for c in live_clocks
        ):
            targets = await _targets(conn)
            clock = await _start(conn, cal, after, ClockKind.RESOLUTION, targets, now=now)
            changes.append((clock, ClockEvent.STARTED))
    await _record(conn, changes, now=now)


async def start_step_clock(
    conn: Conn,
    *,
    ticket_id: UUID,
    case_id: int,
    step: str,
    deadline: StepDeadline,
    started_from: datetime,
    warn_share: float,
    escalate_to: str | None,
    now: datetime,
) -> Clock:
    """A workflow step's deadline, counted from `started_from` (entering the step, or the
    case's start); paused at once if the ticket waits on the customer. A live clock of the
    same step is cancelled first (a step entered again)."""
    cal = await calendar(conn, now)
    changes: list[Change] = [
        (clocks.stop(cal, c, now, met=False), ClockEvent.CANCELLED)
        for c in await clock_store.list_live_clocks(conn, ticket_id)
        if c.kind is ClockKind.STEP and c.step == step
    ]
    await _record(conn, changes, now=now)
    clock = clocks.start_clock(
        cal,
        ticket_id=ticket_id,
        kind=ClockKind.STEP,
        step=step,
        case_id=case_id,
        duration=Duration.parse(deadline.within, field="within"),
        mode=ClockMode(deadline.mode),
        now=now,
        started_from=min(started_from, now),
        warn_share=warn_share,
        escalate_to=escalate_to,
    )
    clock = await _insert(conn, clock)
    started: list[Change] = [(clock, ClockEvent.STARTED)]
    ticket = await tickets.load_ticket_in(conn, ticket_id)
    if ticket.status is Status.PENDING:
        clock = clocks.pause(cal, clock, now)
        started.append((clock, ClockEvent.PAUSED))
    await _record(conn, started, now=now)
    return clock


async def stop_step_clocks(
    conn: Conn, *, case_id: int, now: datetime, cancelled: bool = False
) -> None:
    """The case left its step: its step clocks are met (or cancelled)."""
    cal = await calendar(conn, now)
    event = ClockEvent.CANCELLED if cancelled else ClockEvent.MET
    changes = [
        (clocks.stop(cal, c, now, met=not cancelled), event)
        for c in await clock_store.list_case_clocks(conn, case_id)
    ]
    await _record(conn, changes, now=now)


async def cancel_case_clocks(conn: Conn, *, case_id: int, now: datetime) -> None:
    """The case was withdrawn: its step clocks are cancelled."""
    await stop_step_clocks(conn, case_id=case_id, now=now, cancelled=True)


def _resumed(cal: BusinessCalendar, live_clocks: list[Clock], now: datetime) -> list[Change]:
    return [
        (clocks.resume(cal, c, now), ClockEvent.RESUMED)
        for c in live_clocks
        if c.state is ClockState.PAUSED
    ]


async def _start(
    conn: Conn,
    cal: BusinessCalendar,
    ticket: Ticket,
    kind: ClockKind,
    targets: Any,
    *,
    now: datetime,
) -> Clock:
    text = targets.get(kind.value, {}).get(ticket.priority.value)
    text = text or site.DEFAULTS[SettingKey.CLOCK_TARGETS][kind.value][ticket.priority.value]
    clock = clocks.start_clock(
        cal,
        ticket_id=ticket.id,
        kind=kind,
        duration=Duration.parse(text),
        mode=ClockMode.BUSINESS,
        now=now,
    )
    if ticket.status is Status.PENDING:
        clock = clocks.pause(cal, clock, now)
    return await _insert(conn, clock)


async def _insert(conn: Conn, clock: Clock) -> Clock:
    clock_id = await clock_store.insert_clock(conn, clock, fire_at=clocks.fire_at(clock))
    return dataclasses.replace(clock, id=clock_id)


async def record_changes(
    conn: Conn, changes: list[Change], *, now: datetime, reason: str | None = None
) -> None:
    """Write the changed clocks, their events (with `reason` in their detail) and
    announcements; wake the timers if a clock may now fire sooner; keep the ticket's
    first-response due time."""
    await _record(conn, changes, now=now, reason=reason)


async def _record(
    conn: Conn, changes: list[Change], *, now: datetime, reason: str | None = None
) -> None:
    if not changes:
        return
    latest = {c.id: c for c, _ in changes}  # a clock changed twice (resumed, then met)
    await clock_store.save_clocks(conn, [(c, clocks.fire_at(c)) for c in latest.values()])
    extra = {"reason": reason} if reason else {}
    await clock_store.insert_events(conn, [(c, e, now, _detail(c, e) | extra) for c, e in changes])
    await live.publish_many(
        conn,
        [
            (
                Event.CLOCK_UPDATED,
                {
                    "ticket_id": c.ticket_id,
                    "clock_id": c.id,
                    "kind": c.kind,
                    "step": c.step,
                    "event": e,
                },
            )
            for c, e in changes
        ],
    )
    if any(e in (ClockEvent.STARTED, ClockEvent.RESUMED) for _, e in changes):
        await clock_store.wake_timers(conn)
    for clock, event in changes:
        if clock.kind is ClockKind.FIRST_RESPONSE and event is not ClockEvent.MET:
            await tickets.set_response_due(conn, clock.ticket_id, clock.due_at)


def _detail(clock: Clock, event: ClockEvent) -> dict[str, Any]:
    if event in (ClockEvent.STARTED, ClockEvent.RESUMED) and clock.due_at is not None:
        return {"due_at": clock.due_at.isoformat(), "used_seconds": clock.used_seconds}
    if event in (ClockEvent.PAUSED, ClockEvent.MET, ClockEvent.CANCELLED):
        return {"used_seconds": clock.used_seconds}
    return {}
