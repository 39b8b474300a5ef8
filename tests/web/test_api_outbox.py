"""Each outbound message's delivery state is visible: on the ticket timeline and in the
outbox list (status, attempts, last error, next attempt)."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient

from contact_center import delivery, tickets
from contact_center.outbox import policy
from contact_center.tickets import IntakeOptions
from contact_center.timeutil import utc_now
from contact_center.users import Role
from tests.builders import make_inbound_sms, make_user, token_for
from tests.conftest import SingleConnectionPool

Client = TestClient[Any, Any]


async def test_a_waiting_message_shows_why_and_when_it_is_tried_again(
    client: Client, db: SingleConnectionPool
) -> None:
    result = await tickets.intake(
        db, make_inbound_sms(), now=utc_now(), options=IntakeOptions(acknowledge=True)
    )
    async with db.acquire() as conn:
        outbound_id = await conn.fetchval(
            "SELECT id FROM outbound_messages WHERE ticket_id = $1", result.ticket_id
        )
    now = utc_now()
    await delivery.deliver_one(db, {}, outbound_id, now=now)  # no SMS provider configured

    agent = await token_for(db, await make_user(db, Role.AGENT))
    detail = await (await client.get(f"/api/v1/tickets/{result.ticket_id}", headers=agent)).json()
    (ack,) = [m for m in detail["messages"] if m["direction"] == "outbound"]
    assert ack["delivery_status"] == "pending"
    state = ack["delivery"]
    assert state["status"] == "pending" and state["attempts"] == 0
    assert "no SMS provider is configured" in state["last_error"]
    assert state["error_code"] == policy.NO_PROVIDER
    assert state["next_attempt_at"] == (now + policy.PROVIDER_RECHECK).isoformat()

    supervisor = await token_for(db, await make_user(db, Role.SUPERVISOR))
    listed = await client.get("/api/v1/outbox?status=pending&channel=sms", headers=supervisor)
    body = await listed.json()
    assert listed.status == 200 and body["counts"]["pending"] >= 1
    (row,) = [o for o in body["outbound"] if o["id"] == str(outbound_id)]
    assert row["status"] == "pending" and row["last_error"] == state["last_error"]
    assert (await client.get("/api/v1/outbox", headers=agent)).status == 403
    wrong = await client.get("/api/v1/outbox?status=lost", headers=supervisor)
    assert wrong.status == 422 and (await wrong.json())["error"]["field"] == "status"
