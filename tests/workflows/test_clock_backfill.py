"""Tickets opened before there were clocks get theirs once, at start."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from contact_center import tickets, workflows
from tests.workflows.helpers import MONDAY_10, open_ticket, set_status
from tests.workflows.test_clock_service import clocks_of

LATER = MONDAY_10 + timedelta(hours=1)


async def test_active_tickets_without_clocks_get_them_once_in_batches(db: Any) -> None:
    opened = await open_ticket(db)
    waiting = await open_ticket(db)
    await set_status(db, waiting, "pending", now=MONDAY_10)
    done = await open_ticket(db)
    await set_status(db, done, "resolved", now=MONDAY_10)
    async with db.acquire() as conn:  # as they were before the clocks' migration
        await conn.execute("DELETE FROM clocks")
        await conn.execute("UPDATE tickets SET due_at = NULL")

    assert await workflows.start_missing_clocks(db, now=LATER, batch=1) == 2
    found = await clocks_of(db, opened.id, LATER)
    assert {k: c["state"] for k, c in found.items()} == {
        "first_response": "running",
        "resolution": "running",
    }
    assert found["first_response"]["due_at"] == LATER + timedelta(hours=4)
    stored, _ = await tickets.get_ticket(db, opened.id)
    assert stored.due_at == LATER + timedelta(hours=4)
    paused = await clocks_of(db, waiting.id, LATER)
    assert {c["state"] for c in paused.values()} == {"paused"}
    assert await clocks_of(db, done.id, LATER) == {}

    assert await workflows.start_missing_clocks(db, now=LATER + timedelta(hours=1)) == 0
