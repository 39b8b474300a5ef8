"""The care folder's jobs: greetings of the day and broadcast sending."""

from __future__ import annotations

from uuid import UUID

from contact_center.care import broadcasts, greetings
from contact_center.jobs.model import JobContext, Periodic, Task
from contact_center.outbox import Origin
from contact_center.timeutil import utc_now


def _origin(ctx: JobContext) -> Origin:
    return Origin(sms_from=ctx.settings.twilio_from_number, email_from=ctx.settings.support_address)


async def send_greetings(ctx: JobContext) -> dict[str, int]:
    # Every quarter hour: the job waits for `care.send_hour` on the site's clock itself (the
    # cron is in UTC), and a day's occasions are claimed once, so reruns send nothing new.
    return await greetings.send_greetings(ctx.pool, origin=_origin(ctx), now=utc_now())


async def wake_broadcasts(ctx: JobContext) -> int:
    return await broadcasts.wake_stalled(ctx.pool, now=utc_now())


async def send_broadcast_batch(ctx: JobContext, payload: str) -> str:
    return await broadcasts.send_batch(ctx.pool, UUID(payload), origin=_origin(ctx), now=utc_now())


PERIODIC: list[Periodic] = [
    Periodic("care-greetings", "*/15 * * * *", send_greetings),
    Periodic("broadcast-wake", "* * * * *", wake_broadcasts),
]
TASKS: list[Task] = [Task(broadcasts.BROADCAST_TASK, send_broadcast_batch)]
