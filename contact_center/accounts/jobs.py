"""The accounts folder's scheduled jobs: the tier run, lifecycle stages and health figures."""

from __future__ import annotations

from contact_center.accounts.health_service import run_health
from contact_center.accounts.stages import run_stages
from contact_center.jobs.model import JobContext, Periodic, Task
from contact_center.timeutil import utc_now


async def lifecycle_stages(context: JobContext) -> object:
    return await run_stages(context.pool, now=utc_now())


async def health_figures(context: JobContext) -> object:
    return await run_health(context.pool, now=utc_now())


# Early morning UTC, the stages first: a second run on the same day changes nothing (stages)
# or replaces the day's rows (health), so a late or repeated run is harmless.
PERIODIC: list[Periodic] = [
    Periodic("account-lifecycle", "10 2 * * *", lifecycle_stages),
    Periodic("account-health", "25 2 * * *", health_figures),
]
TASKS: list[Task] = []
