"""GET/POST /api/v1/queues and GET/PATCH /api/v1/queues/{name}: staff read, supervisors and
admins write; bad settings are 422 naming the field, names in use 409."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient

from contact_center.users import Role
from tests.builders import make_user, token_for
from tests.conftest import SingleConnectionPool

Client = TestClient[Any, Any]
ALWAYS = {d: [["00:00", "24:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


async def test_staff_read_queues_with_their_hours_and_whether_open(
    client: Client, db: SingleConnectionPool
) -> None:
    headers = await token_for(db, await make_user(db, Role.AGENT))
    response = await client.get("/api/v1/queues", headers=headers)
    assert response.status == 200
    queues = {q["name"]: q for q in (await response.json())["queues"]}
    general = queues["general"]
    assert general["is_default"] is True
    assert general["hours"]["mon"] == [["08:00", "18:00"]]
    assert isinstance(general["open_now"], bool)
    assert (general["next_open"] is None) == general["open_now"]
    one = await client.get("/api/v1/queues/complaint", headers=headers)
    assert (await one.json())["skills"] == ["complaints"]


async def test_agents_may_not_change_queues(client: Client, db: SingleConnectionPool) -> None:
    headers = await token_for(db, await make_user(db, Role.AGENT))
    created = await client.post("/api/v1/queues", json={"name": "vip"}, headers=headers)
    assert created.status == 403
    changed = await client.patch("/api/v1/queues/order", json={"label": "x"}, headers=headers)
    assert changed.status == 403


async def test_a_supervisor_creates_and_changes_a_queue(
    client: Client, db: SingleConnectionPool
) -> None:
    headers = await token_for(db, await make_user(db, Role.SUPERVISOR))
    created = await client.post(
        "/api/v1/queues",
        json={"name": "vip", "label": "Key accounts", "skills": ["vip"], "hours": ALWAYS},
        headers=headers,
    )
    assert created.status == 201, await created.text()
    body = await created.json()
    assert (body["name"], body["open_now"], body["next_open"]) == ("vip", True, None)
    changed = await client.patch(
        "/api/v1/queues/vip",
        json={"strategy": "fewest_today", "overflow_queue": "general", "step_seconds": 30},
        headers=headers,
    )
    assert changed.status == 200, await changed.text()
    body = await changed.json()
    assert (body["strategy"], body["overflow_queue"], body["step_seconds"]) == (
        "fewest_today",
        "general",
        30,
    )
    assert body["skills"] == ["vip"]


async def test_bad_settings_are_refused_naming_the_field(
    client: Client, db: SingleConnectionPool
) -> None:
    """Malformed settings are 422; settings that clash with other queues 409; an overflow to
    a queue that does not exist 404."""
    headers = await token_for(db, await make_user(db, Role.ADMIN))
    cases = [
        ({"hours": {"mon": [["18:00", "08:00"]]}}, 422, "hours", "ends before it starts"),
        ({"hours": {"mon": [["08:00", "12:00"], ["11:00", "13:00"]]}}, 422, "hours", "overlaps"),
        ({"hours": {"mon": [["08:00", "24:30"]]}}, 422, "hours", ""),
        ({"wait_limit_seconds": 0}, 422, "wait_limit_seconds", ""),
        ({"strategy": "random"}, 422, "strategy", ""),
        ({"kinds": ["order"]}, 409, "kinds", "'order' would be in two queues, general and order"),
        ({"overflow_queue": "complaint"}, 409, "overflow_queue", "circle"),
        ({"is_default": False}, 409, "is_default", "exactly one queue is the default"),
        ({"overflow_queue": "nowhere"}, 404, "overflow_queue", "no such queue: nowhere"),
    ]
    for body, status, field, says in cases:
        response = await client.patch("/api/v1/queues/general", json=body, headers=headers)
        assert response.status == status, (body, await response.text())
        error = (await response.json())["error"]
        assert error["field"].startswith(field), (body, error)
        assert says in error["message"], (body, error)


async def test_no_such_queue_is_404(client: Client, db: SingleConnectionPool) -> None:
    headers = await token_for(db, await make_user(db, Role.ADMIN))
    for name in ("nowhere", "Not%20a%20name", "%00"):
        response = await client.get(f"/api/v1/queues/{name}", headers=headers)
        assert response.status == 404, name
        patched = await client.patch(f"/api/v1/queues/{name}", json={"label": "x"}, headers=headers)
        assert patched.status == 404, name


async def test_names_in_use_are_409(client: Client, db: SingleConnectionPool) -> None:
    headers = await token_for(db, await make_user(db, Role.ADMIN))
    taken = await client.post("/api/v1/queues", json={"name": "order"}, headers=headers)
    assert taken.status == 409
    # Agents of the demo and of other tests work `order`: renaming it would strand them.
    await client.patch(
        f"/api/v1/users/{(await make_user(db)).id}", json={"queues": ["order"]}, headers=headers
    )
    renamed = await client.patch("/api/v1/queues/order", json={"name": "orders"}, headers=headers)
    assert renamed.status == 409
    assert "keeps its name" in (await renamed.json())["error"]["message"]


async def test_an_agents_queues_must_exist(client: Client, db: SingleConnectionPool) -> None:
    headers = await token_for(db, await make_user(db, Role.ADMIN))
    agent = await make_user(db)
    response = await client.patch(
        f"/api/v1/users/{agent.id}", json={"queues": ["order", "vip"]}, headers=headers
    )
    assert response.status == 404
    error = (await response.json())["error"]
    assert (error["field"], error["message"]) == ("queues", "no such queue: vip")
    await client.post("/api/v1/queues", json={"name": "vip"}, headers=headers)
    response = await client.patch(
        f"/api/v1/users/{agent.id}", json={"queues": ["order", "vip"]}, headers=headers
    )
    assert (await response.json())["queues"] == ["order", "vip"]
