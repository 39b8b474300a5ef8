"""Visit requests' SQL."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from contact_center.db import Conn
from contact_center.visits.model import VisitReason, VisitRequest, VisitRequestState

COLUMNS = "id, organization_id, ticket_id, reason, requested_at, due_by, state, note"
INSERT = f"""
INSERT INTO visit_requests (organization_id, ticket_id, reason, requested_at, due_by, note)
VALUES ($1, $2, $3, $4, $5, $6)
RETURNING {COLUMNS}
"""
FOR_TICKET = f"SELECT {COLUMNS} FROM visit_requests WHERE ticket_id = $1 ORDER BY requested_at, id"


def _request(row: Any) -> VisitRequest:
    data = dict(row)
    data["reason"] = VisitReason(data["reason"])
    data["state"] = VisitRequestState(data["state"])
    return VisitRequest(**data)


async def insert_request(
    conn: Conn,
    *,
    organization_id: UUID,
    ticket_id: UUID | None,
    reason: VisitReason,
    requested_at: datetime,
    due_by: datetime,
    note: str,
) -> VisitRequest:
    row = await conn.fetchrow(
        INSERT, organization_id, ticket_id, reason.value, requested_at, due_by, note
    )
    return _request(row)


async def set_request_note(conn: Conn, request_id: UUID, note: str) -> VisitRequest:
    row = await conn.fetchrow(
        f"UPDATE visit_requests SET note = $2 WHERE id = $1 RETURNING {COLUMNS}", request_id, note
    )
    return _request(row)


async def for_ticket(conn: Conn, ticket_id: UUID) -> list[VisitRequest]:
    return [_request(row) for row in await conn.fetch(FOR_TICKET, ticket_id)]


async def manager_of(conn: Conn, organization_id: UUID) -> UUID | None:
    found: UUID | None = await conn.fetchval(
        "SELECT account_manager_id FROM organizations WHERE id = $1", organization_id
    )
    return found


async def due_by(conn: Conn, request_id: UUID) -> datetime | None:
    found: datetime | None = await conn.fetchval(
        "SELECT due_by FROM visit_requests WHERE id = $1", request_id
    )
    return found


async def lock_account_requests(conn: Conn, organization_id: UUID) -> None:
    """One request writer per account at a time (two clicks at once ask once)."""
    await conn.execute(
        "SELECT pg_advisory_xact_lock(hashtext('visit-request:' || $1::uuid::text))",
        organization_id,
    )


async def open_request(
    conn: Conn, organization_id: UUID, reason: VisitReason
) -> VisitRequest | None:
    """The account's request of this reason still open: waiting for the planner, or on a
    visit not made yet."""
    row = await conn.fetchrow(
        f"""SELECT {COLUMNS} FROM visit_requests r WHERE r.organization_id = $1
        AND r.reason = $2 AND (r.state = 'requested' OR (r.state = 'planned' AND EXISTS (
            SELECT 1 FROM visits v WHERE v.request_id = r.id
            AND v.state IN ('planned', 'confirmed'))))
        ORDER BY r.requested_at DESC, r.id LIMIT 1""",
        organization_id,
        reason.value,
    )
    return _request(row) if row else None
