"""Routing's SQL: agents, work items and offers; the only module writing these tables (the
queues: queue_store.py).

Lock order, kept by every function here and the services calling them: the ticket (when the
item is a ticket's: `tickets.lock_for_routing`, or the ticket change by hand that calls in),
then the work item, then its offer, then the agent. Dispatch takes agents and items with SKIP
LOCKED, so it never waits.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from uuid import UUID

from contact_center.db import Conn
from contact_center.errors import NotFound
from contact_center.routing.choice import MAX_WIDENED
from contact_center.routing.model import (
    Agent,
    ItemKind,
    ItemRequest,
    ItemState,
    Offer,
    Presence,
    Priority,
    WorkItem,
    Workload,
)

NOTIFY_CHANNEL = "routing"
LIVE = ("waiting", "offered", "assigned")


async def notify_dispatchers(conn: Conn) -> None:
    """Wake the routing runners on commit (PostgreSQL folds repeats within a transaction)."""
    await conn.execute("SELECT pg_notify($1, '')", NOTIFY_CHANNEL)


# -- agents ---------------------------------------------------------------------------------

AGENT_COLUMNS = """a.user_id, u.name, a.presence, a.reason, a.since, a.skills, u.queues,
a.voice_capacity, a.messaging_capacity, a.voice_load, a.messaging_load, a.idle_since,
a.last_offered_at, CASE WHEN a.handled_day = $DAY THEN a.handled_today ELSE 0 END AS handled_today,
a.missed_offers, a.phone, a.client_identity"""


def _agent_sql(sql: str, day_param: str) -> str:
    return sql.replace("$AGENT", AGENT_COLUMNS).replace("$DAY", day_param)


def agent_from_row(row: Any) -> Agent:
    values = dict(row)
    values["presence"] = Presence(values["presence"])
    values["skills"] = tuple(values["skills"])
    values["queues"] = tuple(values["queues"])
    return Agent(**values)


async def ensure_agent(conn: Conn, user_id: UUID, *, now: datetime) -> None:
    """Every staff user has an agent row from the first time routing hears of them."""
    done = await conn.execute(
        "INSERT INTO agents (user_id, since, idle_since) SELECT id, $2, $2 FROM users"
        " WHERE id = $1 ON CONFLICT (user_id) DO NOTHING",
        user_id,
        now,
    )
    if done == "INSERT 0 0" and not await conn.fetchval(
        "SELECT EXISTS (SELECT 1 FROM users WHERE id = $1)", user_id
    ):
        raise NotFound("no such user", field="user_id")


GET_AGENT = "SELECT $AGENT FROM agents a JOIN users u ON u.id = a.user_id WHERE a.user_id = $1"


async def get_agent(conn: Conn, user_id: UUID, *, today: date, lock: bool = False) -> Agent:
    """The agent, `handled_today` counted for the site's date `today`."""
    sql = _agent_sql(GET_AGENT, "$2::date") + (" FOR UPDATE OF a" if lock else "")
    row = await conn.fetchrow(sql, user_id, today)
    if row is None:
        raise NotFound("no such agent", field="user_id")
    return agent_from_row(row)


async def list_agents(conn: Conn, *, today: date) -> list[Agent]:
    sql = _agent_sql(
        "SELECT $AGENT FROM agents a JOIN users u ON u.id = a.user_id WHERE u.active"
        " ORDER BY u.name, a.user_id",
        "$1::date",
    )
    return [agent_from_row(r) for r in await conn.fetch(sql, today)]


# Agents who can be offered something now: available, room for a kind of work that is waiting
# (an agent with a free messaging slot but a full voice line is no use to a line of calls, and
# would crowd the usable ones out of the claim; an agent on the phone takes no messaging work,
# as `Agent.free` says), no offer pending. Longest idle first.
CLAIM_AGENTS = """
SELECT $AGENT FROM agents a JOIN users u ON u.id = a.user_id
WHERE a.presence = 'available' AND u.active
  AND ((a.voice_load < a.voice_capacity
        AND EXISTS (SELECT 1 FROM work_items WHERE state = 'waiting' AND kind <> 'ticket'))
       OR (a.messaging_load < a.messaging_capacity AND a.voice_load = 0
           AND EXISTS (SELECT 1 FROM work_items WHERE state = 'waiting' AND kind = 'ticket')))
  AND NOT EXISTS (SELECT 1 FROM offers o WHERE o.user_id = a.user_id AND o.outcome = 'pending')
ORDER BY a.idle_since LIMIT $2
FOR UPDATE OF a SKIP LOCKED
"""


async def claim_agents(conn: Conn, *, today: date, limit: int) -> list[Agent]:
    rows = await conn.fetch(_agent_sql(CLAIM_AGENTS, "$1::date"), today, limit)
    return [agent_from_row(r) for r in rows]


async def update_presence(
    conn: Conn, user_id: UUID, presence: Presence, reason: str, *, now: datetime
) -> None:
    """A new presence restarts `since`; becoming available clears the missed-offer count and
    starts the idle time."""
    await conn.execute(
        """UPDATE agents SET
             since = CASE WHEN presence = $2 THEN since ELSE $4 END,
             idle_since = CASE WHEN presence <> 'available' AND $2 = 'available' THEN $4
                               ELSE idle_since END,
             missed_offers = CASE WHEN $2 = 'available' THEN 0 ELSE missed_offers END,
             presence = $2, reason = $3, updated_at = $4
           WHERE user_id = $1""",
        user_id,
        str(presence),
        reason,
        now,
    )


async def update_agent_settings(conn: Conn, user_id: UUID, changes: dict[str, Any]) -> None:
    allowed = ("skills", "voice_capacity", "messaging_capacity", "phone", "client_identity")
    columns = [c for c in allowed if c in changes]
    if not columns:
        return
    sets = ", ".join(f"{c} = ${n}" for n, c in enumerate(columns, start=2))
    await conn.execute(
        f"UPDATE agents SET {sets}, updated_at = now() WHERE user_id = $1",
        user_id,
        *[changes[c] for c in columns],
    )


# Release one unit of load: after an offer ended undecided or assigned work ended.
RELEASE_LOAD = _agent_sql(
    """
UPDATE agents a SET
  voice_load = a.voice_load - ($2 = 'voice')::int,
  messaging_load = a.messaging_load - ($2 = 'messaging')::int,
  idle_since = $3, updated_at = $3, missed_offers = CASE WHEN $4 THEN 0 ELSE a.missed_offers END
FROM users u WHERE a.user_id = $1 AND u.id = a.user_id
RETURNING $AGENT
""",
    "$5::date",
)


async def release_load(
    conn: Conn, user_id: UUID, workload: Workload, *, now: datetime, answered: bool = False
) -> Agent:
    """One unit of the workload's capacity free again; the agent after, for live events (which
    do not show `handled_today`: it is 0 here, the site's date being unknown). `answered` (the
    agent said no to an offer) also ends a run of missed offers."""
    row = await conn.fetchrow(RELEASE_LOAD, user_id, str(workload), now, answered, None)
    if row is None:
        raise NotFound("no such agent", field="user_id")
    return agent_from_row(row)


# The guard is the capacity rule: a full agent's row is not changed and nothing is returned.
RESERVE_LOAD = """
UPDATE agents SET
  voice_load = voice_load + ($2 = 'voice')::int,
  messaging_load = messaging_load + ($2 = 'messaging')::int,
  updated_at = $3
WHERE user_id = $1 AND CASE WHEN $2 = 'voice' THEN voice_load < voice_capacity
                            ELSE messaging_load < messaging_capacity END
RETURNING user_id
"""


async def reserve_load(conn: Conn, user_id: UUID, workload: Workload, *, now: datetime) -> bool:
    return await conn.fetchval(RESERVE_LOAD, user_id, str(workload), now) is not None


COUNT_HANDLED = _agent_sql(
    """
UPDATE agents a SET
  handled_today = CASE WHEN a.handled_day = $2 THEN a.handled_today + 1 ELSE 1 END,
  handled_day = $2, missed_offers = 0
FROM users u WHERE a.user_id = $1 AND u.id = a.user_id
RETURNING $AGENT
""",
    "$2::date",
)


async def count_handled(conn: Conn, user_id: UUID, *, today: date) -> Agent:
    """One more item handled on the site's date `today`; a successful take also ends a run of
    missed offers. The agent after."""
    row = await conn.fetchrow(COUNT_HANDLED, user_id, today)
    if row is None:
        raise NotFound("no such agent", field="user_id")
    return agent_from_row(row)


# Offers that ran out: the load they held is released and each counts as missed; an agent
# reaching the limit is set away (the reason says why) so nothing more is offered to them.
MISS_OFFERS = """
UPDATE agents a SET
  voice_load = voice_load - m.voice, messaging_load = messaging_load - m.messaging,
  missed_offers = missed_offers + m.n, idle_since = $4, updated_at = $4,
  presence = CASE WHEN missed_offers + m.n >= $5 AND presence = 'available' THEN 'away'
                  ELSE presence END,
  reason = CASE WHEN missed_offers + m.n >= $5 AND presence = 'available' THEN $6 ELSE reason END,
  since = CASE WHEN missed_offers + m.n >= $5 AND presence = 'available' THEN $4 ELSE since END
FROM (SELECT u AS user_id, count(*)::int AS n, count(*) FILTER (WHERE w = 'voice')::int AS voice,
             count(*) FILTER (WHERE w = 'messaging')::int AS messaging
      FROM unnest($1::uuid[], $2::text[]) AS t(u, w) GROUP BY u) m
WHERE a.user_id = m.user_id
RETURNING a.user_id, a.presence, $3::int AS unused
"""


async def miss_offers(
    conn: Conn,
    expired: Sequence[Offer],
    *,
    now: datetime,
    away_after: int,
    away_reason: str,
) -> list[tuple[UUID, Presence]]:
    """(agent, presence after) for every agent who let one of `expired` run out."""
    rows = await conn.fetch(
        MISS_OFFERS,
        [o.user_id for o in expired],
        [str(o.workload) for o in expired],
        0,
        now,
        away_after,
        away_reason,
    )
    return [(r["user_id"], Presence(r["presence"])) for r in rows]


# -- work items -----------------------------------------------------------------------------

ITEM_COLUMNS = """w.id, w.kind, w.channel, w.queue, w.priority, w.enqueued_at, w.state,
w.ticket_id, w.call_id, w.callback_id, w.customer_id, w.key_account, w.complaint,
w.preferred_agent_ids, w.skills, w.widened, w.assigned_to, w.summary"""


def item_from_row(row: Any) -> WorkItem:
    values = dict(row)
    values["kind"] = ItemKind(values["kind"])
    values["priority"] = Priority(values["priority"])
    values["state"] = ItemState(values["state"])
    values["preferred_agent_ids"] = tuple(values["preferred_agent_ids"])
    values["skills"] = tuple(values["skills"])
    values["declined_by"] = frozenset(values.pop("declined_by", None) or ())
    return WorkItem(**values)


INSERT_ITEM = """
INSERT INTO work_items (kind, channel, queue, ticket_id, call_id, callback_id, customer_id,
  priority, key_account, complaint, preferred_agent_ids, skills, enqueued_at, rank_at, summary)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
ON CONFLICT DO NOTHING
RETURNING id
"""


async def insert_item(
    conn: Conn,
    request: ItemRequest,
    *,
    channel: str,
    skills: list[str],
    now: datetime,
    rank_at: datetime,
) -> UUID | None:
    """The new item's id, or None when the ticket, call or callback already has a live item."""
    found: UUID | None = await conn.fetchval(
        INSERT_ITEM,
        str(request.kind),
        channel,
        request.queue,
        request.ticket_id,
        request.call_id,
        request.callback_id,
        request.customer_id,
        str(request.priority),
        request.key_account,
        request.complaint,
        list(dict.fromkeys(request.preferred_agent_ids)),
        skills,
        now,
        rank_at,
        json.loads(json.dumps(request.summary, default=str)),  # UUIDs, dates as text
    )
    return found


FIND_LIVE_ITEM = f"""
SELECT {ITEM_COLUMNS} FROM work_items w
WHERE state IN ('waiting', 'offered', 'assigned')
  AND (ticket_id = $1 OR call_id = $2 OR callback_id = $3)
"""


async def find_live_item(
    conn: Conn,
    *,
    ticket_id: UUID | None,
    call_id: UUID | None,
    callback_id: UUID | None,
    lock: bool = False,
) -> WorkItem | None:
    sql = FIND_LIVE_ITEM + (" FOR UPDATE" if lock else "")
    row = await conn.fetchrow(sql, ticket_id, call_id, callback_id)
    return item_from_row(row) if row is not None else None


async def ticket_of_item(conn: Conn, item_id: UUID) -> UUID | None:
    """The ticket a work item is for (never changes: read without a lock)."""
    found: UUID | None = await conn.fetchval(
        "SELECT ticket_id FROM work_items WHERE id = $1", item_id
    )
    return found


async def lock_item(conn: Conn, item_id: UUID) -> WorkItem:
    row = await conn.fetchrow(
        f"SELECT {ITEM_COLUMNS} FROM work_items w WHERE id = $1 FOR UPDATE", item_id
    )
    if row is None:
        raise NotFound("no such work item")
    return item_from_row(row)


# The head of the waiting line among the items the claimed agents could serve, that no other
# dispatcher holds, with the agents who let each item go before (they are tried last). "Could
# serve" is `choice.eligible` (and the preferred-agent rule) in SQL, against each claimed
# agent's free workloads, queues and skills: items nobody claimed can take (a backlog of email
# while the messaging slots are full, a call needing a skill no free agent has) are passed
# over instead of filling the batch, so they never hold up the work behind them.
CLAIM_ITEMS = f"""
WITH a AS MATERIALIZED (
  SELECT * FROM jsonb_to_recordset($2::text::jsonb)
    AS a(user_id uuid, voice boolean, messaging boolean, queues text[], skills text[])
)
SELECT {ITEM_COLUMNS},
  ARRAY(SELECT o.user_id FROM offers o WHERE o.item_id = w.id
        AND o.outcome IN ('rejected', 'expired')) AS declined_by
FROM work_items w LEFT JOIN queues q ON q.name = w.queue
CROSS JOIN LATERAL (
  SELECT CASE WHEN q.name IS NULL THEN {MAX_WIDENED}
         ELSE GREATEST(w.widened, LEAST({MAX_WIDENED}, floor(
           extract(epoch FROM $3::timestamptz - w.enqueued_at) / q.step_seconds)::int)) END
    AS level
) l
WHERE w.state = 'waiting' AND EXISTS (
  SELECT 1 FROM a
  WHERE CASE WHEN w.kind = 'ticket' THEN a.messaging ELSE a.voice END
    AND (a.user_id = ANY(w.preferred_agent_ids)
         OR ((cardinality(a.queues) = 0 OR w.queue = ANY(a.queues))
             AND (l.level >= 1 OR w.skills <@ a.skills))
         OR (l.level >= {MAX_WIDENED} AND q.overflow_queue IS NOT NULL
             AND (cardinality(a.queues) = 0 OR q.overflow_queue = ANY(a.queues))))
)
ORDER BY w.rank_at LIMIT $1
FOR UPDATE OF w SKIP LOCKED
"""


async def claim_items(
    conn: Conn, *, limit: int, agents: Sequence[Agent], now: datetime
) -> list[WorkItem]:
    """The first `limit` waiting items in rank order that one of `agents` could take."""
    free = [
        {
            "user_id": str(a.user_id),
            "voice": a.free(Workload.VOICE) > 0,
            "messaging": a.free(Workload.MESSAGING) > 0,
            "queues": list(a.queues),
            "skills": list(a.skills),
        }
        for a in agents
    ]
    rows = await conn.fetch(CLAIM_ITEMS, limit, json.dumps(free), now)
    return [item_from_row(r) for r in rows]


async def set_item_state(conn: Conn, item_id: UUID, state: ItemState) -> None:
    await conn.execute("UPDATE work_items SET state = $2 WHERE id = $1", item_id, str(state))


async def assign(conn: Conn, item_id: UUID, user_id: UUID, *, now: datetime) -> None:
    await conn.execute(
        "UPDATE work_items SET state = 'assigned', assigned_to = $2, assigned_at = $3"
        " WHERE id = $1",
        item_id,
        user_id,
        now,
    )


async def end_item(
    conn: Conn, item_id: UUID, state: ItemState, reason: str, *, now: datetime
) -> None:
    await conn.execute(
        "UPDATE work_items SET state = $2, end_reason = $3, ended_at = $4 WHERE id = $1",
        item_id,
        str(state),
        reason,
        now,
    )
