"""Periodic jobs for workflows: the deadline scan, a safety net under the timers loop."""

from contact_center.jobs import JobContext, Periodic
from contact_center.timeutil import utc_now
from contact_center.workflows import deadline_service


async def scan_deadlines(context: JobContext) -> object:
    return await deadline_service.scan_deadlines(context.pool, now=utc_now())


PERIODIC = [Periodic("deadline-scan", "* * * * *", scan_deadlines)]
