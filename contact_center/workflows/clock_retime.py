"""Running clocks after the business calendar changed: business hours, holidays, closures or
make-up days saved (site queues this job in the same transaction as the save).

Each running business clock is paused at now on the old calendar (the time used so far is
counted on the calendar that was in force) and resumed at now on the new one, so its due,
warning and fire times follow the new calendar: an emergency closure saved today no longer
breaches during the closed day. Batches of `BATCH` clocks, each in its own short transaction;
a clock re-timed runs since after the change, so a job run again skips it.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime

from contact_center import site
from contact_center.db import Pool, transaction
from contact_center.site import SettingKey
from contact_center.workflows import clock_service, clock_store, clocks
from contact_center.workflows.clock_service import Change
from contact_center.workflows.model import ClockEvent

log = logging.getLogger(__name__)
BATCH = 500
REASON = "calendar changed"


async def retime_clocks(pool: Pool, payload: str, *, now: datetime) -> int:
    """Re-time the running business clocks after the calendar change `payload` describes
    (`site.retime_payload`: the setting, its value before, when it was saved); how many were
    re-timed. Each gets a paused and a resumed event with the reason; the tickets' due times
    follow."""
    change = json.loads(payload)
    key = SettingKey(change["key"])
    changed_at = datetime.fromisoformat(change["at"])
    done, after_id = 0, 0
    while True:
        async with transaction(pool) as conn:
            found = await clock_store.retime_candidates(
                conn, after_id=after_id, changed_at=changed_at, limit=BATCH
            )
            if not found:
                break
            after_id = found[-1][0]
            locked = await clock_store.lock_for_retime(
                conn, [t for _, t in found], [c for c, _ in found], changed_at=changed_at
            )
            old = await site.calendar_before(conn, key, change["before"], around=now)
            new = await site.business_calendar(conn, around=now)
            changes: list[Change] = []
            for clock in locked:
                moved = clocks.retime(new, clock, now, old=old)
                changes.append((clocks.pause(old, clock, now), ClockEvent.PAUSED))
                changes.append((moved, ClockEvent.RESUMED))
            await clock_service.record_changes(conn, changes, now=now, reason=REASON)
            done += len(locked)
    log.info("re-timed %d running clock(s) after %s changed", done, key.value)
    return done
