"""What the API shows of clocks: a ticket's clocks and events, and the deadlines list (warned
or breached clocks, one agent's or everyone's). Labels are translated into the current
language, a step clock named by its step's title in the case's definition version;
`remaining_seconds` is counted on the site's calendar."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from contact_center import i18n
from contact_center.db import Conn, Pool
from contact_center.errors import NotFound
from contact_center.workflows import clock_store, clocks, store, versions
from contact_center.workflows.clock_service import calendar
from contact_center.workflows.definition import DefinitionError
from contact_center.workflows.labels import clock_label
from contact_center.workflows.model import Clock, ClockKind, Definition
from contact_center.workflows.transitions import title
from contact_center.worktime import BusinessCalendar

StepTitles = dict[tuple[int, str], str]  # (case id, step key) -> title in the current language


async def step_titles(conn: Conn, steps: set[tuple[int | None, str | None]]) -> StepTitles:
    """The titles of these (case, step) pairs from each case's definition version."""
    case_ids = sorted({case_id for case_id, step in steps if case_id is not None and step})
    if not case_ids:
        return {}
    language = i18n.current.get()
    by_case = await store.case_definitions(conn, case_ids)
    definitions: dict[int, Definition] = {}
    for definition_id in set(by_case.values()):
        try:
            definitions[definition_id] = await versions.definition_by_id(conn, definition_id)
        except (DefinitionError, NotFound):
            continue  # a label is no reason to fail a read: the step's key names it
    titles: StepTitles = {}
    for case_id, step in steps:
        if case_id is None or not step:
            continue
        definition = definitions.get(by_case.get(case_id, 0))
        if definition is None:
            continue
        if any(s.key == step for s in definition.steps):
            titles[(case_id, step)] = title(definition.step(step).title, language)
    return titles


def titled_label(kind: Any, case_id: int | None, step: str | None, titles: StepTitles) -> str:
    """The clock's label, a step's by its title in `titles` (from `step_titles`)."""
    found = titles.get((case_id, step)) if case_id is not None and step else None
    return clock_label(ClockKind(kind), step, found)


def clock_json(
    cal: BusinessCalendar, clock: Clock, now: datetime, titles: StepTitles | None = None
) -> dict[str, Any]:
    return {
        "id": clock.id,
        "kind": clock.kind,
        "step": clock.step,
        "label": titled_label(clock.kind, clock.case_id, clock.step, titles or {}),
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
        titles = await step_titles(conn, {(c.case_id, c.step) for c in found})
    return {
        "clocks": [clock_json(cal, c, now, titles) for c in found],
        "events": [
            {
                "clock_id": e["clock_id"],
                "kind": e["kind"],
                "step": e["step"],
                "label": titled_label(e["kind"], e["case_id"], e["step"], titles),
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
        titles = await step_titles(conn, {(c.case_id, c.step) for c, _ in found})
    return [
        {**clock_json(cal, clock, now, titles), "ticket_id": clock.ticket_id, **ticket}
        for clock, ticket in found
    ]
