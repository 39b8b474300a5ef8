"""What a hung test's event loop was waiting on.

pytest-timeout (pyproject: `timeout`) ends a hung run with every thread's stack, but an async
test's thread only shows the event loop's select(). Shortly before, this prints the stack of
each task on the suite's loop, which names the await that never returned; pytest-timeout then
shows it among the test's captured stderr."""

from __future__ import annotations

import asyncio
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

AHEAD_SECONDS = 20.0  # how long before the run is ended the tasks are printed


def awaiting(coro: object) -> list[str]:
    """Where a coroutine stands, down its chain of awaits (a task's own stack shows only the
    outermost frame)."""
    lines = []
    while coro is not None:
        frame = getattr(coro, "cr_frame", None) or getattr(coro, "ag_frame", None)
        if frame is not None:
            lines.append(f"{frame.f_code.co_filename}:{frame.f_lineno} in {frame.f_code.co_name}")
        else:
            lines.append(f"awaiting {coro!r}")
        coro = getattr(coro, "cr_await", None) or getattr(coro, "ag_await", None)
    return lines


class LoopWatch:
    def __init__(self) -> None:
        self.loop: asyncio.AbstractEventLoop | None = None

    def report(self, test: str) -> None:
        loop = self.loop
        if loop is None or loop.is_closed():
            return
        tasks = asyncio.all_tasks(loop)
        print(f"\n=== {test} is still running; {len(tasks)} tasks on the loop ===", file=sys.stderr)
        for task in tasks:
            print(f"--- {task.get_name()}", file=sys.stderr)
            for line in awaiting(task.get_coro()):
                print(f"  {line}", file=sys.stderr)
        sys.stderr.flush()

    @contextmanager
    def watching(self, test: str, limit: float) -> Iterator[None]:
        """Report the loop's tasks if `test` is still running `AHEAD_SECONDS` before `limit`."""
        if limit <= AHEAD_SECONDS:
            yield
            return
        timer = threading.Timer(limit - AHEAD_SECONDS, self.report, (test,))
        timer.daemon = True
        timer.start()
        try:
            yield
        finally:
            timer.cancel()


WATCH = LoopWatch()
