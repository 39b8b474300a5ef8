"""What the API shows of clocks: a ticket's clocks and events, and the deadlines list (warned
or breached clocks, one agent's or everyone's). Labels are translated into the current
language; `remaining_seconds` is counted on the site's calendar."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from contact_center.db import Pool
from contact_center.workflows import clock_store, clocks
from contact_center.workflows.clock_service import calendar
from contact_center.workflows.labels import clock_label
from contact_center.workflows.model import Clock, ClockKind
from contact_center.worktime import BusinessCalendar


def clock_json(cal: BusinessCalendar, clock: Clock, now: datetime) -> dict[str, Any]:
    return {
        "id": clock.id,
        "kind": clock.kind,
        "step": clock.step,
        "label": clock_label(clock.kind, clock.step),
        "state": clock.state,
        "mode": clock.mode,
        "target_seconds": clock.target_seconds,
        "used_seconds": clocks.used_by(cal, clock, now),
        "started_at": clock.started_at,
        "due_at": clock.due_at,
        "warn_at": clock.warn_at,
        "warned_at": clock.warned_at,
        "breached_at": clock.breached_at,
        "ended_at": clock.ended_at,
        "remaining_seconds": clocks.remaining_seconds(cal, clock, now),
    }


async def ticket_clocks(pool: Pool, ticket_id: UUID, *, now: datetime) -> dict[str, Any]:
    """{"clocks": [...], "events": [...]} of one ticket, oldest first."""
    async with pool.acquire() as conn:
        cal = await calendar(conn, now)
        found = await clock_store.list_ticket_clocks(conn, ticket_id)
        events = await clock_store.list_events(conn, ticket_id)
    return {
        "clocks": [clock_json(cal, c, now) for c in found],
        "events": [
            {
                "clock_id": e["clock_id"],
                "kind": e["kind"],
                "step": e["step"],
                "label": clock_label(ClockKind(e["kind"]), e["step"]),
                "event": e["event"],
                "at": e["at"],
                "detail": e["detail"],
            }
            for e in events
        ],
    }


async def list_deadlines(
    pool: Pool, *, assignee_id: UUID | None, breached: bool, now: datetime
) -> list[dict[str, Any]]:
    """Live clocks past their warning (`breached` False) or past due, with their ticket."""
    async with pool.acquire() as conn:
        cal = await calendar(conn, now)
        found = await clock_store.list_deadlines(conn, assignee_id=assignee_id, breached=breached)
    return [
        {**clock_json(cal, clock, now), "ticket_id": clock.ticket_id, **ticket}
        for clock, ticket in found
    ]
