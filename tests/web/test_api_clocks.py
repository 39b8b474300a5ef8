"""The clocks API: a ticket's clocks and events, and the deadlines list by scope and state."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from aiohttp.test_utils import TestClient

from contact_center import tickets
from contact_center.i18n import using
from contact_center.timeutil import utc_now
from contact_center.users import Role
from contact_center.workflows import deadline_service
from tests.builders import TEST_ACTOR, make_user, token_for
from tests.conftest import SingleConnectionPool
from tests.workflows.helpers import MONDAY_10, open_ticket

Client = TestClient[Any, Any]


async def test_a_ticket_shows_its_clocks_and_their_events(
    client: Client, db: SingleConnectionPool
) -> None:
    agent = await make_user(db, Role.AGENT)
    ticket = await open_ticket(db, now=MONDAY_10)
    answer = await client.get(
        f"/api/v1/tickets/{ticket.id}/clocks", headers=await token_for(db, agent)
    )
    assert answer.status == 200
    body = await answer.json()
    kinds = [(c["kind"], c["label"], c["state"]) for c in body["clocks"]]
    assert kinds == [
        ("first_response", "First response", "running"),
        ("resolution", "Resolution", "running"),
    ]
    first = body["clocks"][0]
    assert first["target_seconds"] == 4 * 3600
    assert first["due_at"].startswith("2026-03-02T14:00")
    assert first["remaining_seconds"] < 0  # long past, counted to now
    assert [e["event"] for e in body["events"]] == ["started", "started"]


async def test_deadlines_list_warned_and_breached_clocks_by_scope(
    client: Client, db: SingleConnectionPool
) -> None:
    agent = await make_user(db, Role.AGENT)
    headers = await token_for(db, agent)
    ticket = await open_ticket(db, now=utc_now() - timedelta(days=30))
    await tickets.update_ticket(
        db, TEST_ACTOR, ticket.id, {"assignee_id": str(agent.id)}, now=utc_now()
    )
    await deadline_service.scan_deadlines(db, now=utc_now())
    mine = await client.get("/api/v1/deadlines?scope=mine&state=breached", headers=headers)
    assert mine.status == 200
    rows = (await mine.json())["deadlines"]
    assert {r["kind"] for r in rows} == {"first_response", "resolution"}
    assert rows[0]["ticket_number"] == ticket.number
    assert rows[0]["assignee_id"] == str(agent.id)
    assert rows[0]["priority"] == "urgent"  # normal, raised once per breach
    warned = await client.get("/api/v1/deadlines?state=warned", headers=headers)
    assert (await warned.json())["deadlines"] == []  # all of them are past due
    other = await make_user(db, Role.AGENT)
    theirs = await client.get(
        "/api/v1/deadlines?scope=mine&state=breached", headers=await token_for(db, other)
    )
    assert (await theirs.json())["deadlines"] == []
    everyone = await client.get(
        "/api/v1/deadlines?scope=all&state=breached", headers=await token_for(db, other)
    )
    assert ticket.number in {r["ticket_number"] for r in (await everyone.json())["deadlines"]}


def test_labels_are_translated() -> None:
    from contact_center.workflows.labels import clock_label
    from contact_center.workflows.model import ClockKind

    with using("zh_Hans"):
        assert clock_label(ClockKind.FIRST_RESPONSE, None) != "First response"


async def test_clock_labels_follow_the_callers_language_and_name_steps_by_their_title(
    client: Client, db: SingleConnectionPool
) -> None:
    agent = await make_user(db, Role.AGENT)
    ticket = await open_ticket(db, now=MONDAY_10, kind=tickets.Kind.COMPLAINT)
    url = f"/api/v1/tickets/{ticket.id}/clocks"
    headers = await token_for(db, agent)
    english = await (await client.get(url, headers=headers)).json()
    steps = [c for c in english["clocks"] if c["kind"] == "step"]
    assert steps and all(c["label"] == "Step: Received" for c in steps if c["step"] == "received")
    chinese = await (
        await client.get(url, headers={**headers, "Accept-Language": "zh-CN,zh;q=0.9"})
    ).json()
    labels = {c["kind"]: c["label"] for c in chinese["clocks"]}
    with using("zh_Hans"):
        from contact_center.workflows.labels import clock_label
        from contact_center.workflows.model import ClockKind

        assert labels["first_response"] == clock_label(ClockKind.FIRST_RESPONSE, None)
    assert labels["first_response"] != "First response"
    assert "已受理" in {c["step"]: c["label"] for c in chinese["clocks"]}.get("received", "")
    assert all("已受理" in e["label"] for e in chinese["events"] if e["step"] == "received")
