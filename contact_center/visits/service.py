"""Asking for visits. The visit planner (a later piece of work) places requested visits on the
account manager's plan; until then a request waits, visible on its ticket."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from contact_center import audit
from contact_center.audit import Actor
from contact_center.db import Conn, Pool
from contact_center.visits import store
from contact_center.visits.model import VisitReason, VisitRequest


async def request_visit(
    conn: Conn,
    actor: Actor,
    *,
    organization_id: UUID,
    ticket_id: UUID | None,
    reason: VisitReason,
    due_by: datetime,
    now: datetime,
    note: str = "",
) -> VisitRequest:
    """Inside the caller's transaction: a visit to this account, to be made by `due_by`
    (state requested); audited. The caller keeps it from being asked twice."""
    created = await store.insert_request(
        conn,
        organization_id=organization_id,
        ticket_id=ticket_id,
        reason=reason,
        requested_at=now,
        due_by=due_by,
        note=note,
    )
    await audit.record_change(
        conn,
        actor,
        "visit_request",
        created.id,
        "created",
        after={
            "organization_id": str(organization_id),
            "ticket_id": str(ticket_id) if ticket_id else None,
            "reason": reason.value,
            "due_by": due_by.isoformat(),
        },
        at=now,
    )
    return created


async def ticket_visit_requests(pool: Pool, ticket_id: UUID) -> list[VisitRequest]:
    """The visits asked for about this ticket, oldest first."""
    async with pool.acquire() as conn:
        return await store.for_ticket(conn, ticket_id)


async def satisfaction_by_account(conn: Conn, *, since: date) -> dict[UUID, list[int]]:
    """Satisfaction scores (1-5) recorded with visits done since `since`, per account.
    (Being built: no visit records exist yet, so there are no scores.)"""
    return {}


async def last_done_by_account(conn: Conn) -> dict[UUID, date]:
    """The day of each account's last visit done: activity for its lifecycle stage.
    (Being built: no visit records exist yet.)"""
    return {}
