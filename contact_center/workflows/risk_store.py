"""SQL for accounts at risk: the complaints (cases not withdrawn) counted per account. Reads
cases with their tickets and the customers' current accounts."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from contact_center.db import Conn
from contact_center.workflows.risk import AccountComplaint

COMPLAINT_COLUMNS = """
cu.organization_id AS account_id, t.id AS ticket_id, t.number, t.subject, c.opened_at
FROM cases c JOIN tickets t ON t.id = c.ticket_id JOIN customers cu ON cu.id = t.customer_id
"""
ACCOUNT_COMPLAINTS = f"""
SELECT {COMPLAINT_COLUMNS}
WHERE c.state <> 'withdrawn' AND c.opened_at >= $2 AND cu.organization_id = ANY($1::uuid[])
ORDER BY c.opened_at DESC
"""
COMPLAINTS_SINCE = f"""
SELECT {COMPLAINT_COLUMNS}
WHERE c.state <> 'withdrawn' AND c.opened_at >= $1
ORDER BY c.opened_at DESC
"""
LOCK_ACCOUNT = "SELECT pg_advisory_xact_lock(hashtextextended('at_risk:' || $1::uuid::text, 0))"


async def list_account_complaints(
    conn: Conn, account_ids: list[UUID], *, since: datetime
) -> list[AccountComplaint]:
    """The complaints opened since `since` of these accounts, newest first."""
    rows = await conn.fetch(ACCOUNT_COMPLAINTS, account_ids, since)
    return [AccountComplaint(**_fields(r)) for r in rows]


async def list_complaints_since(conn: Conn, *, since: datetime) -> list[AccountComplaint]:
    """Every account's complaints opened since `since`, newest first (the window of the at-risk
    rule: days, not years, of complaints)."""
    return [AccountComplaint(**_fields(r)) for r in await conn.fetch(COMPLAINTS_SINCE, since)]


async def lock_account_risk(conn: Conn, account_id: UUID) -> None:
    """Serialize deciding an account's crossing until the transaction ends: two complaints
    committed at once must not both (or neither) see the crossing."""
    await conn.execute(LOCK_ACCOUNT, account_id)


def _fields(row: Any) -> dict[str, Any]:
    return dict(row)
