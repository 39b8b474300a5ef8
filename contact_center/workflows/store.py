"""SQL for workflow definitions, cases, their steps and the managed lists. The only module
that touches these tables."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from uuid import UUID

from contact_center.db import Conn
from contact_center.workflows.model import Case, CaseSource, CaseState

DEFINITION_COLUMNS = (
    "d.id, d.name, d.version, d.body, d.created_at, d.created_by,"
    " coalesce(u.name, '') AS created_by_name"
)
CASE_COLUMNS = (
    "id, ticket_id, definition_id, step, state, source, confidence, matched, fields,"
    " opened_at, step_entered_at, closed_at, key_account"
)
CASE_UPDATABLE = frozenset({"step", "state", "fields", "step_entered_at", "closed_at"})


# -- definitions --------------------------------------------------------------------------


async def lock_definition_name(conn: Conn, name: str) -> None:
    """Serialise new versions of one definition (install and edits) until the tx ends."""
    await conn.execute("SELECT pg_advisory_xact_lock(hashtext('workflow_definition:' || $1))", name)


async def latest_definition(conn: Conn, name: str) -> dict[str, Any] | None:
    row = await conn.fetchrow(
        f"SELECT {DEFINITION_COLUMNS} FROM workflow_definitions d"
        " LEFT JOIN users u ON u.id = d.created_by"
        " WHERE d.name = $1 ORDER BY d.version DESC LIMIT 1",
        name,
    )
    return dict(row) if row else None


async def definition_by_id(conn: Conn, definition_id: int) -> dict[str, Any] | None:
    row = await conn.fetchrow(
        f"SELECT {DEFINITION_COLUMNS} FROM workflow_definitions d"
        " LEFT JOIN users u ON u.id = d.created_by WHERE d.id = $1",
        definition_id,
    )
    return dict(row) if row else None


async def definition_versions(conn: Conn, name: str) -> list[dict[str, Any]]:
    """Every stored version of `name`, newest first, without their bodies."""
    rows = await conn.fetch(
        "SELECT d.id, d.version, d.created_at, d.created_by,"
        " coalesce(u.name, '') AS created_by_name FROM workflow_definitions d"
        " LEFT JOIN users u ON u.id = d.created_by WHERE d.name = $1 ORDER BY d.version DESC",
        name,
    )
    return [dict(r) for r in rows]


async def insert_definition(
    conn: Conn,
    *,
    name: str,
    version: int,
    body: Mapping[str, Any],
    created_at: datetime,
    created_by: UUID | None,
) -> int | None:
    """Store a version; None when that version of the name exists already."""
    value: int | None = await conn.fetchval(
        "INSERT INTO workflow_definitions (name, version, body, created_at, created_by)"
        " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (name, version) DO NOTHING RETURNING id",
        name,
        version,
        dict(body),
        created_at,
        created_by,
    )
    return value


# -- cases --------------------------------------------------------------------------------


def _case(row: Mapping[str, Any]) -> Case:
    return Case(
        id=row["id"],
        ticket_id=row["ticket_id"],
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


async def insert_case(
    conn: Conn,
    *,
    ticket_id: UUID,
    definition_id: int,
    step: str,
    source: CaseSource,
    confidence: float | None,
    matched: tuple[str, ...],
    key_account: bool,
    now: datetime,
) -> Case | None:
    """A new open case; None when the ticket has a case that is not withdrawn."""
    row = await conn.fetchrow(
        "INSERT INTO cases (ticket_id, definition_id, step, state, source, confidence, matched,"
        " key_account, opened_at, step_entered_at) VALUES ($1, $2, $3, 'open', $4, $5, $6, $7,"
        " $8, $8) ON CONFLICT (ticket_id) WHERE state <> 'withdrawn' DO NOTHING"
        f" RETURNING {CASE_COLUMNS}",
        ticket_id,
        definition_id,
        step,
        source.value,
        confidence,
        list(matched),
        key_account,
        now,
    )
    return _case(row) if row else None


async def case_of_ticket(conn: Conn, ticket_id: UUID, *, lock: bool = False) -> Case | None:
    """The ticket's case that is not withdrawn (FOR UPDATE with `lock`)."""
    row = await conn.fetchrow(
        f"SELECT {CASE_COLUMNS} FROM cases WHERE ticket_id = $1 AND state <> 'withdrawn'"
        + (" FOR UPDATE" if lock else ""),
        ticket_id,
    )
    return _case(row) if row else None


async def case_definitions(conn: Conn, case_ids: list[int]) -> dict[int, int]:
    """The definition version each of these cases runs on, by case id."""
    rows = await conn.fetch(
        "SELECT id, definition_id FROM cases WHERE id = ANY($1::bigint[])", case_ids
    )
    return {r["id"]: r["definition_id"] for r in rows}


async def update_case(conn: Conn, case_id: int, **changes: Any) -> Case:
    unknown = set(changes) - CASE_UPDATABLE
    if unknown:
        raise ValueError(f"not updatable: {sorted(unknown)}")
    names = list(changes)
    sets = ", ".join(f"{name} = ${i + 2}" for i, name in enumerate(names))
    row = await conn.fetchrow(
        f"UPDATE cases SET {sets} WHERE id = $1 RETURNING {CASE_COLUMNS}",
        case_id,
        *[changes[n].value if hasattr(changes[n], "value") else changes[n] for n in names],
    )
    assert row is not None, "a case being updated was read in this transaction"
    return _case(row)


async def enter_step(
    conn: Conn, case_id: int, step: str, *, at: datetime, by: UUID | None, note: str = ""
) -> None:
    """Close the case's current step row and open one for `step`."""
    await conn.execute(
        "UPDATE case_steps SET left_at = $2 WHERE case_id = $1 AND left_at IS NULL", case_id, at
    )
    await conn.execute(
        "INSERT INTO case_steps (case_id, step, entered_at, entered_by, note)"
        " VALUES ($1, $2, $3, $4, $5)",
        case_id,
        step,
        at,
        by,
        note,
    )


async def leave_steps(conn: Conn, case_id: int, *, at: datetime) -> None:
    """Close the open step row (the case was withdrawn)."""
    await conn.execute(
        "UPDATE case_steps SET left_at = $2 WHERE case_id = $1 AND left_at IS NULL", case_id, at
    )


async def case_history(conn: Conn, case_id: int) -> list[dict[str, Any]]:
    rows = await conn.fetch(
        "SELECT s.step, s.entered_at, s.left_at, s.entered_by, s.note,"
        " coalesce(u.name, '') AS entered_by_name FROM case_steps s"
        " LEFT JOIN users u ON u.id = s.entered_by WHERE s.case_id = $1"
        " ORDER BY s.entered_at, s.id",
        case_id,
    )
    return [dict(r) for r in rows]


# -- managed lists ------------------------------------------------------------------------

LABEL_COLUMNS = "list, key, title, active, position"


async def list_labels(conn: Conn, list_name: str) -> list[dict[str, Any]]:
    rows = await conn.fetch(
        f"SELECT {LABEL_COLUMNS} FROM case_labels WHERE list = $1 ORDER BY position, key",
        list_name,
    )
    return [dict(r) for r in rows]


async def get_label(
    conn: Conn, list_name: str, key: str, *, lock: bool = False
) -> dict[str, Any] | None:
    row = await conn.fetchrow(
        f"SELECT {LABEL_COLUMNS} FROM case_labels WHERE list = $1 AND key = $2"
        + (" FOR UPDATE" if lock else ""),
        list_name,
        key,
    )
    return dict(row) if row else None


async def insert_label(
    conn: Conn, list_name: str, key: str, title: Mapping[str, str], *, position: int | None
) -> dict[str, Any] | None:
    """A new entry (at the end unless `position`); None when the key exists already."""
    row = await conn.fetchrow(
        "INSERT INTO case_labels (list, key, title, position) VALUES ($1, $2, $3,"
        " coalesce($4, (SELECT coalesce(max(position) + 1, 0) FROM case_labels WHERE list = $1)))"
        f" ON CONFLICT (list, key) DO NOTHING RETURNING {LABEL_COLUMNS}",
        list_name,
        key,
        dict(title),
        position,
    )
    return dict(row) if row else None


async def update_label(conn: Conn, list_name: str, key: str, **changes: Any) -> dict[str, Any]:
    names = [n for n in ("title", "active", "position") if n in changes]
    sets = ", ".join(f"{name} = ${i + 3}" for i, name in enumerate(names))
    row = await conn.fetchrow(
        f"UPDATE case_labels SET {sets} WHERE list = $1 AND key = $2 RETURNING {LABEL_COLUMNS}",
        list_name,
        key,
        *[changes[n] for n in names],
    )
    assert row is not None, "a label being updated was read in this transaction"
    return dict(row)


async def labels_installed(conn: Conn) -> bool:
    return bool(await conn.fetchval("SELECT EXISTS (SELECT 1 FROM case_labels)"))
