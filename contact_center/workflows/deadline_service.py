"""Firing clocks: warnings to the ticket's owner, breaches escalated. Each batch claims its
clocks with SKIP LOCKED and fires in one transaction; the event log's unique index decides
what fires, so any number of scanners, restarts and the safety-net job fire each warning and
breach exactly once.

A breach escalates: `deadline.breached` tells the supervisors, the ticket's priority goes up
one level (routing requeues it), and an internal note on the ticket says which deadline was
missed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from contact_center import audit, i18n, live, site, tickets
from contact_center.audit import Actor
from contact_center.db import Conn, Pool, transaction
from contact_center.db.pool import connection_lost
from contact_center.i18n import gettext as _
from contact_center.live import Event
from contact_center.routing.model import Priority
from contact_center.tickets.model import Status
from contact_center.timeutil import site_time_text
from contact_center.workflows import clock_store, clocks, store, transitions, versions
from contact_center.workflows.labels import clock_label, raised_priority
from contact_center.workflows.model import Clock, ClockEvent, ClockKind

log = logging.getLogger(__name__)
ACTOR = Actor.system("deadlines")
# Clocks per firing transaction: small enough that a batch of escalations commits well within
# a second (each breach updates its ticket), so firings become visible soon after they are due.
BATCH = 50
DEFAULT_ESCALATE_TO = "supervisors"


@dataclass(frozen=True)
class Fired:
    claimed: int = 0
    warned: int = 0
    breached: int = 0


async def fire_due(pool: Pool, *, now: datetime, limit: int = BATCH) -> Fired:
    """Fire what is due at `now` among up to `limit` claimed clocks, in one transaction.

    Escalations run straight in the batch's transaction; if one fails, the batch is rolled
    back and fired again with each escalation in a savepoint, so one bad ticket is logged and
    skipped while its breach and the rest of the batch are kept."""
    try:
        result = await _fire_batch(pool, now=now, limit=limit, careful=False)
    except Exception as exc:
        if connection_lost(exc):
            raise
        log.warning("deadline batch failed (%s); firing it again one escalation at a time", exc)
        result = await _fire_batch(pool, now=now, limit=limit, careful=True)
    if result.warned or result.breached:
        log.info(
            "deadlines fired: %d claimed, %d warned, %d breached",
            result.claimed,
            result.warned,
            result.breached,
        )
    return result


async def _fire_batch(pool: Pool, *, now: datetime, limit: int, careful: bool) -> Fired:
    async with transaction(pool) as conn:
        claimed = await clock_store.claim_due_clocks(conn, now=now, limit=limit)
        if not claimed:
            return Fired()
        wanted = []
        marks = []
        for clock, _ticket in claimed:
            events = clocks.due_events(clock, now)
            after = clock
            for event in events:
                after = clocks.fired(after, event, now)
                wanted.append((clock, event, now, {"due_at": _iso(clock.due_at)}))
            marks.append(
                (
                    clock.id,
                    ClockEvent.WARNED in events,
                    ClockEvent.BREACHED in events,
                    clocks.fire_at(after),
                )
            )
        # The unique index decides what fires: a warning or breach already recorded (by a
        # scanner whose claim this one could not see) is left out here.
        written = await clock_store.insert_events(conn, wanted)
        await clock_store.mark_fired(conn, marks, now=now)
        fired = [
            (c, e, t)
            for c, t in claimed
            for e in (ClockEvent.WARNED, ClockEvent.BREACHED)
            if (c.id, e) in written
        ]
        await _announce(conn, fired, now=now)
        priorities = {c.ticket_id: Priority(t["priority"]) for c, t in claimed}
        for clock, event, ticket in fired:
            if event is ClockEvent.BREACHED:
                escalate = _escalate_carefully if careful else _escalate
                priorities[clock.ticket_id] = await escalate(
                    conn, clock, priorities[clock.ticket_id], Status(ticket["status"]), now=now
                )
    return Fired(
        claimed=len(claimed),
        warned=sum(1 for _, e, _ in fired if e is ClockEvent.WARNED),
        breached=sum(1 for _, e, _ in fired if e is ClockEvent.BREACHED),
    )


async def scan_deadlines(pool: Pool, *, now: datetime) -> Fired:
    """Fire everything due at `now`, batch after batch (the safety-net job, and a start after
    downtime)."""
    total = Fired()
    while True:
        fired = await fire_due(pool, now=now)
        total = Fired(
            total.claimed + fired.claimed,
            total.warned + fired.warned,
            total.breached + fired.breached,
        )
        if fired.claimed < BATCH:
            return total


async def next_fire_at(pool: Pool) -> datetime | None:
    """The soonest fire time of any clock (None: nothing to fire)."""
    async with pool.acquire() as conn:
        return await clock_store.next_fire_at(conn)


async def _announce(
    conn: Conn, fired: list[tuple[Clock, ClockEvent, dict[str, Any]]], *, now: datetime
) -> None:
    events: list[tuple[Event, dict[str, Any]]] = []
    for clock, event, ticket in fired:
        payload: dict[str, Any] = {
            "ticket_id": clock.ticket_id,
            "clock_id": clock.id,
            "kind": clock.kind,
            "step": clock.step,
            "assignee_id": ticket["assignee_id"],
            "due_at": clock.due_at,
        }
        if event is ClockEvent.BREACHED:
            payload["escalate_to"] = clock.escalate_to or DEFAULT_ESCALATE_TO
            events.append((Event.DEADLINE_BREACHED, payload))
        else:
            events.append((Event.DEADLINE_WARNED, payload))
        events.append(
            (
                Event.CLOCK_UPDATED,
                {
                    "ticket_id": clock.ticket_id,
                    "clock_id": clock.id,
                    "kind": clock.kind,
                    "step": clock.step,
                    "event": event,
                },
            )
        )
    await live.publish_many(conn, events)
    await audit.record_changes(
        conn,
        ACTOR,
        "clock",
        [
            (
                clock.id,
                str(event),
                {
                    "ticket_id": str(clock.ticket_id),
                    "kind": str(clock.kind),
                    "step": clock.step,
                    "due_at": _iso(clock.due_at),
                },
            )
            for clock, event, _ in fired
        ],
        at=now,
    )


async def _escalate(
    conn: Conn, clock: Clock, priority: Priority, status: Status, *, now: datetime
) -> Priority:
    """Raise the ticket's priority one level and note the miss on it; the priority now. The
    claim locked the ticket row, so `priority` is current (as raised by earlier breaches of
    this batch)."""
    raised = raised_priority(priority)
    if raised is not priority and status is not Status.CLOSED:
        await tickets.update_ticket_in(
            conn, ACTOR, clock.ticket_id, {"priority": raised.value}, now=now
        )
    zone = (await site.load(conn)).timezone
    due = site_time_text(clock.due_at, zone) if clock.due_at else "-"
    note = _("Deadline missed: %(label)s was due %(due)s; escalated to %(to)s.") % {
        "label": await _missed_label(conn, clock),
        "due": due,
        "to": clock.escalate_to or DEFAULT_ESCALATE_TO,
    }
    await tickets.add_system_note(conn, clock.ticket_id, note, now=now)
    return raised


async def _missed_label(conn: Conn, clock: Clock) -> str:
    """The missed deadline as people know it: a step's by the step's title in its case's
    definition ("Step: Customer called back"), not by its key."""
    if clock.kind is ClockKind.STEP and clock.step is not None and clock.case_id is not None:
        case = await store.case_of_ticket(conn, clock.ticket_id)
        if case is not None and case.id == clock.case_id:
            definition = await versions.definition_by_id(conn, case.definition_id)
            titles = next((s.title for s in definition.steps if s.key == clock.step), None)
            if titles:
                name = transitions.title(titles, i18n.current.get())
                return _("Step: %(step)s") % {"step": name}
    return clock_label(clock.kind, clock.step)


async def _escalate_carefully(
    conn: Conn, clock: Clock, priority: Priority, status: Status, *, now: datetime
) -> Priority:
    """`_escalate` in a savepoint: a failure is logged and leaves the breach recorded."""
    try:
        async with conn.transaction():
            return await _escalate(conn, clock, priority, status, now=now)
    except Exception as exc:  # one ticket's failure must not stop the batch
        log.warning(
            "escalation of clock %s on ticket %s failed: %s", clock.id, clock.ticket_id, exc
        )
        return priority


def _iso(at: datetime | None) -> str | None:
    return at.isoformat() if at is not None else None
