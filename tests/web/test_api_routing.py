"""The routing API: presence, offers, agents' settings, the board and assignment by hand."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient

from contact_center import routing
from contact_center.routing import ItemKind
from contact_center.timeutil import utc_now
from contact_center.users import Role
from tests.builders import make_user, token_for
from tests.conftest import SingleConnectionPool
from tests.routing.helpers import enqueue

Client = TestClient[Any, Any]


async def test_an_agent_goes_available_and_accepts_an_offer(
    client: Client, db: SingleConnectionPool
) -> None:
    agent = await make_user(db, Role.AGENT)
    headers = await token_for(db, agent)
    start = await (await client.get("/api/v1/me/presence", headers=headers)).json()
    assert start["presence"] == "offline" and start["capacity"] == {"voice": 1, "messaging": 5}
    answer = await client.put(
        "/api/v1/me/presence", json={"presence": "available"}, headers=headers
    )
    assert answer.status == 200 and (await answer.json())["presence"] == "available"
    assert (await (await client.get("/api/v1/offers/mine", headers=headers)).json()) == {
        "offer": None
    }

    item_id, call_id = await enqueue(db, utc_now(), kind=ItemKind.CALL)
    await routing.dispatch(db, now=utc_now())
    offer = (await (await client.get("/api/v1/offers/mine", headers=headers)).json())["offer"]
    assert offer["item_id"] == str(item_id) and offer["call_id"] == str(call_id)
    assert offer["customer"]["name"] == "Test Caller" and offer["kind"] == "call"
    assert (offer["queue"], offer["queue_label"]) == ("general", "General")

    other = await token_for(db, await make_user(db, Role.AGENT))
    refused = await client.post(f"/api/v1/offers/{offer['id']}/accept", headers=other)
    assert refused.status == 403
    accepted = await client.post(f"/api/v1/offers/{offer['id']}/accept", headers=headers)
    assert accepted.status == 200
    assert (await accepted.json())["call_id"] == str(call_id)
    again = await client.post(f"/api/v1/offers/{offer['id']}/accept", headers=headers)
    assert again.status == 200  # a retried click answers the same
    late = await client.post(f"/api/v1/offers/{offer['id']}/reject", headers=headers)
    assert late.status == 409
    state = await (await client.get("/api/v1/me/presence", headers=headers)).json()
    assert state["load"] == {"voice": 1, "messaging": 0}


async def test_agents_act_on_themselves_and_supervisors_on_anyone(
    client: Client, db: SingleConnectionPool
) -> None:
    agent = await make_user(db, Role.AGENT)
    colleague = await make_user(db, Role.AGENT)
    supervisor = await token_for(db, await make_user(db, Role.SUPERVISOR))
    mine = await token_for(db, agent)
    url = f"/api/v1/agents/{colleague.id}/presence"
    assert (await client.put(url, json={"presence": "away"}, headers=mine)).status == 403
    set_by_boss = await client.put(
        url, json={"presence": "away", "reason": "meeting"}, headers=supervisor
    )
    assert (await set_by_boss.json())["reason"] == "meeting"
    changed = await client.put(
        f"/api/v1/agents/{agent.id}",
        json={"skills": ["Complaints"], "capacity": {"messaging": 3}},
        headers=supervisor,
    )
    assert changed.status == 200
    body = await changed.json()
    assert body["skills"] == ["complaints"] and body["capacity"]["messaging"] == 3
    assert (await client.put(f"/api/v1/agents/{agent.id}", json={}, headers=mine)).status == 403
    assert (await client.get(f"/api/v1/agents/{agent.id}", headers=mine)).status == 200
    assert (await client.get(f"/api/v1/agents/{colleague.id}", headers=mine)).status == 403
    assert (await client.get("/api/v1/routing/board", headers=mine)).status == 403


async def test_a_supervisor_sees_the_board_and_assigns_by_hand(
    client: Client, db: SingleConnectionPool
) -> None:
    supervisor = await token_for(db, await make_user(db, Role.SUPERVISOR))
    agent = await make_user(db, Role.AGENT)
    item_id, _ = await enqueue(db, utc_now())
    board = await (await client.get("/api/v1/routing/board", headers=supervisor)).json()
    general = next(q for q in board["queues"] if q["name"] == "general")
    assert general["waiting"]["callback"] >= 1
    assert any(i["id"] == str(item_id) for i in general["items"])
    assigned = await client.post(
        f"/api/v1/routing/items/{item_id}/assign",
        json={"user_id": str(agent.id)},
        headers=supervisor,
    )
    assert assigned.status == 200 and (await assigned.json())["user_id"] == str(agent.id)
    again = await client.post(
        f"/api/v1/routing/items/{item_id}/assign",
        json={"user_id": str(agent.id)},
        headers=supervisor,
    )
    assert again.status == 409
