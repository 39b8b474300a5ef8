"""The accounts folder's scheduled jobs: the tier run, lifecycle stages and health figures."""

from __future__ import annotations

import logging

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


PERIODIC: list[Periodic] = [Periodic("account-tier-run", "20 2 * * *", tier_run)]
TASKS: list[Task] = []
