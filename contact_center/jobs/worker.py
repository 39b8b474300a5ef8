"""The worker: every folder's periodic jobs, from one list, run through the job queue library.

pgqueuer keeps the schedule in PostgreSQL and claims due runs with SKIP LOCKED, so any
number of worker processes can run side by side and each due run happens once.
"""

from __future__ import annotations

import logging
from typing import Any

import asyncpg
from pgqueuer import PgQueuer

from contact_center.db import Pool
from contact_center.jobs.model import Periodic
from contact_center.users import jobs as user_jobs

log = logging.getLogger(__name__)

PERIODIC: list[Periodic] = [*user_jobs.PERIODIC]


def find_job(name: str) -> Periodic:
    for job in PERIODIC:
        if job.name == name:
            return job
    known = ", ".join(j.name for j in PERIODIC)
    raise LookupError(f"no job named {name!r}; known jobs: {known}")


async def run_once(pool: Pool, name: str) -> object:
    """Run one job now, in this process (operators and tests use it)."""
    return await find_job(name).run(pool)


def build_queue(pool: asyncpg.Pool[Any]) -> PgQueuer:
    pgq = PgQueuer.from_asyncpg_pool(pool)
    for job in PERIODIC:
        _schedule(pgq, job, pool)
    return pgq


def _schedule(pgq: PgQueuer, job: Periodic, pool: Pool) -> None:
    @pgq.schedule(job.name, job.cron)
    async def run(_schedule: object) -> None:
        result = await job.run(pool)
        log.info("job %s done: %s", job.name, result)


async def run_worker(pool: asyncpg.Pool[Any]) -> None:
    await build_queue(pool).run()
