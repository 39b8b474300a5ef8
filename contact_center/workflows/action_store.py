"""SQL of a complaint's automatic actions (one row per case, action and step entry) and of
satisfaction surveys."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from contact_center.db import Conn


@dataclass(frozen=True)
class CaseAction:
    id: int
    case_id: int
    action: str
    step: str
    step_entered_at: datetime
    state: str  # action_rules.ActionState
    note: str
    payload: dict[str, Any]


@dataclass(frozen=True)
class Survey:
    id: int
    token: str
    ticket_id: UUID
    case_id: int | None
    channel: str
    to_address: str
    sent_at: datetime
    answered_at: datetime | None
    score: int | None
    comment: str
    answered_via: str | None
    ticket_number: int = 0


CLAIM = """
INSERT INTO case_actions (case_id, action, step, step_entered_at, state, payload, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT ON CONSTRAINT case_actions_once_key DO NOTHING
RETURNING id
"""
ACTION_COLUMNS = "id, case_id, action, step, step_entered_at, state, note, payload"
LOCK_ACTION = f"SELECT {ACTION_COLUMNS} FROM case_actions WHERE id = $1 FOR UPDATE"
FINISH = "UPDATE case_actions SET state = $2, note = $3, done_at = $4 WHERE id = $1"
FOR_CASE = f"SELECT {ACTION_COLUMNS} FROM case_actions WHERE case_id = $1 ORDER BY id"

SURVEY_COLUMNS = """s.id, s.token, s.ticket_id, s.case_id, s.channel,
    s.to_address, s.sent_at, s.answered_at, s.score, s.comment, s.answered_via,
    t.number AS ticket_number"""
INSERT_SURVEY = """
INSERT INTO surveys (token, ticket_id, case_id, channel, to_address, sent_at)
VALUES ($1, $2, $3, $4, $5, $6)
RETURNING id
"""
SURVEY_BY_TOKEN = f"""
SELECT {SURVEY_COLUMNS} FROM surveys s JOIN tickets t ON t.id = s.ticket_id WHERE s.token = $1
"""
SURVEY_BY_ID = f"""
SELECT {SURVEY_COLUMNS} FROM surveys s JOIN tickets t ON t.id = s.ticket_id WHERE s.id = $1
"""
# The customer's latest survey still open to a reply on this channel (a reply answers the
# newest). Through the ticket: a merge of customers moves their tickets, so their surveys follow.
OPEN_SURVEY = f"""
SELECT {SURVEY_COLUMNS} FROM surveys s JOIN tickets t ON t.id = s.ticket_id
WHERE t.customer_id = $1 AND s.channel = $2 AND s.answered_at IS NULL AND s.sent_at > $3
ORDER BY s.sent_at DESC, s.id DESC LIMIT 1
FOR UPDATE OF s
"""
# The first answer wins: a second (a link after an SMS reply, a double click) changes nothing.
ANSWER = """
UPDATE surveys SET answered_at = $2, score = $3, comment = $4, answered_via = $5
WHERE id = $1 AND answered_at IS NULL
RETURNING id
"""
FOR_TICKET = f"""
SELECT {SURVEY_COLUMNS} FROM surveys s JOIN tickets t ON t.id = s.ticket_id
WHERE s.ticket_id = $1 ORDER BY s.sent_at, s.id
"""


def _action(row: Any) -> CaseAction:
    return CaseAction(**dict(row))


def _survey(row: Any) -> Survey:
    return Survey(**dict(row))


async def claim_action(
    conn: Conn,
    *,
    case_id: int,
    action: str,
    step: str,
    step_entered_at: datetime,
    state: str,
    payload: dict[str, Any],
    now: datetime,
) -> int | None:
    """The new row's id; None when this action already ran for this step entry."""
    found = await conn.fetchval(CLAIM, case_id, action, step, step_entered_at, state, payload, now)
    return found if isinstance(found, int) else None


async def lock_action(conn: Conn, action_id: int) -> CaseAction | None:
    row = await conn.fetchrow(LOCK_ACTION, action_id)
    return _action(row) if row else None


async def finish_action(
    conn: Conn, action_id: int, *, state: str, note: str, now: datetime
) -> None:
    await conn.execute(FINISH, action_id, state, note, now)


async def case_actions(conn: Conn, case_id: int) -> list[CaseAction]:
    return [_action(row) for row in await conn.fetch(FOR_CASE, case_id)]


async def insert_survey(
    conn: Conn,
    *,
    token: str,
    ticket_id: UUID,
    case_id: int | None,
    channel: str,
    to_address: str,
    now: datetime,
) -> int:
    found: int = await conn.fetchval(
        INSERT_SURVEY, token, ticket_id, case_id, channel, to_address, now
    )
    return found


async def survey_by_token(conn: Conn, token: str) -> Survey | None:
    row = await conn.fetchrow(SURVEY_BY_TOKEN, token)
    return _survey(row) if row else None


async def survey_by_id(conn: Conn, survey_id: int) -> Survey:
    return _survey(await conn.fetchrow(SURVEY_BY_ID, survey_id))


async def open_survey(
    conn: Conn, customer_id: UUID, channel: str, *, sent_after: datetime
) -> Survey | None:
    row = await conn.fetchrow(OPEN_SURVEY, customer_id, channel, sent_after)
    return _survey(row) if row else None


async def answer_survey(
    conn: Conn, survey_id: int, *, score: int, comment: str, via: str, now: datetime
) -> bool:
    """False when it was answered already (the first answer stands)."""
    return await conn.fetchval(ANSWER, survey_id, now, score, comment, via) is not None


async def surveys_for_ticket(conn: Conn, ticket_id: UUID) -> list[Survey]:
    return [_survey(row) for row in await conn.fetch(FOR_TICKET, ticket_id)]


# The answered surveys' scores since a time, per account of the ticket's customer (one read
# for every account, for the daily health figures).
SCORES_BY_ACCOUNT = """
SELECT c.organization_id, array_agg(s.score ORDER BY s.answered_at, s.id) AS scores
FROM surveys s JOIN tickets t ON t.id = s.ticket_id JOIN customers c ON c.id = t.customer_id
WHERE s.score IS NOT NULL AND s.answered_at >= $1 AND s.answered_at <= $2
  AND c.organization_id IS NOT NULL
GROUP BY c.organization_id
"""


async def survey_scores_by_account(
    conn: Conn, since: datetime, until: datetime
) -> dict[UUID, list[int]]:
    rows = await conn.fetch(SCORES_BY_ACCOUNT, since, until)
    return {row["organization_id"]: list(row["scores"]) for row in rows}
