"""Delivery jobs: one queued task per outbound message, and the minute sweep."""

from __future__ import annotations

from uuid import UUID

from contact_center.delivery.service import deliver_one, sweep
from contact_center.jobs import JobContext, Periodic, Task
from contact_center.outbox import DELIVER_JOB
from contact_center.timeutil import utc_now


async def deliver(context: JobContext, payload: str) -> object:
    return await deliver_one(
        context.pool,
        context.senders,
        UUID(payload),
        now=utc_now(),
        sms_per_second=context.settings.sms_per_second,
    )


async def sweep_outbox(context: JobContext) -> dict[str, int]:
    return await sweep(context.pool, now=utc_now(), ready=context.senders.keys())


TASKS = [Task(DELIVER_JOB, deliver)]
PERIODIC = [Periodic("outbox-sweep", "* * * * *", sweep_outbox)]
