"""SQL for the account facts the tier run writes (tier, key account), and for finding accounts
by what an import names them with. Set-based: a run touches thousands of accounts at once."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from contact_center.db import Conn

# Tickets follow through the organizations trigger of 0025 (tier, is_key_account).
SET_TIERS = """
WITH wanted AS (
    SELECT * FROM unnest($1::uuid[], $2::text[], $3::boolean[]) AS w(id, tier, is_key)
), old AS (
    SELECT o.id, o.tier, o.is_key_account FROM organizations o JOIN wanted w ON w.id = o.id
    FOR UPDATE OF o
)
UPDATE organizations o SET tier = w.tier, is_key_account = w.is_key, updated_at = now()
FROM wanted w JOIN old ON old.id = w.id
WHERE o.id = w.id
  AND (o.tier, o.is_key_account) IS DISTINCT FROM (w.tier, w.is_key)
RETURNING o.id, old.tier AS old_tier, old.is_key_account AS old_key, o.tier, o.is_key_account,
          o.account_manager_id
"""
ACCOUNT_FACTS = """
SELECT id, name, tier, is_key_account, account_manager_id, lifecycle_stage, personal
FROM organizations WHERE id = ANY($1::uuid[])
"""
LOCK_FACTS = """
SELECT id, name, tier, is_key_account, account_manager_id, lifecycle_stage, personal
FROM organizations WHERE id = $1 FOR UPDATE
"""
BY_ID = "SELECT id FROM organizations WHERE id = ANY($1::uuid[])"
# Each name or identity with every account it names: more than one is ambiguous.
BY_NAME = """
SELECT lower(name) AS key, array_agg(DISTINCT id) AS ids FROM organizations
WHERE lower(name) = ANY($1::text[]) AND NOT personal GROUP BY lower(name)
"""
BY_IDENTITY = """
SELECT i.value AS key, array_agg(DISTINCT c.organization_id) AS ids FROM customer_identities i
JOIN customers c ON c.id = i.customer_id
WHERE i.value = ANY($1::text[]) AND c.merged_into_id IS NULL GROUP BY i.value
"""


async def set_tiers(
    conn: Conn, ids: list[UUID], tiers: list[str | None], keys: list[bool]
) -> list[Any]:
    return list(await conn.fetch(SET_TIERS, ids, tiers, keys))


async def account_facts(conn: Conn, ids: list[UUID]) -> list[Any]:
    return list(await conn.fetch(ACCOUNT_FACTS, ids))


async def lock_account_facts(conn: Conn, org_id: UUID) -> Any:
    return await conn.fetchrow(LOCK_FACTS, org_id)


async def existing_ids(conn: Conn, ids: list[UUID]) -> set[UUID]:
    return {row["id"] for row in await conn.fetch(BY_ID, ids)}


async def ids_by_name(conn: Conn, names: list[str]) -> dict[str, list[UUID]]:
    return {row["key"]: list(row["ids"]) for row in await conn.fetch(BY_NAME, names)}


async def ids_by_identity(conn: Conn, values: list[str]) -> dict[str, list[UUID]]:
    return {row["key"]: list(row["ids"]) for row in await conn.fetch(BY_IDENTITY, values)}


SET_MANAGER = """
WITH old AS (SELECT id, account_manager_id FROM organizations WHERE id = $1 FOR UPDATE)
UPDATE organizations o SET account_manager_id = $2, updated_at = now() FROM old
WHERE o.id = old.id RETURNING old.account_manager_id AS before, o.is_key_account
"""


async def set_manager(conn: Conn, org_id: UUID, manager_id: UUID | None) -> Any:
    return await conn.fetchrow(SET_MANAGER, org_id, manager_id)
