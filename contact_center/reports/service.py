"""Report figures for supervisors. Read-only."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from contact_center.db import Pool, transaction
from contact_center.reports import figures, queries
from contact_center.timeutil import to_site_time


async def complaint_figures(
    pool: Pool, *, since: datetime, until: datetime, timezone: str
) -> dict[str, Any]:
    """Complaints opened in [since, until): volume by site-local day and by source and
    channel, the category Pareto, time spent in each step (steps left in the period, wall
    seconds: median and 90th percentile), deadline breaches of complaint tickets (step clocks
    and ticket clocks) and satisfaction after the complaint (surveys sent in the period).
    Withdrawn cases (an undone classification) are no complaints."""
    if since.tzinfo is None or until.tzinfo is None:
        raise ValueError("naive datetime: report periods are aware instants")
    async with transaction(pool) as conn:
        by_day = await queries.complaints_by_day(conn, since=since, until=until, timezone=timezone)
        by_source = await queries.complaints_by_source(conn, since=since, until=until)
        categories = await queries.complaints_by_category(conn, since=since, until=until)
        steps = await queries.time_in_steps(conn, since=since, until=until)
        breaches = await queries.breaches(conn, since=since, until=until)
        breached = await queries.breached_tickets(conn, since=since, until=until)
        satisfaction = await queries.survey_scores(conn, since=since, until=until)
    first = to_site_time(since, timezone).date()
    last = to_site_time(until - timedelta(microseconds=1), timezone).date()
    return {
        "since": since,
        "until": until,
        "timezone": timezone,
        "total": sum(d["count"] for d in by_day),
        "by_day": figures.every_day(first, last, {d["day"]: d["count"] for d in by_day}),
        "by_source": list(by_source),
        "categories": figures.pareto(categories),
        "steps": list(steps),
        "breaches": {
            "total": sum(b["count"] for b in breaches),
            "tickets": breached,
            "by_clock": list(breaches),
        },
        "satisfaction": satisfaction,
    }
