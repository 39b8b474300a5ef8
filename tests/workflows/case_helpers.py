"""Complaint cases for the actions' tests, made from the shipped definition: a minimal reader
of complaint.json and a case row, until the cases work lands its own services."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from contact_center import workflows
from contact_center.db import Conn
from contact_center.tickets import Ticket
from contact_center.workflows import Action, Case, CaseSource, CaseState, Definition, Step

SHIPPED = Path(workflows.__file__).parent / "definitions" / "complaint.json"


def shipped_definition(definition_id: int = 0) -> Definition:
    body: dict[str, Any] = json.loads(SHIPPED.read_text())
    steps = tuple(
        Step(
            key=s["key"],
            title=s["title"],
            next=tuple(s["next"]),
            leave_requires=tuple(s.get("leave_requires", ())),
            on_enter=tuple(Action(a) for a in s.get("on_enter", ())),
            automatic=s.get("automatic", False),
            final=s.get("final", False),
        )
        for s in body["steps"]
    )
    return Definition(
        id=definition_id,
        name=body["name"],
        version=1,
        title=body["title"],
        steps=steps,
        texts=body["texts"],
        body=body,
    )


async def stored_definition(conn: Conn) -> Definition:
    definition_id = await conn.fetchval(
        """INSERT INTO workflow_definitions (name, version, body, created_at)
        VALUES ('complaint', 1, $1, now())
        ON CONFLICT (name, version) DO UPDATE SET body = excluded.body RETURNING id""",
        json.loads(SHIPPED.read_text()),
    )
    return shipped_definition(definition_id)


async def open_case(
    conn: Conn,
    ticket: Ticket,
    definition: Definition,
    *,
    now: datetime,
    source: CaseSource = CaseSource.AGENT,
    key_account: bool = False,
) -> Case:
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


async def action_rows(conn: Conn, case: Case) -> list[dict[str, Any]]:
    rows = await conn.fetch(
        "SELECT id, action, step, state, note FROM case_actions WHERE case_id = $1 ORDER BY id",
        case.id,
    )
    return [dict(r) for r in rows]
