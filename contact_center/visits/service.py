"""Asking for visits: a request waits (visible on its ticket) until the planner places it on
the account manager's plan."""

from __future__ import annotations

import logging
from datetime import datetime
from uuid import UUID

from contact_center import audit, jobs
from contact_center.audit import Actor
from contact_center.db import Conn, Pool, transaction
from contact_center.jobs.model import VISIT_PLAN_TASK
from contact_center.visits import store
from contact_center.visits.model import VisitReason, VisitRequest

log = logging.getLogger(__name__)
PLAN_TASK = VISIT_PLAN_TASK


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
    (state requested); audited; the account's manager is re-planned soon. The caller keeps
    it from being asked twice."""
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
    manager_id = await store.manager_of(conn, organization_id)
    if manager_id is not None:
        await queue_plan(conn, manager_id)
    else:  # it waits, on the ticket, until the account gets a manager
        log.warning("visit asked for account %s, which has no account manager", organization_id)
    return created


async def add_note(
    conn: Conn, actor: Actor, request: VisitRequest, note: str, *, now: datetime
) -> VisitRequest:
    """Inside the caller's transaction: add `note` (a later ask's reason) to the request's
    own, on a line of its own; audited. Words the request already says are not added again."""
    said = request.note.splitlines()
    if not note or note in said:
        return request
    updated = await store.set_request_note(conn, request.id, "\n".join([*said, note]))
    await audit.record_change(
        conn,
        actor,
        "visit_request",
        request.id,
        "note_added",
        before={"note": request.note},
        after={"note": updated.note},
        at=now,
    )
    return updated


async def queue_plan(conn: Conn, manager_id: UUID) -> None:
    """Re-plan this manager soon, once however many changes ask for it."""
    await jobs.enqueue_job(conn, PLAN_TASK, str(manager_id), dedupe_key=f"{PLAN_TASK}:{manager_id}")


ALL_MANAGERS = "all"  # the plan task's payload for a plan of every manager


async def queue_full_plan(pool: Pool, actor: Actor, *, now: datetime) -> None:
    """Plan every manager soon, in the worker (a full plan is heavy for a web request)."""
    async with transaction(pool) as conn:
        await jobs.enqueue_job(
            conn, PLAN_TASK, ALL_MANAGERS, dedupe_key=f"{PLAN_TASK}:{ALL_MANAGERS}"
        )
        await audit.record_change(
            conn, actor, "visit_plan", ALL_MANAGERS, "queued", after={"managers": "all"}, at=now
        )


async def ticket_visit_requests(pool: Pool, ticket_id: UUID) -> list[VisitRequest]:
    """The visits asked for about this ticket, oldest first."""
    async with pool.acquire() as conn:
        return await store.for_ticket(conn, ticket_id)
