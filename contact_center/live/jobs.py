"""Live event jobs: keeping the event log to its retention."""

from __future__ import annotations

from datetime import timedelta

from contact_center.jobs import JobContext, Periodic
from contact_center.live.service import prune_events
from contact_center.timeutil import utc_now


async def prune(context: JobContext) -> int:
    hours = context.settings.live_event_retention_hours
    return await prune_events(context.pool, now=utc_now(), retention=timedelta(hours=hours))


PERIODIC = [Periodic("live-events-prune", "*/10 * * * *", prune)]
