"""SQL of the accounts' lifecycle stages: every account's stage and key facts in one read, and
many stages written in one statement."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from contact_center.db import Conn

ACCOUNTS = """
SELECT id, lifecycle_stage, is_key_account, account_manager_id, created_at
FROM organizations ORDER BY id
"""
# Only rows whose stage really changes are written; the old stage comes back for the audit.
SET_STAGES = """
WITH wanted AS (
    SELECT unnest($1::uuid[]) AS id, unnest($2::text[]) AS stage
), old AS (
    SELECT o.id, o.lifecycle_stage FROM organizations o JOIN wanted w ON w.id = o.id
    WHERE o.lifecycle_stage <> w.stage
    FOR UPDATE OF o
)
UPDATE organizations o SET lifecycle_stage = w.stage, updated_at = $3
FROM wanted w JOIN old ON old.id = w.id
WHERE o.id = w.id
RETURNING o.id, old.lifecycle_stage AS before, o.lifecycle_stage AS after
"""


async def accounts(conn: Conn) -> list[Any]:
    return list(await conn.fetch(ACCOUNTS))


async def set_stages(
    conn: Conn, ids: list[UUID], stages: list[str], now: datetime
) -> list[tuple[UUID, str, str]]:
    rows = await conn.fetch(SET_STAGES, ids, stages, now)
    return [(row["id"], row["before"], row["after"]) for row in rows]
