"""Undoing a complaint the classifier made: the agent says the words misled it. The ticket
goes back to an inquiry through the ticket service, which withdraws its case."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from contact_center import audit, customers, routing, tickets
from contact_center.audit import Actor
from contact_center.db import Conn, Pool, transaction
from contact_center.errors import Conflict
from contact_center.tickets.model import Kind, Ticket
from contact_center.workflows import store
from contact_center.workflows.model import CaseSource, CaseState


async def undo_classification(
    pool: Pool, actor: Actor, ticket_id: UUID, *, now: datetime
) -> Ticket:
    """Make a classifier-made complaint an inquiry again: its case is withdrawn (with its
    clocks), its priority and queue go back to an inquiry's unless someone changed them, and
    the audit trail keeps the classifier's confidence and phrases. Conflict when the ticket is
    no open complaint that the classifier started."""
    async with transaction(pool) as conn:
        ticket = await tickets.load_ticket_in(conn, ticket_id, for_update=True)
        case = await store.case_of_ticket(conn, ticket_id, lock=True)
        if (
            ticket.kind is not Kind.COMPLAINT
            or case is None
            or case.source is not CaseSource.CLASSIFIER
            or case.state is not CaseState.OPEN
        ):
            raise Conflict("This ticket is not an open complaint made by the classifier.")
        changes = await _as_inquiry(conn, ticket)
        after = await tickets.update_ticket_in(conn, actor, ticket_id, changes, now=now)
        await audit.record_change(
            conn,
            actor,
            "ticket",
            ticket_id,
            "classification_undone",
            before={
                "kind": Kind.COMPLAINT,
                "source": case.source,
                "confidence": case.confidence,
                "matched": list(case.matched),
                "case_id": case.id,
            },
            after={"kind": after.kind, "priority": after.priority, "queue": after.queue},
            at=now,
        )
        return after


async def _as_inquiry(conn: Conn, ticket: Ticket) -> dict[str, Any]:
    """The kind, and the priority and queue intake gives an inquiry where they are still the
    ones it gave the complaint (a person's choice stays)."""
    changes: dict[str, Any] = {"kind": Kind.INQUIRY.value}
    key_account = (await customers.account_of(conn, ticket.customer_id)).key_account
    if ticket.priority is routing.priority_for(key_account=key_account, complaint=True):
        changes["priority"] = routing.priority_for(key_account=key_account, complaint=False).value
    if ticket.queue == await routing.queue_for_kind(conn, Kind.COMPLAINT.value):
        changes["queue"] = await routing.queue_for_kind(conn, Kind.INQUIRY.value)
    return changes
