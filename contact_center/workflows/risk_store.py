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
ACCOUNTS_WITH_COMPLAINTS = """
SELECT cu.organization_id AS account_id
FROM cases c JOIN tickets t ON t.id = c.ticket_id JOIN customers cu ON cu.id = t.customer_id
WHERE c.state <> 'withdrawn' AND c.opened_at >= $1
GROUP BY 1 HAVING count(*) >= $2
ORDER BY max(c.opened_at) DESC
LIMIT $3
"""
LOCK_ACCOUNT = "SELECT pg_advisory_xact_lock(hashtextextended('at_risk:' || $1::uuid::text, 0))"


async def list_account_complaints(
    conn: Conn, account_ids: list[UUID], *, since: datetime
) -> list[AccountComplaint]:
    """The complaints opened since `since` of these accounts, newest first."""
    rows = await conn.fetch(ACCOUNT_COMPLAINTS, account_ids, since)
    return [AccountComplaint(**_fields(r)) for r in rows]


async def list_accounts_with_complaints(
    conn: Conn, *, since: datetime, at_least: int, limit: int
) -> list[UUID]:
    """Accounts with `at_least` complaints opened since `since`, the latest complaint first."""
    return [
        r["account_id"] for r in await conn.fetch(ACCOUNTS_WITH_COMPLAINTS, since, at_least, limit)
    ]


async def lock_account_risk(conn: Conn, account_id: UUID) -> None:
    """Serialize deciding an account's crossing until the transaction ends: two complaints
    committed at once must not both (or neither) see the crossing."""
    await conn.execute(LOCK_ACCOUNT, account_id)


def _fields(row: Any) -> dict[str, Any]:
    return dict(row)
