"""SQL for suggested duplicates: candidate pairs and dismissed pairs. Split from store.py for
size; the same rules apply (only the customers folder imports it)."""

from __future__ import annotations

from uuid import UUID

import asyncpg

from contact_center.db import Conn
from contact_center.errors import NotFound

# Candidates of a slice of customers in id order, each pair once (found from its smaller id):
# members of one organization with a similar name, one email local part at two domains, and
# phones ending in the same seven digits. Each side is an index look-up per customer of the
# slice (organization, email local part, phone tail), so a page costs the same whatever the
# size of the base (`OFFSET 0` keeps each LATERAL a per-customer look-up: flattened, the
# planner would rather scan a small table whole). The scorer (duplicates.py) decides which
# candidates are suggestions.
# The first id of all: a slice starts after it (an OR with NULL would hide the range from
# the index).
NO_ID = "00000000-0000-0000-0000-000000000000"
CANDIDATE_PAIRS = f"""
WITH slice AS MATERIALIZED (
    -- A personal account has one customer: only a real organization has members to compare.
    SELECT c.id, CASE WHEN a.personal THEN NULL ELSE c.organization_id END AS organization_id,
           c.name
    FROM customers c JOIN organizations a ON a.id = c.organization_id
    WHERE c.merged_into_id IS NULL AND c.id > coalesce($1::uuid, '{NO_ID}')
    ORDER BY c.id LIMIT $2
), pairs AS (
    SELECT s.id AS a, o.id AS b FROM slice s
    CROSS JOIN LATERAL (
        SELECT o.id FROM customers o
        WHERE o.organization_id = s.organization_id AND o.id > s.id AND o.merged_into_id IS NULL
          AND (similarity(o.name, s.name) >= 0.3
               OR lower(replace(o.name, ' ', '')) = lower(replace(s.name, ' ', '')))
        OFFSET 0
    ) AS o
    UNION
    SELECT s.id, oi.customer_id FROM slice s
    CROSS JOIN LATERAL (
        SELECT split_part(value, '@', 1) AS local FROM customer_identities
        WHERE customer_id = s.id AND kind = 'email' OFFSET 0
    ) AS si
    CROSS JOIN LATERAL (
        SELECT customer_id FROM customer_identities
        WHERE kind = 'email' AND split_part(value, '@', 1) = si.local AND customer_id > s.id
    ) AS oi
    WHERE si.local <> ALL($3::text[])
    UNION
    SELECT s.id, oi.customer_id FROM slice s
    CROSS JOIN LATERAL (
        SELECT "right"(value, 7) AS tail FROM customer_identities
        WHERE customer_id = s.id AND kind = 'phone' OFFSET 0
    ) AS si
    CROSS JOIN LATERAL (
        SELECT customer_id FROM customer_identities
        WHERE kind = 'phone' AND "right"(value, 7) = si.tail AND customer_id > s.id
    ) AS oi
)
SELECT p.a, p.b, (SELECT id FROM slice ORDER BY id DESC LIMIT 1) AS last_id FROM pairs p
WHERE NOT EXISTS (SELECT 1 FROM customer_duplicate_dismissals d
                  WHERE d.customer_a = p.a AND d.customer_b = p.b)
"""
LAST_OF_SLICE = f"""
SELECT id FROM (SELECT id FROM customers WHERE merged_into_id IS NULL
                AND id > coalesce($1::uuid, '{NO_ID}') ORDER BY id LIMIT $2) AS s
ORDER BY id DESC LIMIT 1
"""
INSERT_DISMISSAL = """
INSERT INTO customer_duplicate_dismissals (customer_a, customer_b, dismissed_by)
VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING dismissed_at
"""


async def list_candidate_pairs(
    conn: Conn, *, after: UUID | None, slice_size: int, role_mailboxes: list[str]
) -> tuple[list[tuple[UUID, UUID]], UUID | None]:
    """Candidate pairs (smaller id first) among the next `slice_size` customers after `after`,
    not dismissed; and the last customer id scanned (None when nothing was left to scan)."""
    rows = await conn.fetch(CANDIDATE_PAIRS, after, slice_size, role_mailboxes)
    if rows:
        return [(r["a"], r["b"]) for r in rows], rows[0]["last_id"]
    last: UUID | None = await conn.fetchval(LAST_OF_SLICE, after, slice_size)
    return [], last


async def insert_dismissal(conn: Conn, a: UUID, b: UUID, *, actor_id: UUID | None) -> bool:
    """Remember that (a, b), a < b, is not one person; False when it already was."""
    try:
        return await conn.fetchval(INSERT_DISMISSAL, a, b, actor_id) is not None
    except asyncpg.ForeignKeyViolationError:
        raise NotFound("no such customer") from None
