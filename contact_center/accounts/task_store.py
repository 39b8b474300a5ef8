"""Account tasks' SQL."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from contact_center.accounts.model import AccountTask, TaskKind, TaskState
from contact_center.db import Conn

COLUMNS = (
    "t.id, t.organization_id, t.kind, t.assignee_id, t.state, t.note, t.due_at, t.created_at,"
    " t.closed_at, t.closed_by, o.name AS account_name"
)
FROM = "account_tasks t JOIN organizations o ON o.id = t.organization_id"
INSERT_OPEN = f"""
WITH created AS (
    INSERT INTO account_tasks (organization_id, kind, assignee_id, due_at, note, created_at)
    VALUES ($1, $2, $3, $4, $5, $6)
    ON CONFLICT (organization_id, kind) WHERE state = 'open' DO NOTHING
    RETURNING *
)
SELECT {COLUMNS} FROM created t JOIN organizations o ON o.id = t.organization_id
"""
OPEN_OF = f"""
SELECT {COLUMNS} FROM {FROM} WHERE t.organization_id = $1 AND t.kind = $2 AND t.state = 'open'
"""
LOCK = f"SELECT {COLUMNS} FROM {FROM} WHERE t.id = $1 FOR UPDATE OF t"
CLOSE = f"""
WITH closed AS (
    UPDATE account_tasks SET state = $2, closed_at = $3, closed_by = $4 WHERE id = $1
    RETURNING *
)
SELECT {COLUMNS} FROM closed t JOIN organizations o ON o.id = t.organization_id
"""
REASSIGN = f"""
WITH old AS (
    SELECT id, assignee_id FROM account_tasks
    WHERE organization_id = $1 AND kind = $2 AND state = 'open'
      AND assignee_id IS DISTINCT FROM $3
    FOR UPDATE
), moved AS (
    UPDATE account_tasks a SET assignee_id = $3 FROM old WHERE a.id = old.id
    RETURNING a.*, old.assignee_id AS was
)
SELECT {COLUMNS}, t.was FROM moved t JOIN organizations o ON o.id = t.organization_id
"""
LIST = f"""
SELECT {COLUMNS} FROM {FROM}
WHERE ($1::uuid IS NULL OR t.assignee_id = $1)
  AND (NOT $2 OR t.assignee_id IS NULL)
  AND ($3::uuid IS NULL OR t.organization_id = $3)
  AND ($4 OR t.state = 'open')
ORDER BY t.state <> 'open', t.due_at, t.id
LIMIT $5
"""


def _task(row: Any) -> AccountTask:
    data = dict(row)
    data["kind"] = TaskKind(data["kind"])
    data["state"] = TaskState(data["state"])
    return AccountTask(**data)


async def insert_open(
    conn: Conn,
    *,
    organization_id: UUID,
    kind: TaskKind,
    assignee_id: UUID | None,
    due_at: datetime,
    note: str,
    now: datetime,
) -> AccountTask | None:
    row = await conn.fetchrow(
        INSERT_OPEN, organization_id, kind.value, assignee_id, due_at, note, now
    )
    return _task(row) if row else None


async def open_of(conn: Conn, organization_id: UUID, kind: TaskKind) -> AccountTask | None:
    row = await conn.fetchrow(OPEN_OF, organization_id, kind.value)
    return _task(row) if row else None


async def lock(conn: Conn, task_id: UUID) -> AccountTask | None:
    row = await conn.fetchrow(LOCK, task_id)
    return _task(row) if row else None


async def close(
    conn: Conn, task_id: UUID, state: TaskState, *, by: UUID | None, now: datetime
) -> AccountTask:
    return _task(await conn.fetchrow(CLOSE, task_id, state.value, now, by))


async def reassign_open(
    conn: Conn, organization_id: UUID, kind: TaskKind, assignee_id: UUID | None
) -> list[tuple[AccountTask, UUID | None]]:
    """Give the account's open tasks of this kind to `assignee_id`: (task, former assignee)."""
    rows = await conn.fetch(REASSIGN, organization_id, kind.value, assignee_id)
    return [(_task({k: v for k, v in dict(r).items() if k != "was"}), r["was"]) for r in rows]


async def list_tasks(
    conn: Conn,
    *,
    assignee_id: UUID | None,
    supervisors: bool,
    organization_id: UUID | None,
    include_closed: bool,
    limit: int,
) -> list[AccountTask]:
    rows = await conn.fetch(LIST, assignee_id, supervisors, organization_id, include_closed, limit)
    return [_task(row) for row in rows]


INSERT_OPEN_MANY = f"""
WITH created AS (
    INSERT INTO account_tasks (organization_id, kind, assignee_id, due_at, note, created_at)
    SELECT u.org, $4, u.assignee, $5, u.note, $6
    FROM unnest($1::uuid[], $2::uuid[], $3::text[]) AS u(org, assignee, note)
    ON CONFLICT (organization_id, kind) WHERE state = 'open' DO NOTHING
    RETURNING *
)
SELECT {COLUMNS} FROM created t JOIN organizations o ON o.id = t.organization_id
"""
CLOSE_OPEN_MANY = """
UPDATE account_tasks SET state = 'done', closed_at = $3
WHERE kind = $2 AND state = 'open' AND organization_id = ANY($1::uuid[])
RETURNING id, organization_id, assignee_id
"""


async def insert_open_many(
    conn: Conn,
    rows: list[tuple[UUID, UUID | None, str]],
    kind: TaskKind,
    *,
    due_at: datetime,
    now: datetime,
) -> list[AccountTask]:
    """Open tasks for many accounts in one statement, rows (organization, assignee, note);
    those with one open already are left out of the answer."""
    if not rows:
        return []
    orgs, assignees, notes = (list(col) for col in zip(*rows, strict=True))
    found = await conn.fetch(INSERT_OPEN_MANY, orgs, assignees, notes, kind.value, due_at, now)
    return [_task(row) for row in found]


async def close_open_many(
    conn: Conn, organization_ids: list[UUID], kind: TaskKind, now: datetime
) -> list[tuple[UUID, UUID, UUID | None]]:
    """Mark these accounts' open tasks of this kind done in one statement; (task id,
    organization, assignee) of those closed."""
    if not organization_ids:
        return []
    found = await conn.fetch(CLOSE_OPEN_MANY, organization_ids, kind.value, now)
    return [(r["id"], r["organization_id"], r["assignee_id"]) for r in found]
