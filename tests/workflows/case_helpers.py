"""Complaint cases for the actions' tests: the ticket's own case when intake started one, else
a case row at its first step without running its actions, so each test runs the action it is
about, alone."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from contact_center.db import Conn
from contact_center.tickets import Ticket
from contact_center.timeutil import utc_now
from contact_center.workflows import Case, CaseSource, CaseState, Definition, versions


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
    row = await conn.fetchrow(
        "SELECT * FROM cases WHERE ticket_id = $1 AND state <> 'withdrawn'", ticket.id
    )
    if row is not None:
        return Case(
            id=row["id"],
            ticket_id=ticket.id,
            definition_id=row["definition_id"],
            step=row["step"],
            state=CaseState(row["state"]),
            source=CaseSource(row["source"]),
            confidence=row["confidence"],
            matched=tuple(row["matched"]),
            fields=row["fields"],
            opened_at=row["opened_at"],
            step_entered_at=row["step_entered_at"],
            closed_at=row["closed_at"],
            key_account=row["key_account"],
        )
    case_id = await conn.fetchval(
        """INSERT INTO cases (ticket_id, definition_id, step, state, source, key_account,
            opened_at, step_entered_at)
        VALUES ($1, $2, 'received', 'open', $3, $4, $5, $5) RETURNING id""",
        ticket.id,
        definition.id,
        source.value,
        key_account,
        now,
    )
    return Case(
        id=case_id,
        ticket_id=ticket.id,
        definition_id=definition.id,
        step="received",
        state=CaseState.OPEN,
        source=source,
        confidence=None,
        matched=(),
        fields={},
        opened_at=now,
        step_entered_at=now,
        closed_at=None,
        key_account=key_account,
    )


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
