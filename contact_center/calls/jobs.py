"""The calls folder's queued tasks: connect an accepted call, place a callback."""

from __future__ import annotations

from uuid import UUID

from contact_center.calls.dialing import connect_call, place_callback
from contact_center.calls.options import voice_options
from contact_center.jobs.model import (
    CALL_CONNECT_TASK,
    CALLBACK_DIAL_TASK,
    Failed,
    JobContext,
    Task,
)
from contact_center.timeutil import utc_now


async def run_connect(context: JobContext, payload: str) -> str:
    if context.call_control is None:
        return Failed("no call control configured")
    return await connect_call(
        context.pool,
        context.call_control,
        UUID(payload),
        options=voice_options(context.settings),
        now=utc_now(),
    )


async def run_dial(context: JobContext, payload: str) -> str:
    if context.call_control is None:
        return Failed("no call control configured")
    return await place_callback(
        context.pool,
        context.call_control,
        payload,
        options=voice_options(context.settings),
        now=utc_now(),
    )


TASKS = [Task(CALL_CONNECT_TASK, run_connect), Task(CALLBACK_DIAL_TASK, run_dial)]
