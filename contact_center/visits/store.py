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
