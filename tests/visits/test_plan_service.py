"""The plan written to the database: placed, re-planned without change, moved by hand (the
planner's rules re-checked), ordered into a route, and exported as iCalendar."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import icalendar
import pytest

from contact_center.visits import plan_visits
from tests.builders import token_for
from tests.visits.helpers import NOW, freeze, manager_with_accounts

TODAY = NOW.date()  # Wednesday 2026-03-04; the accounts' route day is Wednesday


@pytest.fixture(autouse=True)
def _frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    freeze(monkeypatch)


async def _visits(db: Any, manager_id: Any) -> list[Any]:
    async with db.acquire() as conn:
        return list(
            await conn.fetch(
                "SELECT id, organization_id, day, state, sequence, arrives_at, version"
                " FROM visits WHERE manager_id = $1 ORDER BY day, sequence",
                manager_id,
            )
        )


async def _feed(client: Any, manager_id: Any, auth: dict[str, str]) -> tuple[str, str]:
    """The manager's feed address, and its path on the test server."""
    answer = await client.get(f"/api/v1/managers/{manager_id}/calendar-feed", headers=auth)
    url: str = (await answer.json())["url"]
    return url, "/calendar/" + url.rsplit("/calendar/", 1)[1]


async def test_plan_places_weekly_visits_on_the_route_day_and_replanning_changes_nothing(
    db: Any,
) -> None:
    manager, _orgs = await manager_with_accounts(db, 3)
    first = await plan_visits(db, manager_ids=[manager.id], now=NOW)
    rows = await _visits(db, manager.id)
    wednesdays = [TODAY + timedelta(weeks=n) for n in range(1, 8)]  # after today, in 8 weeks
    assert sorted({r["day"] for r in rows}) == wednesdays
    assert first.placed == len(rows) == 3 * 7
    assert all(r["sequence"] is not None and r["arrives_at"] is not None for r in rows)
    day_one = [r for r in rows if r["day"] == wednesdays[0]]
    assert sorted(r["sequence"] for r in day_one) == [0, 1, 2]
    again = await plan_visits(db, manager_ids=[manager.id], now=NOW)
    assert (again.placed, again.moved, again.dropped) == (0, 0, 0)
    assert [(r["id"], r["version"]) for r in await _visits(db, manager.id)] == [
        (r["id"], r["version"]) for r in rows
    ]


async def test_a_move_is_checked_by_the_planner_and_pins_the_visit(client: Any, db: Any) -> None:
    manager, _orgs = await manager_with_accounts(db, 2)
    await plan_visits(db, manager_ids=[manager.id], now=NOW)
    auth = await token_for(db, manager)
    week = await (
        await client.get(
            "/api/v1/visits", params={"from": str(TODAY + timedelta(days=7))}, headers=auth
        )
    ).json()
    visit = week["visits"][0]
    saturday = date.fromisoformat(visit["day"]) + timedelta(days=3)
    refused = await client.post(
        f"/api/v1/visits/{visit['id']}/move",
        json={"day": str(saturday), "version": visit["version"]},
        headers=auth,
    )
    assert refused.status == 422
    error = (await refused.json())["error"]
    assert error["field"] == "day" and "weekday" in error["message"]
    thursday = date.fromisoformat(visit["day"]) + timedelta(days=1)
    moved = await client.post(
        f"/api/v1/visits/{visit['id']}/move",
        json={"day": str(thursday), "version": visit["version"]},
        headers=auth,
    )
    assert moved.status == 200
    body = await moved.json()
    assert (body["day"], body["pinned"], body["sequence"]) == (str(thursday), True, 0)
    assert body["arrives_at"] is not None
    stale = await client.post(
        f"/api/v1/visits/{visit['id']}/move",
        json={"day": str(thursday), "version": visit["version"]},
        headers=auth,
    )
    assert stale.status == 409
    again = await plan_visits(db, manager_ids=[manager.id], now=NOW)
    assert (again.moved, again.dropped) == (0, 0)
    route = await (
        await client.get("/api/v1/visits/route", params={"day": str(thursday)}, headers=auth)
    ).json()
    assert [s["id"] for s in route["stops"]] == [visit["id"]]
    assert route["distance_km"] == 0.0  # no start point: the day starts at its only stop


async def test_the_day_route_is_ordered_with_arrival_times(client: Any, db: Any) -> None:
    manager, _orgs = await manager_with_accounts(db, 3)
    auth = await token_for(db, manager)
    await client.put(
        f"/api/v1/managers/{manager.id}/visit-profile",
        json={"start_latitude": 31.2, "start_longitude": 121.4, "weekdays": [1, 2, 3, 4, 5]},
        headers=auth,
    )
    await plan_visits(db, manager_ids=[manager.id], now=NOW)
    route = await (
        await client.get(
            "/api/v1/visits/route", params={"day": str(TODAY + timedelta(days=7))}, headers=auth
        )
    ).json()
    assert route["start"] == {"latitude": 31.2, "longitude": 121.4}
    arrivals = [s["arrives_at"] for s in route["stops"]]
    assert len(arrivals) == 3 and arrivals == sorted(arrivals)
    assert route["distance_km"] > 0 and route["travel_minutes"] > 0


async def test_the_calendar_feed_parses_back_and_rotates(client: Any, db: Any) -> None:
    manager, _orgs = await manager_with_accounts(db, 1)
    await plan_visits(db, manager_ids=[manager.id], now=NOW)
    auth = await token_for(db, manager)
    url, path = await _feed(client, manager.id, auth)
    answer = await client.get(path)
    assert answer.status == 200
    assert answer.content_type == "text/calendar"
    cal = icalendar.Calendar.from_ical(await answer.read())
    events = list(cal.walk("VEVENT"))
    assert len(events) == 7
    first = events[0]
    assert str(first["SUMMARY"]) == "账户 Account 0"
    assert str(first["STATUS"]) == "TENTATIVE"
    assert str(first["LOCATION"]) == "0 Bund Road"
    assert first["UID"].endswith("@visits.contact-center")
    assert first.decoded("DTSTART") < first.decoded("DTEND")
    assert cal["X-WR-CALNAME"].startswith("Visits")
    rotated = await (
        await client.post(f"/api/v1/managers/{manager.id}/calendar-feed/rotate", headers=auth)
    ).json()
    assert rotated["url"] != url
    assert (await client.get(path)).status == 404
    export = await client.get("/api/v1/visits.ics", headers=auth)
    assert export.status == 200
    assert "attachment" in export.headers["Content-Disposition"]


async def test_plan_writes_leave_visits_recorded_or_pinned_meanwhile_alone(db: Any) -> None:
    from contact_center.visits import visit_store
    from tests.visits.helpers import put_visit

    manager, orgs = await manager_with_accounts(db, 2)
    day = TODAY + timedelta(days=7)
    done = await put_visit(db, orgs[0].id, manager.id, TODAY)
    pinned = await put_visit(db, orgs[1].id, manager.id, day)
    async with db.acquire() as conn:
        await conn.execute("UPDATE visits SET state = 'done' WHERE id = $1", done)
        await conn.execute("UPDATE visits SET pinned = true WHERE id = $1", pinned)
        # what a plan read before the outcome and the pin would write
        await visit_store.redate_many(conn, [done, pinned], [day + timedelta(1)] * 2, NOW)
        await visit_store.carry_requests(conn, [done, pinned], [None, None], ["requested"] * 2, NOW)
        rows = await conn.fetch(
            "SELECT id, day, kind, version FROM visits WHERE id = ANY($1::uuid[])", [done, pinned]
        )
    assert {r["id"]: (r["day"], r["kind"], r["version"]) for r in rows} == {
        done: (TODAY, "cadence", 1),
        pinned: (day, "cadence", 1),
    }


async def test_the_feed_stops_for_a_deactivated_manager_and_carries_no_outcome_notes(
    client: Any, db: Any
) -> None:
    manager, orgs = await manager_with_accounts(db, 1)
    await plan_visits(db, manager_ids=[manager.id], now=NOW)
    async with db.acquire() as conn:
        await conn.execute(
            "UPDATE visits SET state = 'confirmed', outcome_notes = 'Owner ill: 王先生 住院',"
            " next_steps = 'Call his wife' WHERE manager_id = $1",
            manager.id,
        )
    auth = await token_for(db, manager)
    _url, path = await _feed(client, manager.id, auth)
    answer = await client.get(path)
    assert answer.status == 200
    assert answer.headers["Cache-Control"] == "no-store"
    body = (await answer.read()).decode()
    assert "王先生" not in body and "Call his wife" not in body
    async with db.acquire() as conn:
        await conn.execute("UPDATE users SET role = 'agent' WHERE id = $1", manager.id)
        await conn.execute(
            "UPDATE organizations SET account_manager_id = NULL WHERE id = $1", orgs[0].id
        )
    assert (await client.get(path)).status == 404
    async with db.acquire() as conn:
        await conn.execute(
            "UPDATE users SET role = 'account_manager', active = false WHERE id = $1", manager.id
        )
    assert (await client.get(path)).status == 404


async def test_replanning_the_new_manager_of_an_account_takes_over_its_visits(db: Any) -> None:
    from contact_center.visits import ask_for_visit
    from tests.builders import TEST_ACTOR

    old, orgs = await manager_with_accounts(db, 1)
    new, _ = await manager_with_accounts(db, 1)
    await plan_visits(db, manager_ids=[old.id], now=NOW)
    before = await _visits(db, old.id)
    async with db.acquire() as conn:
        await conn.execute("UPDATE visits SET state = 'confirmed' WHERE id = $1", before[0]["id"])
        await conn.execute(
            "UPDATE organizations SET account_manager_id = $2 WHERE id = $1", orgs[0].id, new.id
        )
    asked, _ = await ask_for_visit(db, TEST_ACTOR, orgs[0].id, due_by=None, note="", now=NOW)
    result = await plan_visits(db, manager_ids=[new.id], now=NOW)
    assert result.not_written == 0
    theirs = [r for r in await _visits(db, new.id) if r["organization_id"] == orgs[0].id]
    left = [r for r in await _visits(db, old.id) if r["state"] != "cancelled"]
    assert [r["id"] for r in left] == [before[0]["id"]]  # confirmed: it stays and counts
    days = [r["day"] for r in theirs if r["state"] == "planned"]
    assert before[0]["day"] not in days and len(days) == len(set(days)) >= 6
    async with db.acquire() as conn:
        state = await conn.fetchval("SELECT state FROM visit_requests WHERE id = $1", asked.id)
        carried = await conn.fetchval(
            "SELECT count(*) FROM visits WHERE request_id = $1 AND state = 'planned'", asked.id
        )
    assert (state, carried) == ("planned", 1)


async def test_the_planner_and_the_tours_run_off_the_event_loop(
    db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from contact_center.visits import planning, tours

    threads: list[str] = []
    real_plan, real_order = planning.plan, tours.order_day

    def plan(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread().name)
        return real_plan(*args, **kwargs)

    def order_day(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread().name)
        return real_order(*args, **kwargs)

    monkeypatch.setattr(planning, "plan", plan)
    monkeypatch.setattr(tours, "order_day", order_day)
    manager, _orgs = await manager_with_accounts(db, 2)
    await plan_visits(db, manager_ids=[manager.id], now=NOW)
    assert len(threads) > 1
    assert threading.main_thread().name not in threads


async def test_a_plan_of_every_manager_is_queued_for_the_worker(
    client: Any, db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from contact_center.users import Role
    from tests.builders import make_user

    manager, _orgs = await manager_with_accounts(db, 1)
    boss = await token_for(db, await make_user(db, Role.SUPERVISOR))
    queued = await client.post("/api/v1/visits/plan", json={}, headers=boss)
    assert queued.status == 202
    assert await queued.json() == {"queued": "all"}
    again = await client.post("/api/v1/visits/plan", json={}, headers=boss)
    assert again.status == 202
    async with db.acquire() as conn:
        payloads = await conn.fetch(
            "SELECT convert_from(payload, 'UTF8') AS p FROM pgqueuer"
            " WHERE entrypoint = 'visit-plan'"
        )
        assert await conn.fetchval("SELECT count(*) FROM visits") == 0
    assert [r["p"] for r in payloads] == ["all"]
    from types import SimpleNamespace

    from contact_center.visits import jobs

    monkeypatch.setattr(jobs, "utc_now", lambda: NOW)
    done = await jobs.plan_manager(SimpleNamespace(pool=db), "all")  # type: ignore[arg-type]
    assert isinstance(done, dict) and done["placed"] >= 7  # this manager's weeks, at least
    one = await client.post(
        "/api/v1/visits/plan", json={"manager_id": str(manager.id)}, headers=boss
    )
    assert one.status == 200 and (await one.json())["placed"] == 0  # the job placed them


async def _make_up_request(db: Any) -> tuple[Any, Any, Any]:
    """A manager's account whose first visit was missed: (manager, the make-up's visit, when)."""
    from contact_center.audit import Actor
    from contact_center.visits import VisitState, list_visits, record_outcome

    manager, _orgs = await manager_with_accounts(db, 1, route_weekday=None)
    await plan_visits(db, manager_ids=[manager.id], now=NOW)
    found = await list_visits(
        db, manager_id=manager.id, first=TODAY, last=TODAY + timedelta(days=14), now=NOW
    )
    first = min(found, key=lambda v: v.day)
    later = NOW + timedelta(days=(first.day - TODAY).days, hours=20)
    await record_outcome(
        db, Actor.system("test"), first.id, state=VisitState.MISSED, notes="", next_steps="",
        satisfaction=None, version=first.version, overseer=True, now=later,
    )  # fmt: skip
    await plan_visits(db, manager_ids=[manager.id], now=later)
    (make_up,) = await _carrying(db, manager.id, later)
    return manager, make_up, later


async def _carrying(db: Any, manager_id: Any, now: Any) -> list[Any]:
    from contact_center.visits import list_visits

    found = await list_visits(
        db, manager_id=manager_id, first=TODAY, last=TODAY + timedelta(weeks=8), now=now
    )
    return [v for v in found if v.reason == "missed" and v.state == "planned"]


async def _request_state(db: Any, request_id: Any) -> tuple[str, Any]:
    async with db.acquire() as conn:
        row = await conn.fetchrow(
            "SELECT state, due_by FROM visit_requests WHERE id = $1", request_id
        )
    return row["state"], row["due_by"].date()


async def test_leave_on_a_make_up_visits_day_places_its_request_again_within_its_days(
    db: Any,
) -> None:
    from contact_center.audit import Actor
    from contact_center.visits import add_leave

    manager, make_up, later = await _make_up_request(db)
    await add_leave(db, Actor.system("test"), manager.id, make_up.day, "Training", now=later)
    await plan_visits(db, manager_ids=[manager.id], now=later)
    (carrier,) = await _carrying(db, manager.id, later)
    state, due = await _request_state(db, make_up.request_id)
    assert carrier.request_id == make_up.request_id and state == "planned"
    assert carrier.day != make_up.day and carrier.day <= due
    async with db.acquire() as conn:
        cancelled = await conn.fetchval(
            "SELECT count(*) FROM visits WHERE manager_id = $1 AND state = 'cancelled'",
            manager.id,
        )
    assert cancelled == 0  # the visit on the leave day moved; nothing was cancelled


async def test_a_request_its_visit_can_no_longer_hold_in_time_waits_again(db: Any) -> None:
    from contact_center.audit import Actor
    from contact_center.visits import add_leave

    manager, make_up, later = await _make_up_request(db)
    _state, due = await _request_state(db, make_up.request_id)
    day = later.date() + timedelta(days=1)
    while day <= due:  # every day the request could use is leave
        await add_leave(db, Actor.system("test"), manager.id, day, "Away", now=later)
        day += timedelta(days=1)
    result = await plan_visits(db, manager_ids=[manager.id], now=later)
    assert await _carrying(db, manager.id, later) == []
    assert await _request_state(db, make_up.request_id) == ("requested", due)
    assert [u.request_id for u in result.unplaced if u.request_id] == [make_up.request_id]
