"""SQL for audit_log. Rows are only ever inserted (a trigger refuses updates)."""

from datetime import datetime
from typing import Any

from contact_center.audit.model import Actor, AuditEntry
from contact_center.db import Conn

INSERT_ENTRY = """
INSERT INTO audit_log (actor_id, actor_label, entity, entity_id, action, before, after, at)
VALUES ($1, $2, $3, $4, $5, $6, $7, coalesce($8, now()))
"""

# Many rows of one actor in one statement (a batch of fired deadlines).
INSERT_ENTRIES = """
INSERT INTO audit_log (actor_id, actor_label, entity, entity_id, action, before, after, at)
SELECT $1, $2, $3, u.entity_id, u.action, u.before, u.after, $4
FROM unnest($5::text[], $6::text[], $7::jsonb[], $8::jsonb[]) AS u(entity_id, action, after, before)
"""

LIST_ENTRIES = """
SELECT id, at, actor_id, actor_label, entity, entity_id, action, before, after
FROM audit_log WHERE entity = $1 AND entity_id = ANY($2::text[]) ORDER BY at, id
"""


async def insert_entry(
    conn: Conn,
    *,
    actor: Actor,
    entity: str,
    entity_id: str,
    action: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    at: datetime | None = None,
) -> None:
    await conn.execute(
        INSERT_ENTRY, actor.user_id, actor.label, entity, entity_id, action, before, after, at
    )


async def insert_entries(
    conn: Conn,
    *,
    actor: Actor,
    entity: str,
    at: datetime,
    entries: list[tuple[str, str, dict[str, Any]]],
    befores: list[dict[str, Any] | None] | None = None,
) -> None:
    await conn.execute(
        INSERT_ENTRIES,
        actor.user_id,
        actor.label,
        entity,
        at,
        [e[0] for e in entries],
        [e[1] for e in entries],
        [e[2] for e in entries],
        befores if befores is not None else [None] * len(entries),
    )


async def list_entries(conn: Conn, *, entity: str, entity_ids: list[str]) -> list[AuditEntry]:
    rows = await conn.fetch(LIST_ENTRIES, entity, entity_ids)
    return [AuditEntry(**dict(r)) for r in rows]
