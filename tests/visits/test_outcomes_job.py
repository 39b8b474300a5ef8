"""Visits left without an outcome: flagged the day after, recorded missed (with a make-up
request) once the next working day has passed too."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from contact_center.visits import list_visits, miss_unrecorded
from tests.visits.helpers import manager_with_accounts, put_visit

FRIDAY = datetime(2026, 3, 6, 12, 0, tzinfo=UTC)


async def test_a_visit_without_outcome_is_missed_after_the_next_working_day(db: Any) -> None:
    manager, orgs = await manager_with_accounts(db, 2)
    friday_visit = await put_visit(db, orgs[0].id, manager.id, FRIDAY.date())
    thursday_visit = await put_visit(db, orgs[1].id, manager.id, FRIDAY.date() - timedelta(1))
    monday = FRIDAY + timedelta(days=3)
    # Thursday's grace ended with Friday; Friday's next working day is Monday (weekend).
    assert await miss_unrecorded(db, now=monday) == 1
    views = await list_visits(
        db,
        manager_id=manager.id,
        first=FRIDAY.date() - timedelta(1),
        last=FRIDAY.date(),
        now=monday,
    )
    waiting = [(v.id, v.needs_outcome) for v in views if v.state == "planned"]
    assert waiting == [(friday_visit, True)]
    tuesday = monday + timedelta(days=1)
    assert await miss_unrecorded(db, now=tuesday) == 1
    assert await miss_unrecorded(db, now=tuesday) == 0
    async with db.acquire() as conn:
        states = dict(
            await conn.fetch("SELECT id, state FROM visits WHERE manager_id = $1", manager.id)
        )
        requests = await conn.fetchval(
            "SELECT count(*) FROM visit_requests WHERE reason = 'missed' AND organization_id = ANY($1)",
            [o.id for o in orgs],
        )
    assert states == {friday_visit: "missed", thursday_visit: "missed"}
    assert requests == 2
