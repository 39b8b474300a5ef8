"""The visits folder's jobs: the nightly plan (and a manager's re-plan when something changed),
the day-before reminders, and visits left without an outcome."""

from __future__ import annotations

from uuid import UUID

from contact_center.jobs.model import Failed, JobContext, Periodic, Task
from contact_center.timeutil import utc_now
from contact_center.visits.account_visits import miss_unrecorded
from contact_center.visits.plan_service import plan_visits, site_hour
from contact_center.visits.reminders import send_reminders
from contact_center.visits.service import ALL_MANAGERS, PLAN_TASK

PLAN_HOUR = 1  # the nightly plan runs in the site's 01:00 hour, before any reminder evening


async def nightly(context: JobContext) -> dict[str, int] | str:
    """Hourly; plans every manager in the hour the site's clock passes 01:00 (once per site
    day, in any zone: far-east sites plan before their evening reminders, not after)."""
    now = utc_now()
    if await site_hour(context.pool, now) != PLAN_HOUR:
        return "not the site's planning hour"
    return await plan_all(context)


async def plan_all(context: JobContext) -> dict[str, int]:
    result = await plan_visits(context.pool, now=utc_now())
    return {
        "placed": result.placed,
        "moved": result.moved,
        "dropped": result.dropped,
        "unplaced": len(result.unplaced),
    }


async def plan_manager(context: JobContext, payload: str) -> object:
    if payload == ALL_MANAGERS:  # queued by a supervisor through the API
        return await plan_all(context)
    try:
        manager_id = UUID(payload)
    except ValueError:
        return Failed(f"not a manager id: {payload!r}")
    result = await plan_visits(context.pool, manager_ids=[manager_id], now=utc_now())
    return f"placed {result.placed}, moved {result.moved}, dropped {result.dropped}"


async def remind(context: JobContext) -> dict[str, int]:
    return await send_reminders(context.pool, context.settings, now=utc_now())


async def outcomes(context: JobContext) -> int:
    return await miss_unrecorded(context.pool, now=utc_now())


PERIODIC: list[Periodic] = [
    Periodic(PLAN_TASK, "30 * * * *", nightly, now=plan_all),  # plans at 01:30 site time
    Periodic("visit-reminders", "*/15 * * * *", remind),
    Periodic("visit-outcomes", "20 * * * *", outcomes),
]
TASKS: list[Task] = [Task(PLAN_TASK, plan_manager)]
