"""Saving the business calendar re-times the running business clocks (a job queued with the
save): an emergency closure no longer breaches during the closed day."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from contact_center import site, tickets
from contact_center.jobs.model import CLOCK_RETIME_TASK
from contact_center.workflows import clock_retime
from contact_center.workflows.clock_reads import ticket_clocks
from tests.workflows.helpers import AGENT, MONDAY_10, open_ticket

HALF_PAST = MONDAY_10 + timedelta(minutes=30)
JOB_RUNS = HALF_PAST + timedelta(minutes=1)


async def queued_retimes(db: Any) -> list[str]:
    async with db.acquire() as conn:
        rows = await conn.fetch(
            "SELECT payload FROM pgqueuer WHERE entrypoint = $1 ORDER BY id", CLOCK_RETIME_TASK
        )
    return [bytes(r["payload"]).decode() for r in rows]


async def test_a_closure_saved_today_moves_the_running_clocks_to_the_next_opening(
    db: Any,
) -> None:
    ticket = await open_ticket(db)  # Monday 10:00: first response due 14:00
    await site.update_setting(
        db,
        AGENT,
        "closures",
        [{"date": "2026-03-02", "label": "Storm"}],
        version=0,
        now=HALF_PAST,
    )
    (payload,) = await queued_retimes(db)
    assert await clock_retime.retime_clocks(db, payload, now=JOB_RUNS) == 2
    shown = await ticket_clocks(db, ticket.id, now=JOB_RUNS)
    first = next(c for c in shown["clocks"] if c["kind"] == "first_response")
    # 31 minutes used on Monday as it was; 3 h 29 min left from Tuesday 09:00
    assert first["due_at"] == MONDAY_10 + timedelta(hours=26, minutes=29)  # Tue 12:29
    assert first["used_seconds"] == 31 * 60 and first["state"] == "running"
    stored, _ = await tickets.get_ticket(db, ticket.id)
    assert stored.due_at == first["due_at"]
    retimed = [e for e in shown["events"] if e["detail"].get("reason") == clock_retime.REASON]
    assert [(e["kind"], e["event"]) for e in retimed if e["kind"] == "first_response"] == [
        ("first_response", "paused"),
        ("first_response", "resumed"),
    ]
    # run again (a retried job): nothing left on the old calendar
    assert await clock_retime.retime_clocks(db, payload, now=JOB_RUNS + timedelta(minutes=1)) == 0


async def test_saving_targets_queues_no_retime(db: Any) -> None:
    targets = site.DEFAULTS[site.SettingKey.CLOCK_TARGETS]
    await site.update_setting(db, AGENT, "clock_targets", targets, version=0, now=MONDAY_10)
    assert await queued_retimes(db) == []
