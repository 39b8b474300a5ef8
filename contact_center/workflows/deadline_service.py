"""Firing clocks: warnings to the ticket's owner, breaches escalated. Each batch claims its
tickets with SKIP LOCKED, then their due clocks, and fires in one transaction; the event log's
unique index decides what fires, so any number of scanners, restarts and the safety-net job
fire each warning and breach exactly once.

A breach escalates: `deadline.breached` tells the supervisors, the ticket's priority goes up
one level (routing requeues it), and an internal note on the ticket says which deadline was
missed. A batch fires set-based: one statement each for the clocks, their events, the live
events, the audit rows, the priority raises, the notes and routing's re-queue, however many
clocks it holds.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from contact_center import audit, live, routing, site, tickets
from contact_center.audit import Actor
from contact_center.db import Conn, Pool, transaction
from contact_center.db.pool import connection_lost
from contact_center.i18n import gettext as _
from contact_center.live import Event
from contact_center.routing.model import Priority
from contact_center.tickets.model import Status
from contact_center.timeutil import site_time_text
from contact_center.workflows import clock_store, clocks
from contact_center.workflows.clock_reads import StepTitles, step_titles, titled_label
from contact_center.workflows.model import Clock, ClockEvent

log = logging.getLogger(__name__)
ACTOR = Actor.system("deadlines")
# Tickets per firing transaction. A batch fires set-based (a constant number of statements), so
# larger batches drain a backlog faster (250: about 2,500 firings a second on two busy cores,
# against 1,600 with 50) while a batch still commits in well under a second.
BATCH = 250
# Due clocks a claim looks among: several batches wide, so batches side by side (and other
# processes) claim different tickets of the earliest due.
WINDOW = 8 * BATCH
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
        held = await clock_store.claim_due_tickets(
            conn, now=now, limit=limit, window=max(WINDOW, limit)
        )
        if not held:
            return Fired()
        claimed = await clock_store.lock_due_clocks(conn, list(held), now=now)
        wanted = []
        marks = []
        for clock in claimed:
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
            (c, e, held[c.ticket_id])
            for c in claimed
            for e in (ClockEvent.WARNED, ClockEvent.BREACHED)
            if (c.id, e) in written
        ]
        await _announce(conn, fired, now=now)
        breaches = [c for c, e, _ in fired if e is ClockEvent.BREACHED]
        if breaches:
            escalate = _escalate_carefully if careful else _escalate
            await escalate(conn, breaches, held, now=now)
    return Fired(
        claimed=len(claimed),
        warned=sum(1 for _, e, _ in fired if e is ClockEvent.WARNED),
        breached=len(breaches),
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
        # The ticket's number, so a console need not read it; not the clock's label, which a
        # console shows in its reader's language (it reads the deadlines list once per burst).
        payload: dict[str, Any] = {
            "ticket_id": clock.ticket_id,
            "ticket_number": ticket["number"],
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


def _raises(
    breaches: list[Clock], held: dict[UUID, dict[str, Any]]
) -> dict[UUID, tuple[Priority, Priority]]:
    """Each breach raises its ticket one level (two breaches of one ticket, two levels); a
    closed ticket keeps its priority. Ticket id → (before, after)."""
    raised: dict[UUID, tuple[Priority, Priority]] = {}
    for clock in breaches:
        ticket = held[clock.ticket_id]
        if Status(ticket["status"]) is Status.CLOSED:
            continue
        before, now_at = raised.get(clock.ticket_id, (Priority(ticket["priority"]),) * 2)
        raised[clock.ticket_id] = (before, routing.raised_priority(now_at))
    return raised


def miss_note(clock: Clock, zone: str, titles: StepTitles) -> str:
    """The internal note a missed deadline leaves on its ticket: a step's deadline named by the
    step's title in its case's definition (`titles`, from `clock_reads.step_titles`), the due
    time in the site's zone (`zone`); both read once per batch."""
    due = site_time_text(clock.due_at, zone) if clock.due_at else "-"
    return _("Deadline missed: %(label)s was due %(due)s; escalated to %(to)s.") % {
        "label": titled_label(clock.kind, clock.case_id, clock.step, titles),
        "due": due,
        "to": clock.escalate_to or DEFAULT_ESCALATE_TO,
    }


async def _escalate(
    conn: Conn, breaches: list[Clock], held: dict[UUID, dict[str, Any]], *, now: datetime
) -> None:
    """Raise the tickets' priorities and note the misses, set-based. The claim locked the
    ticket rows, so the priorities read there are current."""
    await tickets.set_priorities_in(conn, ACTOR, _raises(breaches, held), now=now)
    zone = (await site.load(conn)).timezone
    titles = await step_titles(conn, {(c.case_id, c.step) for c in breaches})
    notes = [(c.ticket_id, miss_note(c, zone, titles)) for c in breaches]
    await tickets.add_system_notes(conn, notes, now=now)


async def _escalate_carefully(
    conn: Conn, breaches: list[Clock], held: dict[UUID, dict[str, Any]], *, now: datetime
) -> None:
    """`_escalate` ticket by ticket, each in a savepoint: a failure is logged and leaves the
    breach recorded."""
    by_ticket: dict[UUID, list[Clock]] = {}
    for clock in breaches:
        by_ticket.setdefault(clock.ticket_id, []).append(clock)
    for ticket_id, theirs in by_ticket.items():
        try:
            async with conn.transaction():
                await _escalate(conn, theirs, held, now=now)
        except Exception as exc:  # one ticket's failure must not stop the batch
            log.warning("escalation on ticket %s failed: %s", ticket_id, exc)


def _iso(at: datetime | None) -> str | None:
    return at.isoformat() if at is not None else None
