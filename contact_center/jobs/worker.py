"""The worker: every folder's jobs, from one list, run through the job queue library.

pgqueuer keeps queued jobs and the schedule in PostgreSQL, wakes on LISTEN/NOTIFY and claims
work with SKIP LOCKED, so any number of worker processes can run side by side and each job
runs once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
from pgqueuer import PgQueuer
from pgqueuer.models import Job, Schedule

from contact_center.accounts import jobs as account_jobs
from contact_center.calls import jobs as call_jobs
from contact_center.care import jobs as care_jobs
from contact_center.delivery import jobs as delivery_jobs
from contact_center.jobs.model import Failed, JobContext, Periodic, Task
from contact_center.live import jobs as live_jobs
from contact_center.users import jobs as user_jobs
from contact_center.visits import jobs as visit_jobs
from contact_center.wakeups import wait_any
from contact_center.workflows import jobs as workflow_jobs

log = logging.getLogger(__name__)

PERIODIC: list[Periodic] = [
    *user_jobs.PERIODIC,
    *delivery_jobs.PERIODIC,
    *live_jobs.PERIODIC,
    *workflow_jobs.PERIODIC,
    *account_jobs.PERIODIC,
    *visit_jobs.PERIODIC,
    *care_jobs.PERIODIC,
]
TASKS: list[Task] = [
    *delivery_jobs.TASKS,
    *call_jobs.TASKS,
    *workflow_jobs.TASKS,
    *account_jobs.TASKS,
    *visit_jobs.TASKS,
    *care_jobs.TASKS,
]


def find_job(name: str) -> Periodic:
    for job in PERIODIC:
        if job.name == name:
            return job
    known = ", ".join(j.name for j in PERIODIC)
    raise LookupError(f"no job named {name!r}; known jobs: {known}")


async def run_once(context: JobContext, name: str) -> object:
    """Run one periodic job now, in this process (operators and tests use it)."""
    job = find_job(name)
    return await (job.now or job.run)(context)


def build_queue(pool: asyncpg.Pool[Any], context: JobContext) -> PgQueuer:
    pgq = PgQueuer.from_asyncpg_pool(pool)
    for task in TASKS:
        _register_task(pgq, task, context)
    for job in PERIODIC:
        _register_periodic(pgq, job, context)
    return pgq


def _register_task(pgq: PgQueuer, task: Task, context: JobContext) -> None:
    @pgq.entrypoint(task.name)
    async def run(job: Job) -> None:
        await run_task(task, context, (job.payload or b"").decode())


async def run_task(task: Task, context: JobContext, payload: str) -> object:
    """One queued task's run: a result saying it failed (`Failed`) is a WARNING, so a call
    that was never connected or dialled shows in the log."""
    result = await task.run(context, payload)
    level = logging.WARNING if isinstance(result, Failed) else logging.DEBUG
    log.log(level, "task %s(%s): %s", task.name, payload, result)
    return result


def _register_periodic(pgq: PgQueuer, job: Periodic, context: JobContext) -> None:
    @pgq.schedule(job.name, job.cron)
    async def run(_schedule: Schedule) -> None:
        result = await job.run(context)
        # A run that found nothing to do is not news at INFO (the sweep runs every minute).
        idle = not any(result.values()) if isinstance(result, dict) else not result
        log.log(logging.DEBUG if idle else logging.INFO, "job %s done: %s", job.name, result)


RESTART_SECONDS = 2.0


async def run_worker(pool: asyncpg.Pool[Any], context: JobContext) -> None:
    await run_until(pool, context, asyncio.Event())


async def run_until(
    pool: asyncpg.Pool[Any],
    context: JobContext,
    stop: asyncio.Event,
    *,
    restart_seconds: float = RESTART_SECONDS,
) -> None:
    """Run the queue until `stop` is set. When the queue itself fails (its listening connection
    died with the database), it is built again after a pause, so jobs resume once the
    database is back instead of stopping for good."""
    while True:
        queue = build_queue(pool, context)
        running = asyncio.create_task(queue.run())
        stopping = asyncio.create_task(stop.wait())
        try:
            await asyncio.wait({running, stopping}, return_when=asyncio.FIRST_COMPLETED)
        except asyncio.CancelledError:
            running.cancel()
            stopping.cancel()
            raise
        if stop.is_set():
            queue.shutdown.set()
            try:
                await running
            except Exception as exc:
                log.warning("worker stopped with an error: %s: %s", type(exc).__name__, exc)
            return
        stopping.cancel()
        failure = running.exception()
        log.error(
            "worker stopped (%s); starting it again in %s s",
            f"{type(failure).__name__}: {failure}" if failure else "queue ended",
            restart_seconds,
        )
        await wait_any(stop, seconds=restart_seconds)


@contextlib.asynccontextmanager
async def worker_running(
    pool: asyncpg.Pool[Any], context: JobContext, *, grace_seconds: float = 10
) -> AsyncIterator[None]:
    """The worker in the background while the block runs; on leaving, it finishes the jobs in
    hand (up to `grace_seconds`) before it is cancelled."""
    stop = asyncio.Event()
    task = asyncio.create_task(run_until(pool, context, stop))
    try:
        yield
    finally:
        stop.set()
        try:
            await asyncio.wait_for(task, grace_seconds)
        except (TimeoutError, asyncio.CancelledError):
            log.warning("worker did not stop within %s s; cancelled", grace_seconds)
