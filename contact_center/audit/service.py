"""Recording changes. Called inside the caller's transaction so the trail commits with it."""

import json
from datetime import datetime
from typing import Any

from contact_center.audit import store
from contact_center.audit.model import Actor, AuditEntry
from contact_center.db import Conn


def _plain(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def changed_fields(
    before: dict[str, Any], after: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The keys whose values differ, as (before, after) JSON-ready dicts."""
    keys = [k for k in after if before.get(k) != after[k]]
    return _plain({k: before.get(k) for k in keys}), _plain({k: after[k] for k in keys})


async def record_change(
    conn: Conn,
    actor: Actor,
    entity: str,
    entity_id: object,
    action: str,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> None:
    """Append one audit row. Must run inside the transaction that made the change. `at` is
    the use case's `now`, so the trail orders with the messages it wrote (default: the
    transaction's start)."""
    await store.insert_entry(
        conn,
        actor=actor,
        entity=entity,
        entity_id=str(entity_id),
        action=action,
        before=_plain(before) if before is not None else None,
        after=_plain(after) if after is not None else None,
        at=at,
    )


async def record_changes(
    conn: Conn,
    actor: Actor,
    entity: str,
    changes: list[tuple[object, str, dict[str, Any]]],
    *,
    at: datetime,
    befores: list[dict[str, Any]] | None = None,
) -> None:
    """`record_change` for many entities of one kind changed by one actor at once (entity id,
    action, values after; `befores`, if given, the values before, in the same order), in one
    statement."""
    if changes:
        await store.insert_entries(
            conn,
            actor=actor,
            entity=entity,
            at=at,
            entries=[(str(i), action, _plain(after)) for i, action, after in changes],
            befores=[_plain(b) for b in befores] if befores is not None else None,
        )


async def list_entries(conn: Conn, entity: str, entity_ids: list[str]) -> list[AuditEntry]:
    return await store.list_entries(conn, entity=entity, entity_ids=entity_ids)
