"""Routing's SQL for offers: making them in a batch, deciding, expiring, and the one in front
of an agent. Same lock order as store.py: ticket, work item, offer, agent."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from uuid import UUID

from contact_center.db import Conn
from contact_center.errors import NotFound
from contact_center.routing.model import Agent, Offer, OfferOutcome, WorkItem, Workload
from contact_center.routing.store import AGENT_COLUMNS, ITEM_COLUMNS, agent_from_row, item_from_row

OFFER_COLUMNS = (
    "o.id, o.item_id, o.user_id, o.workload, o.reason, o.offered_at, o.expires_at, o.outcome"
)


def offer_from_row(row: Any) -> Offer:
    values = {k: row[k] for k in Offer.__dataclass_fields__}
    values["workload"] = Workload(values["workload"])
    values["outcome"] = OfferOutcome(values["outcome"])
    return Offer(**values)


# Offers for the matched pairs, in one statement. Each agent's load is reserved by the guarded
# UPDATE first; an item is offered only to an agent whose reservation succeeded. Both rows are
# held FOR UPDATE by the caller, so the item is still waiting.
MAKE_OFFERS = f"""
WITH m AS (
  SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::timestamptz[],
                       $6::int[]) AS m(item_id, user_id, workload, reason, expires_at, widened)
), reserved AS (
  UPDATE agents a SET
    voice_load = voice_load + (m.workload = 'voice')::int,
    messaging_load = messaging_load + (m.workload = 'messaging')::int,
    last_offered_at = $7, updated_at = $7
  FROM m WHERE a.user_id = m.user_id AND a.presence = 'available'
    AND CASE WHEN m.workload = 'voice' THEN a.voice_load < a.voice_capacity
             ELSE a.messaging_load < a.messaging_capacity END
    -- The claim's check for a pending offer saw its statement's snapshot: another round may
    -- have offered this agent something and committed just before the claim locked the row.
    -- This statement's snapshot is newer than that commit.
    AND NOT EXISTS (SELECT 1 FROM offers p WHERE p.user_id = a.user_id AND p.outcome = 'pending')
  RETURNING a.user_id
), offered AS (
  UPDATE work_items w SET state = 'offered', widened = GREATEST(w.widened, m.widened)
  FROM m JOIN reserved r ON r.user_id = m.user_id
  WHERE w.id = m.item_id AND w.state = 'waiting'
  RETURNING w.id
)
INSERT INTO offers AS o (item_id, user_id, workload, reason, offered_at, expires_at)
SELECT m.item_id, m.user_id, m.workload, m.reason, $7, m.expires_at
FROM m JOIN offered ON offered.id = m.item_id
RETURNING {OFFER_COLUMNS}
"""


async def make_offers(
    conn: Conn,
    offers: Sequence[tuple[UUID, UUID, Workload, str, datetime, int]],
    *,
    now: datetime,
) -> list[Offer]:
    """Insert offers for (item, agent, workload, reason, expires_at, widened) tuples."""
    if not offers:
        return []
    columns = list(zip(*offers, strict=True))
    rows = await conn.fetch(
        MAKE_OFFERS,
        list(columns[0]),
        list(columns[1]),
        [str(w) for w in columns[2]],
        list(columns[3]),
        list(columns[4]),
        list(columns[5]),
        now,
    )
    return [offer_from_row(r) for r in rows]


ITEM_FIELDS = [f for f in WorkItem.__dataclass_fields__ if f not in ("id", "declined_by")]
WITH_ITEM = f"{OFFER_COLUMNS}, {ITEM_COLUMNS.replace('w.id,', 'w.id AS w_id,')}"
# Row locks are taken in the order the FOR UPDATE clause names the tables: the item first.
LOCK_OFFER = f"""
SELECT {WITH_ITEM} FROM work_items w JOIN offers o ON o.item_id = w.id WHERE o.id = $1
FOR UPDATE OF w, o
"""
# The same for an item that is not a ticket's (a call's, a callback's): nothing to lock before
# it, so the common voice path needs no look-up first. Rows the filter drops are not locked.
LOCK_VOICE_OFFER = f"""
SELECT {WITH_ITEM} FROM work_items w JOIN offers o ON o.item_id = w.id
WHERE o.id = $1 AND w.ticket_id IS NULL
FOR UPDATE OF w, o
"""


def _with_item(row: Any) -> tuple[Offer, WorkItem]:
    item = item_from_row({"id": row["w_id"], **{f: row[f] for f in ITEM_FIELDS}})
    return offer_from_row(row), item


async def lock_offer(conn: Conn, offer_id: UUID) -> tuple[Offer, WorkItem]:
    """The offer and its item, both locked (the item first in the store's order: no other
    path locks an offer before its item)."""
    row = await conn.fetchrow(LOCK_OFFER, offer_id)
    if row is None:
        raise NotFound("no such offer")
    return _with_item(row)


async def lock_voice_offer(conn: Conn, offer_id: UUID) -> tuple[Offer, WorkItem] | None:
    """`lock_offer` when the offer's item is not a ticket's; None when it is (or there is no
    such offer), and then nothing is locked."""
    row = await conn.fetchrow(LOCK_VOICE_OFFER, offer_id)
    return _with_item(row) if row is not None else None


async def ticket_of_offer(conn: Conn, offer_id: UUID) -> UUID | None:
    """The ticket an offer's item is for (never changes: read without a lock)."""
    found: UUID | None = await conn.fetchval(
        "SELECT w.ticket_id FROM offers o JOIN work_items w ON w.id = o.item_id WHERE o.id = $1",
        offer_id,
    )
    return found


async def lock_pending_offer(conn: Conn, item_id: UUID) -> Offer | None:
    row = await conn.fetchrow(
        f"SELECT {OFFER_COLUMNS} FROM offers o WHERE item_id = $1 AND outcome = 'pending'"
        " FOR UPDATE",
        item_id,
    )
    return offer_from_row(row) if row is not None else None


async def pending_offer_item(conn: Conn, user_id: UUID) -> UUID | None:
    found: UUID | None = await conn.fetchval(
        "SELECT item_id FROM offers WHERE user_id = $1 AND outcome = 'pending'", user_id
    )
    return found


async def decide_offer(conn: Conn, offer_id: UUID, outcome: OfferOutcome, *, now: datetime) -> None:
    await conn.execute(
        "UPDATE offers SET outcome = $2, decided_at = $3 WHERE id = $1 AND outcome = 'pending'",
        offer_id,
        str(outcome),
        now,
    )


# An assigned item whose agent could not be reached waits again; their accepted offer counts
# as rejected, so the next round tries them last.
UNASSIGN = """
WITH declined AS (
  UPDATE offers SET outcome = 'rejected', decided_at = $2
  WHERE item_id = $1 AND outcome = 'accepted'
)
UPDATE work_items SET state = 'waiting', assigned_to = NULL, assigned_at = NULL WHERE id = $1
"""


async def unassign(conn: Conn, item_id: UUID, *, now: datetime) -> None:
    await conn.execute(UNASSIGN, item_id, now)


# Offers past their time whose items no other process holds; they are marked expired and
# their items wait again, in one statement.
EXPIRE_OFFERS = f"""
WITH due AS (
  SELECT o.id, w.id AS item_id FROM offers o JOIN work_items w ON w.id = o.item_id
  WHERE o.outcome = 'pending' AND o.expires_at <= $1 AND w.state = 'offered'
  ORDER BY o.expires_at LIMIT $2
  FOR UPDATE OF w SKIP LOCKED
), items AS (
  UPDATE work_items w SET state = 'waiting' FROM due WHERE w.id = due.item_id RETURNING w.id
)
UPDATE offers o SET outcome = 'expired', decided_at = $1
FROM due WHERE o.id = due.id AND o.outcome = 'pending'
RETURNING {OFFER_COLUMNS}
"""


async def expire_offers(conn: Conn, *, now: datetime, limit: int) -> list[Offer]:
    return [offer_from_row(r) for r in await conn.fetch(EXPIRE_OFFERS, now, limit)]


CURRENT_OFFER = f"""
SELECT {WITH_ITEM}
FROM offers o JOIN work_items w ON w.id = o.item_id
WHERE o.user_id = $1 AND o.outcome = 'pending'
"""


async def current_offer(conn: Conn, user_id: UUID) -> tuple[Offer, WorkItem] | None:
    row = await conn.fetchrow(CURRENT_OFFER, user_id)
    if row is None:
        return None
    return _with_item(row)


# An accepted offer, in one statement (its item and offer are locked already): the offer is
# accepted, the item assigned, and the agent's handled count and missed-offer run updated.
ACCEPT = """
WITH o AS (
  UPDATE offers SET outcome = 'accepted', decided_at = $2
  WHERE id = $1 AND outcome = 'pending' RETURNING item_id, user_id
), w AS (
  UPDATE work_items w SET state = 'assigned', assigned_to = o.user_id, assigned_at = $2
  FROM o WHERE w.id = o.item_id RETURNING w.id
)
UPDATE agents a SET
  handled_today = CASE WHEN a.handled_day = $3 THEN a.handled_today + 1 ELSE 1 END,
  handled_day = $3, missed_offers = 0
FROM o, w, users u WHERE a.user_id = o.user_id AND u.id = a.user_id
RETURNING AGENT_COLUMNS
"""


async def accept(conn: Conn, offer: Offer, *, now: datetime, today: date) -> Agent:
    """Accept a pending offer whose item and offer rows the caller holds; the agent after,
    one more handled on the site's date `today`."""
    sql = ACCEPT.replace("AGENT_COLUMNS", AGENT_COLUMNS.replace("$DAY", "$3::date"))
    row = await conn.fetchrow(sql, offer.id, now, today)
    if row is None:
        raise NotFound("no such pending offer")
    return agent_from_row(row)
