"""Complaint cases for the actions' tests: the ticket's own case when intake started one, else
a case row at its first step without running its actions, so each test runs the action it is
about, alone."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from contact_center.db import Conn
from contact_center.tickets import Ticket
from contact_center.timeutil import utc_now
from contact_center.workflows import Case, CaseSource, Definition, store, versions


async def stored_definition(conn: Conn) -> Definition:
    """The complaint definition new cases run on (the shipped file, installed at start)."""
    return await versions.current_definition(conn, "complaint", now=utc_now())


async def open_case(
    conn: Conn,
    ticket: Ticket,
    definition: Definition,
    *,
    now: datetime,
    source: CaseSource = CaseSource.AGENT,
    key_account: bool = False,
) -> Case:
    found = await store.case_of_ticket(conn, ticket.id)
    if found is not None:
        return found
    case = await store.insert_case(
        conn,
        ticket_id=ticket.id,
        definition_id=definition.id,
        step="received",
        source=source,
        confidence=None,
        matched=(),
        key_account=key_account,
        now=now,
    )
    assert case is not None
    return case


def entered(case: Case, step: str, at: datetime) -> Case:
    """The case as it is on entering `step` at `at`."""
    from dataclasses import replace

    return replace(case, step=step, step_entered_at=at)


async def action_rows(conn: Conn, case: Case, action: str | None = None) -> list[dict[str, Any]]:
    rows = await conn.fetch(
        "SELECT id, action, step, state, note FROM case_actions"
        " WHERE case_id = $1 AND ($2::text IS NULL OR action = $2) ORDER BY id",
        case.id,
        action,
    )
    return [dict(r) for r in rows]
