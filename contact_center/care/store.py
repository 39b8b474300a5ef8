"""Care messages SQL: who a segment or an occasion reaches, greetings sent once per occasion,
and the customers who want no care messages (broadcasts: `broadcast_store`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from contact_center.care.model import Reachable, Segment
from contact_center.db import Conn

# One row per customer with what addressing needs; merged customers are never reached.
REACHABLE = """
SELECT c.id AS customer_id, c.name, c.language, c.preferred_channel, c.sms_opted_out,
       c.birthday, c.tags,
       -- A card merged into this one keeps speaking: its "no care messages" still holds.
       EXISTS (SELECT FROM care_opt_outs co JOIN customers m ON m.id = co.customer_id
               WHERE m.id = c.id OR m.merged_into_id = c.id) AS care_opted_out,
       array(SELECT i.value FROM customer_identities i
             WHERE i.customer_id = c.id AND i.kind = 'phone'
             ORDER BY i.created_at, i.value) AS phones,
       array(SELECT i.value FROM customer_identities i
             WHERE i.customer_id = c.id AND i.kind = 'email' AND i.bouncing_since IS NULL
             ORDER BY i.created_at, i.value) AS emails
FROM customers c
JOIN organizations o ON o.id = c.organization_id
WHERE c.merged_into_id IS NULL
"""
IN_SEGMENT = (
    REACHABLE
    + """
  AND (cardinality($1::text[]) = 0 OR o.tier = ANY($1))
  AND (cardinality($2::text[]) = 0 OR o.route_territory = ANY($2))
  AND (cardinality($3::text[]) = 0 OR c.tags && $3 OR o.tags && $3)
  AND (cardinality($4::text[]) = 0 OR o.lifecycle_stage = ANY($4))
  AND (NOT $5 OR o.is_key_account)
ORDER BY c.id
"""
)
BY_IDS = REACHABLE + " AND c.id = ANY($1::uuid[]) ORDER BY c.id"
# Birthdays on the given (month, day) pairs, or tagged for the day's holiday.
GREETING_CANDIDATES = (
    REACHABLE
    + """
  AND (($1 AND c.birthday IS NOT NULL
        AND (extract(month FROM c.birthday)::int, extract(day FROM c.birthday)::int)
            IN (SELECT m, d FROM unnest($2::int[], $3::int[]) AS b(m, d)))
       OR (cardinality($4::text[]) > 0 AND c.tags && $4))
ORDER BY c.id
"""
)
SENT_OCCASIONS = """
SELECT customer_id, occasion FROM care_sends
WHERE customer_id = ANY($1::uuid[]) AND occasion = ANY($2::text[])
"""
CLAIM_SENDS = """
INSERT INTO care_sends (customer_id, occasion, at)
SELECT c, o, $3 FROM unnest($1::uuid[], $2::text[]) AS u(c, o)
ON CONFLICT DO NOTHING RETURNING customer_id, occasion
"""
FINISH_SENDS = """
UPDATE care_sends s SET outbound_id = u.o, skipped = u.s
FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[]) AS u(c, occ, o, s)
WHERE s.customer_id = u.c AND s.occasion = u.occ
"""
GET_OPT_OUT = "SELECT since FROM care_opt_outs WHERE customer_id = $1"
SET_OPT_OUT = """
INSERT INTO care_opt_outs (customer_id, since, set_by) VALUES ($1, $2, $3)
ON CONFLICT (customer_id) DO NOTHING
"""
CLEAR_OPT_OUT = "DELETE FROM care_opt_outs WHERE customer_id = $1"
CUSTOMER_CARE = """
SELECT 'opted_out' AS kind, '' AS name, NULL::uuid AS outbound_id, NULL AS skipped, since AS at
FROM care_opt_outs WHERE customer_id = $1
UNION ALL
SELECT 'greeting' AS kind, occasion AS name, outbound_id, skipped, at FROM care_sends
WHERE customer_id = $1
UNION ALL
SELECT 'broadcast', b.name, r.outbound_id, r.skipped, coalesce(r.handled_at, b.created_at)
FROM broadcast_recipients r JOIN broadcasts b ON b.id = r.broadcast_id
WHERE r.customer_id = $1
ORDER BY 5, 2
"""


def _reachable(row: Any) -> Reachable:
    return Reachable(
        customer_id=row["customer_id"],
        name=row["name"],
        language=row["language"],
        preferred_channel=row["preferred_channel"],
        phones=tuple(row["phones"]),
        emails=tuple(row["emails"]),
        sms_opted_out=row["sms_opted_out"],
        care_opted_out=row["care_opted_out"],
        birthday=row["birthday"],
        tags=tuple(row["tags"]),
    )


async def list_in_segment(conn: Conn, segment: Segment) -> list[Reachable]:
    rows = await conn.fetch(
        IN_SEGMENT,
        list(segment.tiers),
        list(segment.territories),
        list(segment.tags),
        list(segment.stages),
        segment.key_accounts_only,
    )
    return [_reachable(r) for r in rows]


async def list_by_ids(conn: Conn, customer_ids: list[UUID]) -> list[Reachable]:
    return [_reachable(r) for r in await conn.fetch(BY_IDS, customer_ids)]


async def list_greeting_candidates(
    conn: Conn, *, birthdays: bool, days: list[tuple[int, int]], holiday_tags: list[str]
) -> list[Reachable]:
    rows = await conn.fetch(
        GREETING_CANDIDATES,
        birthdays,
        [m for m, _ in days],
        [d for _, d in days],
        holiday_tags,
    )
    return [_reachable(r) for r in rows]


async def sent_occasions(
    conn: Conn, customer_ids: list[UUID], occasions: list[str]
) -> set[tuple[object, str]]:
    rows = await conn.fetch(SENT_OCCASIONS, customer_ids, occasions)
    return {(r["customer_id"], r["occasion"]) for r in rows}


async def claim_sends(
    conn: Conn, wanted: list[tuple[UUID, str]], at: datetime
) -> set[tuple[UUID, str]]:
    rows = await conn.fetch(CLAIM_SENDS, [c for c, _ in wanted], [o for _, o in wanted], at)
    return {(r["customer_id"], r["occasion"]) for r in rows}


async def finish_sends(conn: Conn, done: list[tuple[UUID, str, UUID | None, str | None]]) -> None:
    await conn.execute(
        FINISH_SENDS,
        [d[0] for d in done],
        [d[1] for d in done],
        [d[2] for d in done],
        [d[3] for d in done],
    )


async def get_opt_out(conn: Conn, customer_id: UUID) -> datetime | None:
    since: datetime | None = await conn.fetchval(GET_OPT_OUT, customer_id)
    return since


async def set_opt_out(
    conn: Conn, customer_id: UUID, opted_out: bool, *, by: UUID | None, at: datetime
) -> None:
    if opted_out:
        await conn.execute(SET_OPT_OUT, customer_id, at, by)
    else:
        await conn.execute(CLEAR_OPT_OUT, customer_id)


async def customer_care(conn: Conn, customer_id: UUID) -> list[dict[str, Any]]:
    """The customer's "no care messages" flag (kind `opted_out`), greetings and broadcasts."""
    return [dict(r) for r in await conn.fetch(CUSTOMER_CARE, customer_id)]


# What the broadcast form offers to pick from: the territories and tags in use.
SEGMENT_CHOICES = """
SELECT array(SELECT DISTINCT route_territory FROM organizations
             WHERE route_territory <> '' ORDER BY 1 LIMIT 200) AS territories,
       array(SELECT t FROM (SELECT unnest(tags) AS t FROM customers WHERE merged_into_id IS NULL
                            UNION SELECT unnest(tags) FROM organizations) AS u
             ORDER BY 1 LIMIT 200) AS tags
"""


async def segment_choices(conn: Conn) -> dict[str, list[str]]:
    row: Any = await conn.fetchrow(SEGMENT_CHOICES)
    return {"territories": list(row["territories"]), "tags": list(row["tags"])}
