"""Accounts' contacts read in one statement (for messages that go to many accounts)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from contact_center.db import Conn

CONTACTS = """
SELECT c.organization_id, c.id AS customer_id, c.name, c.language, c.preferred_channel,
    c.sms_opted_out,
    coalesce((SELECT array_agg(i.value ORDER BY i.created_at, i.id) FROM customer_identities i
        WHERE i.customer_id = c.id AND i.kind = 'phone'), '{}') AS phones
FROM customers c
WHERE c.organization_id = ANY($1::uuid[]) AND c.merged_into_id IS NULL
ORDER BY c.organization_id, c.created_at, c.id
"""


async def contacts(conn: Conn, organization_ids: Sequence[UUID]) -> list[Any]:
    return list(await conn.fetch(CONTACTS, list(organization_ids)))
