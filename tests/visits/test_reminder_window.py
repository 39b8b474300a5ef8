"""A reminder whose evening passed without a worker is recorded as skipped (`missed_window`),
and a visit whose reminder went out is fixed for the planner: not moved, not re-timed."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import pytest

from contact_center import outbox
from contact_center.outbox import NewOutbound, Origin, OutboundPurpose
from contact_center.visits import list_visits, plan_store, plan_visits
from contact_center.visits.reminders import send_reminders
from tests.builders import make_customer, unique_phone
from tests.visits.helpers import NOW, manager_with_accounts, put_visit

TODAY = NOW.date()  # Wednesday 02:00, before the reminder hour


async def test_a_visit_today_never_reminded_is_recorded_as_missed_window(
    db: Any, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    manager, orgs = await manager_with_accounts(db, 1)
    await put_visit(db, orgs[0].id, manager.id, TODAY)
    with caplog.at_level(logging.WARNING):
        counts = await send_reminders(db, settings, now=NOW)
    assert counts["missed_window"] >= 1
    assert "missed_window" in caplog.text
    found = await list_visits(db, manager_id=manager.id, first=TODAY, last=TODAY, now=NOW)
    assert [v.reminder for v in found] == ["missed_window"]
    again = await send_reminders(db, settings, now=NOW + timedelta(minutes=15))
    assert again["missed_window"] == 0  # recorded once


async def test_a_reminded_visit_is_not_moved_or_re_timed_by_the_planner(db: Any) -> None:
    manager, orgs = await manager_with_accounts(db, 2)
    await plan_visits(db, manager_ids=[manager.id], now=NOW)
    wednesday = TODAY + timedelta(days=7)
    phone = unique_phone()
    customer = await make_customer(db, "李娜", phones=[phone], organization_id=str(orgs[0].id))
    async with db.acquire() as conn:
        queued = await outbox.enqueue(
            conn,
            NewOutbound(
                ticket_id=None,
                message_id=None,
                channel="sms",
                to_address=phone,
                body_text="Reminder",
                automatic=True,
                customer_id=customer.id,
                purpose=OutboundPurpose.VISIT_REMINDER,
            ),
            origin=Origin(sms_from="+15550000000"),
            now=NOW,
        )
        before = await conn.fetchrow(
            "UPDATE visits SET reminder_at = $3, reminder_outbound_id = $4"
            " WHERE organization_id = $1 AND day = $2 RETURNING id, day, arrives_at, version",
            orgs[0].id,
            wednesday,
            NOW,
            queued.outbound_id,
        )
        # Leave on that Wednesday (the planner would move it); the other account leaves the day
        await plan_store.add_leave(conn, manager.id, wednesday, "", NOW)
        await conn.execute("UPDATE organizations SET route_weekday = 4 WHERE id = $1", orgs[1].id)
    await plan_visits(db, manager_ids=[manager.id], now=NOW)
    async with db.acquire() as conn:
        after = await conn.fetchrow(
            "SELECT id, day, arrives_at, version, state FROM visits WHERE id = $1", before["id"]
        )
    assert (after["day"], after["arrives_at"], after["state"]) == (
        before["day"],
        before["arrives_at"],
        "planned",
    )


async def test_the_nightly_plan_runs_in_the_sites_one_oclock_hour(
    db: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import UTC, datetime
    from types import SimpleNamespace

    from contact_center.visits import jobs

    async with db.acquire() as conn:
        await conn.execute(
            "UPDATE site_settings SET value = to_jsonb('Asia/Tokyo'::text) WHERE key = 'timezone'"
        )
    context = SimpleNamespace(pool=db, settings=settings)
    monkeypatch.setattr(jobs, "utc_now", lambda: datetime(2026, 3, 4, 1, 30, tzinfo=UTC))
    assert await jobs.nightly(context) == "not the site's planning hour"  # type: ignore[arg-type]
    # 16:30 UTC is 01:30 in Tokyo
    monkeypatch.setattr(jobs, "utc_now", lambda: datetime(2026, 3, 4, 16, 30, tzinfo=UTC))
    assert isinstance(await jobs.nightly(context), dict)  # type: ignore[arg-type]


async def test_an_operators_run_once_plans_now_whatever_the_hour(
    db: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`worker --run-once visit-plan` outside the planning hour still plans: asked by hand, the
    work happens now (the schedule alone waits for 01:00)."""
    from datetime import UTC, datetime

    from contact_center.jobs import JobContext
    from contact_center.jobs.worker import run_once
    from contact_center.visits import jobs

    monkeypatch.setattr(jobs, "utc_now", lambda: datetime(2026, 3, 4, 12, 0, tzinfo=UTC))
    result = await run_once(JobContext(db, settings), "visit-plan")
    assert isinstance(result, dict) and set(result) == {"placed", "moved", "dropped", "unplaced"}
