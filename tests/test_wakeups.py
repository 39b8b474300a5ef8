"""Background loops sleep and stop without losing a cancel."""

from __future__ import annotations

import asyncio

import pytest

from contact_center.wakeups import cancel_and_wait, wait_any


async def test_a_sleep_cancelled_as_it_is_woken_is_cancelled() -> None:
    wake = asyncio.Event()
    sleeping = asyncio.create_task(wait_any(wake, seconds=60))
    await asyncio.sleep(0.01)
    wake.set()
    sleeping.cancel()
    with pytest.raises(asyncio.CancelledError):
        await sleeping


async def test_stopping_a_loop_ends_it_and_returns() -> None:
    task = asyncio.create_task(asyncio.Event().wait())
    await asyncio.sleep(0)
    await cancel_and_wait(task)
    assert task.cancelled()


async def test_a_caller_cancelled_while_stopping_a_loop_is_cancelled_too() -> None:
    async def slow_to_stop() -> None:
        try:
            await asyncio.sleep(60)
        finally:
            await asyncio.shield(asyncio.sleep(0.2))  # cleans up for a while

    task = asyncio.create_task(slow_to_stop())
    await asyncio.sleep(0)
    stopping = asyncio.create_task(cancel_and_wait(task))
    await asyncio.sleep(0.05)
    stopping.cancel()
    with pytest.raises(asyncio.CancelledError):
        await stopping
