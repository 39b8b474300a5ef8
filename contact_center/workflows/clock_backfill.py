"""Clocks for tickets opened before there were clocks: run once at every start (the runtime
and `contact-center migrate`), like the workflow definitions' install.

A new, open or pending ticket without any clock gets its first-response (if no agent answered
yet) and resolution clocks, paused when it waits on the customer. They count from the start
that adds them, not from the ticket's opening: upgrading must not escalate every older ticket
at once. Bounded batches, each its own transaction; a ticket with a clock is never touched
again, so running this again does nothing.
"""

from __future__ import annotations

import logging
from datetime import datetime

from contact_center import tickets
from contact_center.db import Pool, transaction
from contact_center.workflows import clock_service, clock_store

log = logging.getLogger(__name__)
BATCH = 200


async def start_missing_clocks(pool: Pool, *, now: datetime, batch: int = BATCH) -> int:
    """Start the clocks of active tickets that have none; how many tickets got them (logged
    when any did)."""
    started = 0
    while True:
        async with transaction(pool) as conn:
            found = await clock_store.untimed_tickets(conn, limit=batch)
            for ticket_id in found:
                ticket = await tickets.load_ticket_in(conn, ticket_id, for_update=True)
                await clock_service.start_ticket_clocks(conn, ticket, now=now)
        started += len(found)
        if len(found) < batch:
            break
    if started:
        log.info("started the clocks of %d ticket(s) opened before clocks", started)
    return started
