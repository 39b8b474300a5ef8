"""A visit asked for by an agent is placed by the planner within the follow-up working days,
and the request is marked planned; an account without a manager waits, logged."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import pytest

from contact_center.visits import ask_for_visit, list_visits, plan_visits
from tests.builders import TEST_ACTOR, make_organization
from tests.visits.helpers import NOW, manager_with_accounts

TODAY = NOW.date()  # Wednesday


async def test_an_agents_request_is_placed_within_three_working_days(db: Any) -> None:
    manager, orgs = await manager_with_accounts(db, 1, route_weekday=None)
    await plan_visits(db, manager_ids=[manager.id], now=NOW)
    asked, _ = await ask_for_visit(
        db, TEST_ACTOR, orgs[0].id, due_by=None, note="New range", now=NOW
    )
    assert asked.due_by.date() == TODAY + timedelta(days=5)  # Wed + 3 working days = Mon
    result = await plan_visits(db, manager_ids=[manager.id], now=NOW)
    assert result.unplaced == []
    found = await list_visits(
        db, manager_id=manager.id, first=TODAY, last=TODAY + timedelta(days=5), now=NOW
    )
    requested = [v for v in found if v.request_id == asked.id]
    assert len(requested) == 1
    assert requested[0].reason == "agent" and requested[0].request_note == "New range"
    assert TODAY <= requested[0].day <= TODAY + timedelta(days=5)
    async with db.acquire() as conn:
        state = await conn.fetchval("SELECT state FROM visit_requests WHERE id = $1", asked.id)
    assert state == "planned"


async def test_a_request_for_an_account_without_a_manager_waits(
    db: Any, caplog: pytest.LogCaptureFixture
) -> None:
    org = await make_organization(db, "No Manager Ltd")
    with caplog.at_level(logging.WARNING):
        asked, _ = await ask_for_visit(db, TEST_ACTOR, org.id, due_by=None, note="", now=NOW)
    assert asked.state == "requested"
    assert "no account manager" in caplog.text


async def test_changing_an_accounts_route_day_queues_a_replan_of_its_manager(db: Any) -> None:
    from contact_center import customers

    manager, orgs = await manager_with_accounts(db, 1)
    await customers.update_organization(db, TEST_ACTOR, orgs[0].id, {"route_weekday": 4})
    async with db.acquire() as conn:
        queued = await conn.fetch(
            "SELECT convert_from(payload, 'UTF8') AS p FROM pgqueuer WHERE entrypoint = 'visit-plan'"
        )
    assert [r["p"] for r in queued] == [str(manager.id)]


async def test_a_cancelled_follow_up_visit_is_placed_again_before_its_due_date(db: Any) -> None:
    from contact_center.visits import record_outcome
    from contact_center.visits.model import VisitState

    manager, orgs = await manager_with_accounts(db, 1, route_weekday=None)
    asked, _ = await ask_for_visit(db, TEST_ACTOR, orgs[0].id, due_by=None, note="Leak", now=NOW)
    await plan_visits(db, manager_ids=[manager.id], now=NOW)
    window = {"first": TODAY, "last": TODAY + timedelta(days=5), "now": NOW}
    first = [v for v in await list_visits(db, manager_id=manager.id, **window)]
    follow_up = next(v for v in first if v.request_id == asked.id)
    await record_outcome(
        db,
        TEST_ACTOR,
        follow_up.id,
        state=VisitState.CANCELLED,
        notes="",
        next_steps="",
        satisfaction=None,
        version=follow_up.version,
        overseer=True,
        now=NOW,
    )
    async with db.acquire() as conn:
        state = await conn.fetchval("SELECT state FROM visit_requests WHERE id = $1", asked.id)
    assert state == "requested"
    await plan_visits(db, manager_ids=[manager.id], now=NOW)
    live = [
        v
        for v in await list_visits(db, manager_id=manager.id, **window)
        if v.state in {"planned", "confirmed"} and v.day <= asked.due_by.date()
    ]
    assert [v.request_id for v in live] == [asked.id]


async def test_a_follow_up_visit_may_not_be_moved_past_its_due_date(
    client: Any, db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.builders import token_for
    from tests.visits.helpers import freeze

    freeze(monkeypatch)
    manager, orgs = await manager_with_accounts(db, 1, route_weekday=None)
    asked, _ = await ask_for_visit(db, TEST_ACTOR, orgs[0].id, due_by=None, note="", now=NOW)
    await plan_visits(db, manager_ids=[manager.id], now=NOW)
    found = await list_visits(
        db, manager_id=manager.id, first=TODAY, last=TODAY + timedelta(days=5), now=NOW
    )
    visit = next(v for v in found if v.request_id == asked.id)
    auth = await token_for(db, manager)
    late = asked.due_by.date() + timedelta(days=1)  # Tuesday: a working day, in the horizon
    refused = await client.post(
        f"/api/v1/visits/{visit.id}/move",
        json={"day": str(late), "version": visit.version},
        headers={**auth, "Accept-Language": "zh-CN"},
    )
    assert refused.status == 422
    error = (await refused.json())["error"]
    assert error["field"] == "day"
    assert error["message"] == "该日期晚于该拜访请求的截止日期。"


async def test_asking_twice_for_a_visit_gives_the_open_request(client: Any, db: Any) -> None:
    from tests.builders import token_for

    manager, orgs = await manager_with_accounts(db, 1, route_weekday=None)
    auth = await token_for(db, manager)
    url = f"/api/v1/accounts/{orgs[0].id}/visit-requests"
    first = await client.post(url, json={"note": "New range"}, headers=auth)
    second = await client.post(url, json={"note": "New range"}, headers=auth)
    assert (first.status, second.status) == (201, 200)
    asked, again = await first.json(), await second.json()
    assert asked["id"] == again["id"]
    assert (asked["already_asked"], again["already_asked"]) == (False, True)
    assert again["note"] == "New range"  # the same words are not added twice
    async with db.acquire() as conn:
        count = await conn.fetchval(
            "SELECT count(*) FROM visit_requests WHERE organization_id = $1", orgs[0].id
        )
    assert count == 1


async def test_a_second_ask_adds_its_note_to_the_open_request(db: Any) -> None:
    _manager, orgs = await manager_with_accounts(db, 1, route_weekday=None)
    first, created = await ask_for_visit(
        db, TEST_ACTOR, orgs[0].id, due_by=None, note="New range", now=NOW
    )
    assert created
    later = NOW + timedelta(hours=2)
    second, created = await ask_for_visit(
        db, TEST_ACTOR, orgs[0].id, due_by=None, note="Also a broken fridge", now=later
    )
    assert not created and second.id == first.id
    assert second.note == "New range\nAlso a broken fridge"
    assert second.due_by == first.due_by  # the request keeps its date; the planner placed it
    quiet, _ = await ask_for_visit(db, TEST_ACTOR, orgs[0].id, due_by=None, note="", now=later)
    assert quiet.note == second.note
    async with db.acquire() as conn:
        kept = await conn.fetchval("SELECT note FROM visit_requests WHERE id = $1", first.id)
        audited = await conn.fetch(
            "SELECT action, after FROM audit_log WHERE entity = 'visit_request' "
            "AND entity_id = $1 ORDER BY at",
            str(first.id),
        )
    assert kept == "New range\nAlso a broken fridge"
    assert [r["action"] for r in audited] == ["created", "note_added"]
