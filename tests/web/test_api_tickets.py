from __future__ import annotations

from datetime import timedelta
from typing import Any

from aiohttp.test_utils import TestClient

from contact_center import tickets
from contact_center.tickets import InboundFile
from contact_center.timeutil import utc_now
from contact_center.users import Role
from tests.builders import make_customer, make_inbound_email, make_inbound_sms, make_user, token_for
from tests.conftest import SingleConnectionPool

Client = TestClient[Any, Any]


async def test_list_filters_search_and_pages(client: Client, db: SingleConnectionPool) -> None:
    agent = await make_user(db, Role.AGENT)
    headers = await token_for(db, agent)
    start = utc_now() - timedelta(hours=1)
    complaint = await tickets.intake(
        db, make_inbound_sms(text="店员态度很差，我要投诉。"), now=start
    )
    order = await tickets.intake(
        db,
        make_inbound_email(subject="Spring order", text="40 cases please"),
        now=start + timedelta(minutes=1),
    )
    for n in range(5):
        await tickets.intake(
            db, make_inbound_sms(text=f"question {n}"), now=start + timedelta(minutes=2 + n)
        )

    async def ids(**params: str) -> list[str]:
        body = await (await client.get("/api/v1/tickets", params=params, headers=headers)).json()
        return [t["id"] for t in body["tickets"]]

    assert await ids(q="投诉") == [str(complaint.ticket_id)]
    assert await ids(q="spring") == [str(order.ticket_id)]
    assert await ids(q="40 cases") == [str(order.ticket_id)]
    assert await ids(q=f"#{order.ticket_number}") == [str(order.ticket_id)]
    assert await ids(kind="complaint") == [str(complaint.ticket_id)]
    assert await ids(channel="email") == [str(order.ticket_id)]
    assert len(await ids(channel="sms", status="new")) == 6

    seen: list[str] = []
    cursor: str | None = None
    while True:
        params = {"limit": "3", **({"cursor": cursor} if cursor else {})}
        body = await (await client.get("/api/v1/tickets", params=params, headers=headers)).json()
        seen += [t["id"] for t in body["tickets"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 7
    assert seen[-1] == str(complaint.ticket_id)  # newest first

    bad = await client.get("/api/v1/tickets", params={"status": "lost"}, headers=headers)
    assert bad.status == 422 and (await bad.json())["error"]["field"] == "status"
    bad_cursor = await client.get("/api/v1/tickets", params={"cursor": "xyz"}, headers=headers)
    assert bad_cursor.status == 422


async def test_get_update_and_note(client: Client, db: SingleConnectionPool) -> None:
    agent = await make_user(db, Role.AGENT)
    headers = await token_for(db, agent)
    result = await tickets.intake(db, make_inbound_sms(text="Hello"), now=utc_now())
    path = f"/api/v1/tickets/{result.ticket_id}"
    patched = await client.patch(
        path,
        headers=headers,
        json={
            "status": "resolved",
            "priority": "urgent",
            "assignee_id": str(agent.id),
            "kind": "complaint",
        },
    )
    assert patched.status == 200, await patched.text()
    body = await patched.json()
    assert (
        body["status"] == "resolved"
        and body["resolved_at"]
        and body["assignee_id"] == str(agent.id)
    )
    note = await client.post(
        f"{path}/notes", headers=headers, json={"text": "Called back, all fine"}
    )
    assert note.status == 201
    detail = await (await client.get(path, headers=headers)).json()
    assert [m["direction"] for m in detail["messages"]] == ["inbound", "internal"]
    reopened = await (await client.patch(path, headers=headers, json={"status": "open"})).json()
    assert reopened["resolved_at"] is None

    for body_, field, status in [
        ({"status": "gone"}, "status", 422),
        ({"assignee_id": "00000000-0000-4000-8000-000000000000"}, "assignee_id", 404),
        ({"number": 5}, "number", 422),
        ({}, None, 422),
    ]:
        response = await client.patch(path, headers=headers, json=body_)
        assert response.status == status, body_
        assert (await response.json())["error"].get("field") == field


async def test_agents_open_tickets_by_hand(client: Client, db: SingleConnectionPool) -> None:
    headers = await token_for(db, await make_user(db, Role.AGENT))
    customer = await make_customer(db)
    created = await client.post(
        "/api/v1/tickets",
        headers=headers,
        json={
            "customer_id": str(customer.id),
            "subject": "Walk-in complaint",
            "kind": "complaint",
            "channel": "voice",
            "text": "Customer called the office line",
        },
    )
    assert created.status == 201
    body = await created.json()
    assert body["status"] == "open" and body["number"] >= 1000
    missing = await client.post(
        "/api/v1/tickets",
        headers=headers,
        json={"customer_id": "00000000-0000-4000-8000-000000000000", "subject": "x"},
    )
    assert missing.status == 404


async def test_files_are_kept_and_served_safely(client: Client, db: SingleConnectionPool) -> None:
    headers = await token_for(db, await make_user(db, Role.AGENT))
    files = [
        InboundFile(
            "lid.png", "image/png", b"\x89PNG\r\n\x1a\nfake", content_id="<img1>", inline=True
        ),
        InboundFile("发票.html", "text/html", b"<script>alert(1)</script>"),
    ]
    result = await tickets.intake(db, make_inbound_email(files=files), now=utc_now())
    detail = await (await client.get(f"/api/v1/tickets/{result.ticket_id}", headers=headers)).json()
    stored = {a["filename"]: a for a in detail["messages"][0]["attachments"]}
    assert stored["lid.png"]["size"] == 12 and stored["lid.png"]["inline"]

    image = await client.get(
        f"/api/v1/attachments/{stored['lid.png']['id']}?inline=1", headers=headers
    )
    assert image.status == 200 and image.content_type == "image/png"
    assert image.headers["Content-Disposition"].startswith("inline")
    page = await client.get(
        f"/api/v1/attachments/{stored['发票.html']['id']}?inline=1", headers=headers
    )
    assert page.content_type == "application/octet-stream"
    assert (
        page.headers["Content-Disposition"]
        == "attachment; filename*=UTF-8''%E5%8F%91%E7%A5%A8.html"
    )
    assert "sandbox" in page.headers["Content-Security-Policy"]
    assert await page.read() == b"<script>alert(1)</script>"
    anonymous = await client.get(f"/api/v1/attachments/{stored['lid.png']['id']}")
    assert anonymous.status == 401
