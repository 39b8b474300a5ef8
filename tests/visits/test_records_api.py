"""The visits API without the planner: listing, outcomes, missed visits, overdue accounts."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from contact_center.users import Role
from contact_center.visits import satisfaction_by_account
from tests.builders import make_user, token_for
from tests.visits.helpers import NOW, freeze, manager_with_accounts, put_visit

TODAY = NOW.date()


@pytest.fixture(autouse=True)
def _frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    freeze(monkeypatch)


async def test_managers_see_their_own_visits_and_supervisors_all(client: Any, db: Any) -> None:
    manager, orgs = await manager_with_accounts(db)
    other, other_orgs = await manager_with_accounts(db, 1)
    mine = await put_visit(db, orgs[0].id, manager.id, TODAY + timedelta(days=7))
    await put_visit(db, other_orgs[0].id, other.id, TODAY + timedelta(days=7))
    auth = await token_for(db, manager)
    query = {"from": str(TODAY), "to": str(TODAY + timedelta(days=13))}
    answer = await client.get("/api/v1/visits", params=query, headers=auth)
    assert answer.status == 200
    found = (await answer.json())["visits"]
    assert [v["id"] for v in found] == [str(mine)]
    view = found[0]
    assert view["account_name"] == "账户 Account 0"
    assert (view["window_start"], view["window_end"]) == ("09:00", "17:00")
    assert view["duration_minutes"] == 45
    assert view["reason"] == "cadence"
    assert view["needs_outcome"] is False
    assert view["reminder"] == "not_due"
    refused = await client.get(
        "/api/v1/visits", params={**query, "manager_id": str(other.id)}, headers=auth
    )
    assert refused.status == 403
    boss = await token_for(db, await make_user(db, Role.SUPERVISOR))
    everyone = await client.get("/api/v1/visits", params=query, headers=boss)
    assert len((await everyone.json())["visits"]) == 2


async def test_a_visit_done_needs_notes_and_a_stale_version_is_refused(
    client: Any, db: Any
) -> None:
    manager, orgs = await manager_with_accounts(db, 1)
    visit_id = await put_visit(db, orgs[0].id, manager.id, TODAY)
    auth = await token_for(db, manager)
    url = f"/api/v1/visits/{visit_id}/outcome"
    blank = await client.post(url, json={"state": "done", "version": 1}, headers=auth)
    assert blank.status == 422
    assert (await blank.json())["error"]["field"] == "outcome_notes"
    confirmed = await client.post(url, json={"state": "confirmed", "version": 1}, headers=auth)
    assert confirmed.status == 200
    assert (await confirmed.json())["version"] == 2
    stale = await client.post(url, json={"state": "cancelled", "version": 1}, headers=auth)
    assert stale.status == 409
    done = await client.post(
        url,
        json={
            "state": "done",
            "version": 2,
            "outcome_notes": "Went through the new price list",
            "next_steps": "Send samples",
            "satisfaction": 4,
        },
        headers=auth,
    )
    assert done.status == 200
    body = await done.json()
    assert (body["state"], body["satisfaction"], body["reminder"]) == ("done", 4, "none")
    async with db.acquire() as conn:
        scores = await satisfaction_by_account(conn, since=TODAY - timedelta(days=30))
    assert scores == {orgs[0].id: [4]}


async def test_a_future_visit_cannot_be_recorded_done(client: Any, db: Any) -> None:
    manager, orgs = await manager_with_accounts(db, 1)
    visit_id = await put_visit(db, orgs[0].id, manager.id, TODAY + timedelta(days=1))
    auth = await token_for(db, manager)
    answer = await client.post(
        f"/api/v1/visits/{visit_id}/outcome",
        json={"state": "done", "version": 1, "outcome_notes": "early"},
        headers=auth,
    )
    assert answer.status == 422


async def test_a_missed_visit_asks_for_a_make_up_and_shows_to_supervisors(
    client: Any, db: Any
) -> None:
    manager, orgs = await manager_with_accounts(db, 1)
    visit_id = await put_visit(db, orgs[0].id, manager.id, TODAY - timedelta(days=1))
    auth = await token_for(db, manager)
    boss = await token_for(db, await make_user(db, Role.SUPERVISOR))
    listed = await client.get(
        "/api/v1/visits", params={"from": str(TODAY - timedelta(days=1))}, headers=auth
    )
    assert (await listed.json())["visits"][0]["needs_outcome"] is True
    missed = await client.post(
        f"/api/v1/visits/{visit_id}/outcome",
        json={"state": "missed", "version": 1, "outcome_notes": "Closed for stock-taking"},
        headers=auth,
    )
    assert missed.status == 200
    assert (await client.get("/api/v1/visits/missed", headers=auth)).status == 403
    board = await (await client.get("/api/v1/visits/missed", headers=boss)).json()
    assert [v["id"] for v in board["visits"]] == [str(visit_id)]
    async with db.acquire() as conn:
        reasons = await conn.fetch(
            "SELECT reason, state, due_by FROM visit_requests WHERE organization_id = $1",
            orgs[0].id,
        )
        queued = await conn.fetchval(
            "SELECT count(*) FROM pgqueuer WHERE entrypoint = 'visit-plan'"
        )
        events = await conn.fetchval("SELECT count(*) FROM events WHERE name = 'visit.updated'")
    assert [(r["reason"], r["state"]) for r in reasons] == [("missed", "requested")]
    assert reasons[0]["due_by"] == NOW + timedelta(days=7)  # within a key account's cadence
    assert queued == 1
    assert events >= 1


async def test_key_accounts_without_a_recent_visit_are_overdue(client: Any, db: Any) -> None:
    manager, orgs = await manager_with_accounts(db, 2)
    visit_id = await put_visit(db, orgs[1].id, manager.id, TODAY - timedelta(days=2))
    auth = await token_for(db, manager)
    await client.post(
        f"/api/v1/visits/{visit_id}/outcome",
        json={"state": "done", "version": 1, "outcome_notes": "ok"},
        headers=auth,
    )
    answer = await (await client.get("/api/v1/visits/overdue-accounts", headers=auth)).json()
    assert [a["organization_id"] for a in answer["accounts"]] == [str(orgs[0].id)]
    card = await (await client.get(f"/api/v1/accounts/{orgs[0].id}/visits", headers=auth)).json()
    assert card["overdue"] is True
    visited = await (await client.get(f"/api/v1/accounts/{orgs[1].id}/visits", headers=auth)).json()
    assert (visited["overdue"], visited["last_visit"]) == (False, str(date(2026, 3, 2)))


async def test_the_lists_default_to_the_sites_day_not_the_utc_day(
    client: Any, db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import datetime

    evening = datetime.combine(TODAY, datetime.min.time(), NOW.tzinfo) + timedelta(hours=20)
    freeze(monkeypatch, evening)  # 20:00 UTC: already tomorrow morning in Shanghai
    async with db.acquire() as conn:
        await conn.execute(
            "UPDATE site_settings SET value = to_jsonb('Asia/Shanghai'::text)"
            " WHERE key = 'timezone'"
        )
    manager, orgs = await manager_with_accounts(db, 1)
    tomorrow = TODAY + timedelta(days=1)
    await put_visit(db, orgs[0].id, manager.id, tomorrow)
    await put_visit(db, orgs[0].id, manager.id, TODAY)
    auth = await token_for(db, manager)
    found = (await (await client.get("/api/v1/visits", headers=auth)).json())["visits"]
    assert [v["day"] for v in found] == [str(tomorrow)]
    route = await (await client.get("/api/v1/visits/route", headers=auth)).json()
    assert route["day"] == str(tomorrow) and len(route["stops"]) == 1


async def test_a_make_up_note_is_worded_in_the_readers_language(client: Any, db: Any) -> None:
    from contact_center.visits import plan_visits

    manager, orgs = await manager_with_accounts(db, 1)
    visit_id = await put_visit(db, orgs[0].id, manager.id, TODAY)
    auth = await token_for(db, manager)
    missed = await client.post(
        f"/api/v1/visits/{visit_id}/outcome",
        json={"state": "missed", "version": 1},
        headers={**auth, "Accept-Language": "zh-CN"},
    )
    assert missed.status == 200
    await plan_visits(db, manager_ids=[manager.id], now=NOW)
    query = {"from": str(TODAY + timedelta(days=1)), "to": str(TODAY + timedelta(days=7))}
    notes = {}
    for language in ("en", "zh-CN"):
        answer = await client.get(
            "/api/v1/visits", params=query, headers={**auth, "Accept-Language": language}
        )
        found = [v for v in (await answer.json())["visits"] if v["reason"] == "missed"]
        assert len(found) == 1
        notes[language] = found[0]["request_note"]
    assert notes["en"] == f"Make-up for the visit missed on {TODAY}"
    assert notes["zh-CN"] == f"补访 {TODAY} 错过的拜访"


async def test_an_account_never_visited_is_late_only_once_its_first_visit_is(
    client: Any, db: Any
) -> None:
    """A new key account whose first visit is next week is not overdue; one whose first visit
    was missed more than a cadence and grace ago is."""
    manager, orgs = await manager_with_accounts(db, 2)
    await put_visit(db, orgs[0].id, manager.id, TODAY + timedelta(days=5))
    missed = await put_visit(db, orgs[1].id, manager.id, TODAY - timedelta(days=12))
    auth = await token_for(db, manager)
    recorded = await client.post(
        f"/api/v1/visits/{missed}/outcome",
        json={"state": "missed", "version": 1, "outcome_notes": "closed for stocktaking"},
        headers=auth,
    )
    assert recorded.status == 200, await recorded.text()
    answer = await (await client.get("/api/v1/visits/overdue-accounts", headers=auth)).json()
    assert [a["organization_id"] for a in answer["accounts"]] == [str(orgs[1].id)]
    card = await (await client.get(f"/api/v1/accounts/{orgs[0].id}/visits", headers=auth)).json()
    assert card["overdue"] is False
