"""Demo account health: the lifecycle and health jobs run for a few past days and today, so that
the info cards show stages, figures, sparklines and trends from the demo's own (made-up) value
history, contact and surveys. Runs after the demo's values are loaded."""

from __future__ import annotations

from datetime import datetime, timedelta

from contact_center import accounts
from contact_center.db import Pool

PAST_DAYS = (120, 90, 60, 30, 14, 7, 0)


async def load_demo_health(pool: Pool, *, now: datetime) -> int:
    """Run both jobs as of each past day, oldest first; returns how many days were computed."""
    for days in PAST_DAYS:
        at = now - timedelta(days=days)
        await accounts.run_stages(pool, now=at)
        await accounts.run_health(pool, now=at)
    return len(PAST_DAYS)
