"""SQL of contact per account: the last message in or out on an account's tickets and how many
of its tickets saw contact lately (for lifecycle stages and loyalty)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from contact_center.db import Conn

# One pass over the messages for every account; internal notes are not contact. The account
# is the customer's (a ticket names an organization only for a shared one, not a personal one).
CONTACTS_BY_ACCOUNT = """
SELECT c.organization_id,
       max(m.created_at) AS last_contact_at,
       count(DISTINCT t.id) FILTER (WHERE m.created_at >= $1) AS tickets_since
FROM messages m JOIN tickets t ON t.id = m.ticket_id JOIN customers c ON c.id = t.customer_id
WHERE m.direction IN ('inbound', 'outbound') AND c.organization_id IS NOT NULL
  AND m.created_at <= $2
GROUP BY c.organization_id
"""


async def contacts_by_account(
    conn: Conn, since: datetime, until: datetime
) -> dict[UUID, tuple[datetime, int]]:
    rows = await conn.fetch(CONTACTS_BY_ACCOUNT, since, until)
    return {row["organization_id"]: (row["last_contact_at"], row["tickets_since"]) for row in rows}
