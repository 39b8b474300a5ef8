"""How the background loops (routing, timers, the live listener, the worker) sleep: until the
first of their wake-ups (a NOTIFY arrived, a stop was asked) or a time limit, whichever comes
first; and how one is stopped.

Not asyncio.wait_for: on Python 3.11 it returns the inner result when a cancel lands in the same
loop turn as the wake-up, and the cancel is lost (a loop asked to stop runs on for ever)."""

from __future__ import annotations

import asyncio
from typing import Any


async def wait_any(*events: asyncio.Event, seconds: float) -> None:
    """Return when one of `events` is set or after `seconds` (at once when `seconds` <= 0)."""
    if seconds <= 0:
        return
    waits = {asyncio.create_task(event.wait()) for event in events}
    try:
        await asyncio.wait(waits, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in waits:
            task.cancel()


async def cancel_and_wait(task: asyncio.Task[Any]) -> None:
    """Cancel `task` and return once it has ended. Only the task's own cancellation is taken:
    when the caller is being cancelled too, that goes on up."""
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        current = asyncio.current_task()
        if current is not None and current.cancelling():
            raise
