"""The workflows folder's jobs: the deadline scan (a safety net under the timers loop) and the
queued task that sends a complaint's acknowledgement or survey."""

from __future__ import annotations

from contact_center.jobs.model import CLOCK_RETIME_TASK, JobContext, Periodic, Task
from contact_center.timeutil import utc_now
from contact_center.workflows import clock_retime, deadline_service
from contact_center.workflows.actions import ACTION_TASK
from contact_center.workflows.messages import message_options, perform


async def scan_deadlines(context: JobContext) -> object:
    return await deadline_service.scan_deadlines(context.pool, now=utc_now())


async def run_action(context: JobContext, payload: str) -> str:
    return await perform(
        context.pool, int(payload), message_options(context.settings), now=utc_now()
    )


async def retime_clocks(context: JobContext, payload: str) -> int:
    return await clock_retime.retime_clocks(context.pool, payload, now=utc_now())


PERIODIC = [Periodic("deadline-scan", "* * * * *", scan_deadlines)]
TASKS = [Task(ACTION_TASK, run_action), Task(CLOCK_RETIME_TASK, retime_clocks)]
