"""GET /api/v1/inbox, ticket tags through PATCH /api/v1/tickets/{id}, and agents' queues
through PATCH /api/v1/users/{id} and /api/v1/me."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from aiohttp.test_utils import TestClient

from contact_center import audit, tickets
from contact_center.config import Settings
from contact_center.timeutil import utc_now
from contact_center.users import Role
from tests.builders import make_customer, make_inbound_sms, make_user, token_for
from tests.conftest import SingleConnectionPool, client_for

Client = TestClient[Any, Any]


async def test_tags_are_normalized_shown_and_audited(
    client: Client, db: SingleConnectionPool
) -> None:
    headers = await token_for(db, await make_user(db, Role.AGENT))
    opened = await tickets.intake(db, make_inbound_sms(text="Where is my parcel?"), now=utc_now())
    url = f"/api/v1/tickets/{opened.ticket_id}"
    response = await client.patch(
        url, json={"tags": [" Parcel ", "parcel", "LATE"]}, headers=headers
    )
    assert response.status == 200, await response.text()
    assert (await response.json())["tags"] == ["parcel", "late"]
    assert (await (await client.get(url, headers=headers)).json())["tags"] == ["parcel", "late"]
    await client.patch(url, json={"tags": []}, headers=headers)
    async with db.acquire() as conn:
        entries = await audit.list_entries(conn, "ticket", [str(opened.ticket_id)])
    changes = [(e.before, e.after) for e in entries if e.action == "updated"]
    assert changes == [
        ({"tags": []}, {"tags": ["parcel", "late"]}),
        ({"tags": ["parcel", "late"]}, {"tags": []}),
    ]
    bad = await client.patch(url, json={"tags": "vip"}, headers=headers)
    assert bad.status == 422


async def test_admins_set_an_agents_queues_and_the_agent_sees_them(
    client: Client, db: SingleConnectionPool
) -> None:
    agent, admin = await make_user(db, Role.AGENT), await make_user(db, Role.ADMIN)
    as_agent, as_admin = await token_for(db, agent), await token_for(db, admin)
    url = f"/api/v1/users/{agent.id}"
    refused = await client.patch(url, json={"queues": ["complaint"]}, headers=as_agent)
    assert refused.status == 403
    response = await client.patch(
        url, json={"queues": [" complaint ", "order", "complaint", ""]}, headers=as_admin
    )
    assert response.status == 200, await response.text()
    assert (await response.json())["queues"] == ["complaint", "order"]
    me = await (await client.get("/api/v1/me", headers=as_agent)).json()
    assert me["user"]["queues"] == ["complaint", "order"]

    await tickets.intake(db, make_inbound_sms(text="店员态度很差，我要投诉。"), now=utc_now())
    body = await (
        await client.get("/api/v1/inbox", params={"view": "queues"}, headers=as_agent)
    ).json()
    assert [row["queue"] for row in body["items"]] == ["complaint"]
    assert body["counts"]["queues"] == 1


async def test_inbox_answers_rows_counts_and_a_cursor(
    client: Client, db: SingleConnectionPool
) -> None:
    headers = await token_for(db, await make_user(db, Role.AGENT))
    for n in range(3):
        await tickets.intake(db, make_inbound_sms(text=f"question {n}"), now=utc_now())
    response = await client.get("/api/v1/inbox", params={"limit": "2"}, headers=headers)
    assert response.status == 200, await response.text()
    body = await response.json()
    assert body["counts"] == {"mine": 0, "queues": 0, "unassigned": 3, "open": 3}
    row = body["items"][0]
    assert set(row) >= {
        "number",
        "subject",
        "status",
        "priority",
        "kind",
        "channel",
        "queue",
        "tags",
        "assignee",
        "customer",
        "last_message_at",
        "created_at",
        "due_at",
        "overdue",
    }
    assert set(row["customer"]) == {"id", "name", "tier", "is_key_account"}
    assert row["assignee"] is None and row["overdue"] is False
    rest = await client.get(
        "/api/v1/inbox",
        params={"limit": "2", "cursor": body["next_cursor"], "sort": "priority"},
        headers=headers,
    )
    assert rest.status == 200
    # A plain form sends every field, the empty ones meaning "any".
    empty = {k: "" for k in ("view", "status", "kind", "tier", "key_account", "overdue", "sort")}
    assert (await client.get("/api/v1/inbox", params=empty, headers=headers)).status == 200


async def test_inbox_refuses_what_it_does_not_list(
    client: Client, db: SingleConnectionPool
) -> None:
    headers = await token_for(db, await make_user(db, Role.AGENT))
    for params, field in [
        ({"status": "resolved"}, "status"),
        ({"view": "everything"}, "view"),
        ({"cursor": "bogus"}, "cursor"),
        ({"overdue": "maybe"}, "overdue"),
        ({"tier": "D"}, "tier"),
    ]:
        response = await client.get("/api/v1/inbox", params=params, headers=headers)
        assert response.status == 422, params
        assert (await response.json())["error"]["field"] == field
    assert (await client.get("/api/v1/inbox")).status == 401


async def test_a_ticket_opened_by_hand_is_due_when_its_first_response_clock_is(
    db: SingleConnectionPool, settings: Settings
) -> None:
    agent = await make_user(db, Role.AGENT)
    customer = await make_customer(db, "Walk-in Customer")
    async with client_for(settings, db) as client:
        response = await client.post(
            "/api/v1/tickets",
            json={
                "customer_id": str(customer.id),
                "subject": "At the counter",
                "priority": "urgent",
            },
            headers=await token_for(db, agent),
        )
        assert response.status == 201, await response.text()
        body = await response.json()
        clocks = await client.get(
            f"/api/v1/tickets/{body['id']}/clocks", headers=await token_for(db, agent)
        )
        (first,) = [c for c in (await clocks.json())["clocks"] if c["kind"] == "first_response"]
    opened = datetime.fromisoformat(body["created_at"])
    # urgent: 30 minutes of business time (the site's `clock_targets`)
    assert datetime.fromisoformat(body["due_at"]) == datetime.fromisoformat(first["due_at"])
    assert datetime.fromisoformat(body["due_at"]) >= opened + timedelta(minutes=30)
    assert body["tags"] == []
