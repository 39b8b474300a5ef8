"""Periodic jobs for users: clearing out expired and revoked sessions."""

from contact_center.jobs import JobContext, Periodic
from contact_center.timeutil import utc_now
from contact_center.users.service import purge_expired_sessions


async def purge_sessions(context: JobContext) -> int:
    return await purge_expired_sessions(context.pool, now=utc_now())


PERIODIC = [Periodic("session-purge", "17 * * * *", purge_sessions)]
