"""How the background loops (routing, timers) sleep: until the first of their wake-ups (a
NOTIFY arrived, a stop was asked) or a time limit, whichever comes first."""

from __future__ import annotations

import asyncio


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
