"""Complaint cases for people: read one with its steps and labels, move it, save its fields.
Each opens its own transaction; `cases` does the work."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from contact_center import i18n, tickets
from contact_center.audit import Actor
from contact_center.db import Conn, Pool, transaction
from contact_center.workflows import case_labels as labels
from contact_center.workflows import cases, store, versions
from contact_center.workflows.case_view import case_json
from contact_center.workflows.model import Case


async def case_view_in(conn: Conn, ticket_id: UUID) -> dict[str, Any]:
    """{"case": the ticket's case or None, "labels": the active managed lists}, in the
    current language."""
    language = i18n.current.get()
    found = await store.case_of_ticket(conn, ticket_id)
    view: dict[str, Any] = {"case": None}
    if found is not None:
        view["case"] = await _case_json(conn, found, language)
    view["labels"] = {
        name: await labels.active_labels_in(conn, name, language) for name in labels.LISTS
    }
    return view


async def _case_json(conn: Conn, case: Case, language: str) -> dict[str, Any]:
    definition = await versions.definition_by_id(conn, case.definition_id)
    history = await store.case_history(conn, case.id)
    ticket = await tickets.load_ticket_in(conn, case.ticket_id)
    return case_json(definition, case, history, assignee_id=ticket.assignee_id, language=language)


async def get_case(pool: Pool, ticket_id: UUID) -> dict[str, Any]:
    """The ticket's case (None when it has none) and the lists to choose from."""
    async with pool.acquire() as conn:
        return await case_view_in(conn, ticket_id)


async def move_case(
    pool: Pool, actor: Actor, ticket_id: UUID, to: str, fields: dict[str, Any], *, now: datetime
) -> dict[str, Any]:
    """Save `fields`, then move the case to step `to`. Invalid (naming the first missing
    field, saying what to do) when the step asks for more; Conflict when the definition does
    not lead there. Audited; `case.updated` announced."""
    async with transaction(pool) as conn:
        await cases.move_case_in(conn, actor, ticket_id, to, fields, now=now)
        return await case_view_in(conn, ticket_id)


async def update_case_fields(
    pool: Pool, actor: Actor, ticket_id: UUID, fields: dict[str, Any], *, now: datetime
) -> dict[str, Any]:
    """Save a case's fields without moving it (facts while investigating, ...)."""
    async with transaction(pool) as conn:
        await cases.update_case_fields_in(conn, actor, ticket_id, fields, now=now)
        return await case_view_in(conn, ticket_id)
