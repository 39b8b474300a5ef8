"""The workflows folder's queued task: send a complaint's acknowledgement or survey."""

from __future__ import annotations

from contact_center.jobs.model import JobContext, Task
from contact_center.timeutil import utc_now
from contact_center.workflows.actions import ACTION_TASK
from contact_center.workflows.messages import message_options, perform


async def run_action(context: JobContext, payload: str) -> str:
    return await perform(
        context.pool, int(payload), message_options(context.settings), now=utc_now()
    )


TASKS = [Task(ACTION_TASK, run_action)]
