"""Account tasks: a manager to assign, a dormant key account to win back. One open task of a
kind per account: asking again while one is open returns the open one."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from contact_center import audit, live
from contact_center.accounts import task_store
from contact_center.accounts.model import AccountTask, TaskKind, TaskState
from contact_center.audit import Actor
from contact_center.db import Conn
from contact_center.errors import Conflict, NotFound
from contact_center.live import Event

AUDIT_ENTITY = "account_task"


async def open_task(
    conn: Conn,
    actor: Actor,
    *,
    organization_id: UUID,
    kind: TaskKind,
    assignee_id: UUID | None,
    due_at: datetime,
    note: str,
    now: datetime,
) -> tuple[AccountTask, bool]:
    """Inside the caller's transaction: the open task of this kind for the account, created
    (audited, announced as `account.task`) when there was none. Returns (task, created)."""
    created = await task_store.insert_open(
        conn,
        organization_id=organization_id,
        kind=kind,
        assignee_id=assignee_id,
        due_at=due_at,
        note=note,
        now=now,
    )
    if created is None:
        existing = await task_store.open_of(conn, organization_id, kind)
        assert existing is not None  # the unique index refused ours because of it
        return existing, False
    await audit.record_change(
        conn,
        actor,
        AUDIT_ENTITY,
        created.id,
        "created",
        after={"organization_id": organization_id, "kind": kind, "assignee_id": assignee_id},
        at=now,
    )
    await live.publish(conn, Event.ACCOUNT_TASK, _payload(created))
    return created, True


async def close_task(
    conn: Conn, actor: Actor, task_id: UUID, state: TaskState, *, now: datetime
) -> AccountTask:
    """Mark an open task done or cancelled; NotFound, or Conflict when it is already closed."""
    task = await task_store.lock(conn, task_id)
    if task is None:
        raise NotFound("no such account task")
    if task.state is not TaskState.OPEN:
        raise Conflict(f"the task is already {task.state.value}")
    closed = await task_store.close(conn, task_id, state, by=actor.user_id, now=now)
    await audit.record_change(
        conn,
        actor,
        AUDIT_ENTITY,
        task_id,
        state.value,
        before={"state": task.state},
        after={"state": state},
        at=now,
    )
    await live.publish(conn, Event.ACCOUNT_TASK, _payload(closed))
    return closed


async def cancel_open_tasks(
    conn: Conn, actor: Actor, organization_id: UUID, kind: TaskKind, *, now: datetime
) -> int:
    """Close the account's open task of this kind as no longer needed (say, a manager was
    assigned another way); returns how many were closed (0 or 1)."""
    task = await task_store.open_of(conn, organization_id, kind)
    if task is None:
        return 0
    await close_task(conn, actor, task.id, TaskState.CANCELLED, now=now)
    return 1


async def reassign_open_tasks(
    conn: Conn,
    actor: Actor,
    organization_id: UUID,
    kind: TaskKind,
    assignee_id: UUID | None,
    *,
    now: datetime,
) -> list[AccountTask]:
    """The account's open tasks of this kind go to `assignee_id` (say, its new manager);
    audited and announced. Returns the tasks moved."""
    moved = await task_store.reassign_open(conn, organization_id, kind, assignee_id)
    await audit.record_changes(
        conn,
        actor,
        AUDIT_ENTITY,
        [(t.id, "reassigned", {"assignee_id": t.assignee_id}) for t, _ in moved],
        befores=[{"assignee_id": was} for _, was in moved],
        at=now,
    )
    await live.publish_many(conn, [(Event.ACCOUNT_TASK, _payload(t)) for t, _ in moved])
    return [t for t, _ in moved]


async def list_tasks(
    conn: Conn,
    *,
    assignee_id: UUID | None = None,
    supervisors: bool = False,
    organization_id: UUID | None = None,
    include_closed: bool = False,
    limit: int = 200,
) -> list[AccountTask]:
    """Tasks, soonest due first: those assigned to `assignee_id`, or (with `supervisors`) the
    unassigned ones, or one account's."""
    return await task_store.list_tasks(
        conn,
        assignee_id=assignee_id,
        supervisors=supervisors,
        organization_id=organization_id,
        include_closed=include_closed,
        limit=limit,
    )


def _payload(task: AccountTask) -> dict[str, object]:
    return {
        "task_id": task.id,
        "organization_id": task.organization_id,
        "kind": task.kind,
        "state": task.state,
        "assignee_id": task.assignee_id,
    }


async def open_unassigned_tasks(
    conn: Conn,
    actor: Actor,
    *,
    organization_ids: list[UUID],
    kind: TaskKind,
    due_at: datetime,
    note: str,
    now: datetime,
) -> list[AccountTask]:
    """`open_task` for many accounts at once, for supervisors (no assignee), set-based: a tier
    run may make thousands of new key accounts. Returns the tasks created."""
    if not organization_ids:
        return []
    created = await task_store.insert_open_many(
        conn,
        [(org, None, note) for org in sorted(organization_ids, key=str)],
        kind,
        due_at=due_at,
        now=now,
    )
    await audit.record_changes(
        conn,
        actor,
        AUDIT_ENTITY,
        [
            (
                t.id,
                "created",
                {"organization_id": t.organization_id, "kind": kind, "assignee_id": None},
            )
            for t in created
        ],
        at=now,
    )
    await live.publish_many(conn, [(Event.ACCOUNT_TASK, _payload(t)) for t in created])
    return created
