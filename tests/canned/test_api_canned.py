"""Canned replies over the API: kept by supervisors and admins, listed and filled for all staff."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient

from contact_center import customers, tickets
from contact_center.timeutil import utc_now
from contact_center.users import Role
from tests.builders import TEST_ACTOR, make_inbound_sms, make_user, token_for
from tests.conftest import SingleConnectionPool

Client = TestClient[Any, Any]


async def test_supervisors_keep_canned_replies_and_agents_only_read_them(
    client: Client, db: SingleConnectionPool
) -> None:
    boss = await token_for(db, await make_user(db, Role.SUPERVISOR))
    agent = await token_for(db, await make_user(db, Role.AGENT))
    body = {"title": "Late delivery", "body": "Sorry {customer_name}!", "channel": "sms"}
    assert (await client.post("/api/v1/canned-replies", headers=agent, json=body)).status == 403
    made = await client.post("/api/v1/canned-replies", headers=boss, json=body)
    assert made.status == 201
    canned = await made.json()
    assert canned["language"] == "en" and canned["channel"] == "sms"
    url = f"/api/v1/canned-replies/{canned['id']}"
    assert (await client.patch(url, headers=agent, json={"title": "x"})).status == 403
    changed = await client.patch(url, headers=boss, json={"title": "Delivery late"})
    assert (await changed.json())["title"] == "Delivery late"
    listed = await (await client.get("/api/v1/canned-replies?channel=sms", headers=agent)).json()
    assert [c["title"] for c in listed["canned_replies"]] == ["Delivery late"]
    by_mail = await client.get("/api/v1/canned-replies?channel=email", headers=agent)
    assert (await by_mail.json())["canned_replies"] == []
    assert (await client.delete(url, headers=agent)).status == 403
    assert (await client.delete(url, headers=boss)).status == 204
    assert (await client.get(url, headers=agent)).status == 404
    async with db.acquire() as conn:
        actions = [
            r["action"]
            for r in await conn.fetch(
                "SELECT action FROM audit_log WHERE entity = 'canned_reply' ORDER BY id"
            )
        ]
    assert actions == ["created", "updated", "deleted"]


async def test_canned_replies_are_filled_for_a_ticket(
    client: Client, db: SingleConnectionPool
) -> None:
    boss = await token_for(db, await make_user(db, Role.ADMIN))
    agent_user = await make_user(db, Role.AGENT)
    agent = await token_for(db, agent_user)
    for body in [
        {"title": "Thanks", "body": "Thanks {customer_name}, ticket {ticket_number}. {agent_name}"},
        {
            "title": "谢谢",
            "body": "{customer_name}您好，工单 {ticket_number}，{order_no}",
            "language": "zh",
        },
    ]:
        assert (await client.post("/api/v1/canned-replies", headers=boss, json=body)).status == 201
    sms = await tickets.intake(db, make_inbound_sms(), now=utc_now())
    await customers.update_customer(
        db, TEST_ACTOR, sms.customer_id, {"name": "王芳", "language": "zh"}, region="US"
    )
    answer = await client.get(f"/api/v1/tickets/{sms.ticket_id}/canned-replies", headers=agent)
    assert answer.status == 200
    zh, en = (await answer.json())["canned_replies"]  # the customer's language first
    assert zh["text"] == f"王芳您好，工单 {sms.ticket_number}，{{order_no}}"
    assert zh["unknown"] == ["order_no"]
    assert en["text"] == f"Thanks 王芳, ticket {sms.ticket_number}. {agent_user.email}"


async def test_the_sms_length_endpoint_counts_segments(
    client: Client, db: SingleConnectionPool
) -> None:
    agent = await token_for(db, await make_user(db, Role.AGENT))
    answer = await client.post("/api/v1/sms/length", headers=agent, json={"text": "好" * 71})
    counted = await answer.json()
    assert (counted["encoding"], counted["segments"], counted["units"]) == ("ucs2", 2, 71)


async def test_demo_canned_replies_are_seeded_once(db: SingleConnectionPool) -> None:
    from contact_center import canned
    from contact_center.demo import CANNED, DEMO

    assert await canned.seed_canned(db, DEMO, CANNED, now=utc_now()) == len(CANNED)
    assert await canned.seed_canned(db, DEMO, CANNED, now=utc_now()) == 0
    chinese = await canned.list_canned(db, language="zh")
    assert {c.title for c in chinese} == {"配送延迟", "已收到"}
