"""SQL read models for the supervisors' reports: complaint figures over cases, their steps,
the clock event log and the surveys. Read-only; nothing here writes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, TypedDict

from contact_center.db import Conn

# A complaint is a case that was not withdrawn (an undone classification is no complaint).
COMPLAINTS_BY_DAY = """
SELECT (c.opened_at AT TIME ZONE $3)::date AS day, count(*) AS count
FROM cases c
WHERE c.state <> 'withdrawn' AND c.opened_at >= $1 AND c.opened_at < $2
GROUP BY 1 ORDER BY 1
"""
COMPLAINTS_BY_SOURCE = """
SELECT c.source, t.channel, count(*) AS count
FROM cases c JOIN tickets t ON t.id = c.ticket_id
WHERE c.state <> 'withdrawn' AND c.opened_at >= $1 AND c.opened_at < $2
GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2
"""
COMPLAINTS_BY_CATEGORY = """
SELECT coalesce(c.fields->>'category', '') AS category, l.title, count(*) AS count
FROM cases c LEFT JOIN case_labels l ON l.list = 'category' AND l.key = c.fields->>'category'
WHERE c.state <> 'withdrawn' AND c.opened_at >= $1 AND c.opened_at < $2
GROUP BY 1, 2 ORDER BY 3 DESC, 1
"""
# Steps left in the period, wall-clock seconds; a step still current is not counted yet.
TIME_IN_STEPS = """
SELECT s.step, count(*) AS count,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM s.left_at - s.entered_at))
           AS median_seconds,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM s.left_at - s.entered_at))
           AS p90_seconds
FROM case_steps s JOIN cases c ON c.id = s.case_id
WHERE c.state <> 'withdrawn' AND s.left_at IS NOT NULL AND s.left_at >= $1 AND s.left_at < $2
GROUP BY 1 ORDER BY min(s.entered_at - c.opened_at), 1
"""
# Breaches in the period of the complaints' step clocks and of their tickets' own clocks.
BREACHES = """
SELECT k.kind, k.step, count(*) AS count, count(DISTINCT k.ticket_id) AS tickets
FROM clock_events e JOIN clocks k ON k.id = e.clock_id
WHERE e.event = 'breached' AND e.at >= $1 AND e.at < $2
  AND EXISTS (SELECT FROM cases c WHERE c.ticket_id = k.ticket_id AND c.state <> 'withdrawn')
GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2
"""
BREACHED_TICKETS = """
SELECT count(DISTINCT e.ticket_id)
FROM clock_events e
WHERE e.event = 'breached' AND e.at >= $1 AND e.at < $2
  AND EXISTS (SELECT FROM cases c WHERE c.ticket_id = e.ticket_id AND c.state <> 'withdrawn')
"""
# Surveys sent in the period on complaint tickets, and the scores of those answered.
SURVEY_SCORES = """
SELECT count(*) AS sent, count(s.score) AS answered, avg(s.score)::float AS average,
       count(*) FILTER (WHERE s.score = 1) AS s1, count(*) FILTER (WHERE s.score = 2) AS s2,
       count(*) FILTER (WHERE s.score = 3) AS s3, count(*) FILTER (WHERE s.score = 4) AS s4,
       count(*) FILTER (WHERE s.score = 5) AS s5
FROM surveys s
WHERE s.sent_at >= $1 AND s.sent_at < $2
  AND EXISTS (SELECT FROM cases c WHERE c.ticket_id = s.ticket_id AND c.state <> 'withdrawn')
"""


class DayCount(TypedDict):
    day: date
    count: int


class SourceCount(TypedDict):
    source: str
    channel: str
    count: int


class CategoryCount(TypedDict):
    category: str
    title: dict[str, str] | None
    count: int


class StepTimes(TypedDict):
    step: str
    count: int
    median_seconds: float
    p90_seconds: float


class BreachCount(TypedDict):
    kind: str
    step: str | None
    count: int
    tickets: int


class SurveyScores(TypedDict):
    sent: int
    answered: int
    average: float | None
    distribution: dict[str, int]


async def complaints_by_day(
    conn: Conn, *, since: datetime, until: datetime, timezone: str
) -> list[DayCount]:
    rows = await conn.fetch(COMPLAINTS_BY_DAY, since, until, timezone)
    return [DayCount(day=r["day"], count=r["count"]) for r in rows]


async def complaints_by_source(
    conn: Conn, *, since: datetime, until: datetime
) -> list[SourceCount]:
    rows = await conn.fetch(COMPLAINTS_BY_SOURCE, since, until)
    return [SourceCount(source=r["source"], channel=r["channel"], count=r["count"]) for r in rows]


async def complaints_by_category(
    conn: Conn, *, since: datetime, until: datetime
) -> list[CategoryCount]:
    rows = await conn.fetch(COMPLAINTS_BY_CATEGORY, since, until)
    return [CategoryCount(category=r["category"], title=r["title"], count=r["count"]) for r in rows]


async def time_in_steps(conn: Conn, *, since: datetime, until: datetime) -> list[StepTimes]:
    rows = await conn.fetch(TIME_IN_STEPS, since, until)
    return [
        StepTimes(
            step=r["step"],
            count=r["count"],
            median_seconds=float(r["median_seconds"]),
            p90_seconds=float(r["p90_seconds"]),
        )
        for r in rows
    ]


async def breaches(conn: Conn, *, since: datetime, until: datetime) -> list[BreachCount]:
    rows = await conn.fetch(BREACHES, since, until)
    return [
        BreachCount(kind=r["kind"], step=r["step"], count=r["count"], tickets=r["tickets"])
        for r in rows
    ]


async def breached_tickets(conn: Conn, *, since: datetime, until: datetime) -> int:
    found: int = await conn.fetchval(BREACHED_TICKETS, since, until)
    return found


async def survey_scores(conn: Conn, *, since: datetime, until: datetime) -> SurveyScores:
    """How the surveys sent in the period about complaints were answered."""
    row: Any = await conn.fetchrow(SURVEY_SCORES, since, until)
    return SurveyScores(
        sent=row["sent"],
        answered=row["answered"],
        average=row["average"],
        distribution={str(n): row[f"s{n}"] for n in range(1, 6)},
    )
