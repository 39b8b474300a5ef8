"""The accounts folder's scheduled jobs: the tier run, lifecycle stages and health figures."""

from __future__ import annotations

import logging

from contact_center.accounts.health_service import run_health
from contact_center.accounts.stages import run_stages
from contact_center.accounts.tier_runs import run_if_due
from contact_center.jobs.model import JobContext, Periodic, Task
from contact_center.timeutil import utc_now

log = logging.getLogger(__name__)


async def tier_run(context: JobContext) -> str:
    """Daily: re-tier the accounts when the schedule (`tiering.every`) says a run is due."""
    report = await run_if_due(context.pool, now=utc_now())
    if report is None:
        return "not due"
    return f"tiered {report.accounts} account(s), {report.moved} moved"


async def lifecycle_stages(context: JobContext) -> object:
    return await run_stages(context.pool, now=utc_now())


async def health_figures(context: JobContext) -> object:
    return await run_health(context.pool, now=utc_now())


# Early morning UTC: the stages, the tier run, then health (which reads the day's values). A
# second run on the same day changes nothing (stages) or replaces the day's rows (health).
PERIODIC: list[Periodic] = [
    Periodic("account-lifecycle", "10 2 * * *", lifecycle_stages),
    Periodic("account-tier-run", "20 2 * * *", tier_run),
    Periodic("account-health", "25 2 * * *", health_figures),
]
TASKS: list[Task] = []
