from __future__ import annotations

import dataclasses
from typing import Any

from aiohttp.test_utils import TestClient

from contact_center import customers, tickets
from contact_center.config import Secret, Settings
from contact_center.timeutil import utc_now
from contact_center.users import Role
from tests.builders import TEST_ACTOR, make_inbound_email, make_inbound_sms, make_user, token_for
from tests.conftest import SingleConnectionPool, client_for
from tests.standins.twilio_api import AUTH_TOKEN
from tests.twilio_signing import post_twilio

Client = TestClient[Any, Any]


async def outbound_rows(db: SingleConnectionPool, ticket_id: Any) -> list[Any]:
    async with db.acquire() as conn:
        return list(
            await conn.fetch("SELECT * FROM outbound_messages WHERE ticket_id = $1", ticket_id)
        )


async def test_an_agent_replies_by_sms_and_email(client: Client, db: SingleConnectionPool) -> None:
    agent = await make_user(db, Role.AGENT)
    headers = await token_for(db, agent)
    sms = await tickets.intake(db, make_inbound_sms(to_address="+12025550100"), now=utc_now())
    response = await client.post(
        f"/api/v1/tickets/{sms.ticket_id}/replies",
        headers=headers,
        json={"channel": "sms", "text": "It ships tomorrow."},
    )
    assert response.status == 201, await response.text()
    (row,) = await outbound_rows(db, sms.ticket_id)
    assert (
        row["from_address"] == "+12025550100"
        and row["status"] == "pending"
        and not row["automatic"]
    )
    detail = await (await client.get(f"/api/v1/tickets/{sms.ticket_id}", headers=headers)).json()
    assert detail["first_response_at"] is not None
    assert detail["messages"][-1]["direction"] == "outbound"
    assert detail["messages"][-1]["delivery_status"] == "pending"

    email = await tickets.intake(
        db, make_inbound_email(subject="Invoice", rfc_message_id="<in1@example.net>"), now=utc_now()
    )
    response = await client.post(
        f"/api/v1/tickets/{email.ticket_id}/replies",
        headers=headers,
        json={"channel": "email", "text": "Attached is the corrected invoice."},
    )
    assert response.status == 201
    (row,) = await outbound_rows(db, email.ticket_id)
    assert row["subject"] == f"Re: Invoice [#{email.ticket_number}]"
    assert row["headers"]["In-Reply-To"] == "<in1@example.net>"
    assert row["headers"]["Message-ID"].endswith("@example.com>")


async def test_replies_are_refused_when_they_cannot_go(
    client: Client, db: SingleConnectionPool
) -> None:
    headers = await token_for(db, await make_user(db, Role.AGENT))
    result = await tickets.intake(db, make_inbound_sms(to_address="+12025550100"), now=utc_now())
    async with db.acquire() as conn:
        await customers.set_sms_opt_out(conn, TEST_ACTOR, result.customer_id, True)
    refused = await client.post(
        f"/api/v1/tickets/{result.ticket_id}/replies",
        headers=headers,
        json={"channel": "sms", "text": "hello"},
    )
    assert refused.status == 409 and (await refused.json())["error"]["field"] == "channel"
    no_email = await client.post(
        f"/api/v1/tickets/{result.ticket_id}/replies",
        headers=headers,
        json={"channel": "email", "text": "hello"},
    )
    assert no_email.status == 409
    bad = await client.post(
        f"/api/v1/tickets/{result.ticket_id}/replies",
        headers=headers,
        json={"channel": "fax", "text": "hello"},
    )
    assert bad.status == 422 and (await bad.json())["error"]["field"] == "channel"
    assert await outbound_rows(db, result.ticket_id) == []


async def test_a_signed_status_callback_updates_the_reply(
    settings: Settings, db: SingleConnectionPool
) -> None:
    configured = dataclasses.replace(settings, twilio_auth_token=Secret(AUTH_TOKEN))
    headers = await token_for(db, await make_user(db, Role.AGENT))
    result = await tickets.intake(db, make_inbound_sms(to_address="+12025550100"), now=utc_now())
    async with client_for(configured, db) as client:
        await client.post(
            f"/api/v1/tickets/{result.ticket_id}/replies",
            headers=headers,
            json={"channel": "sms", "text": "On its way."},
        )
        (row,) = await outbound_rows(db, result.ticket_id)
        path = f"/webhooks/twilio/sms/status?outbox={row['id']}"
        form = {
            "MessageSid": "SM" + "1" * 32,
            "AccountSid": "AC" + "0" * 32,
            "MessageStatus": "delivered",
            "To": row["to_address"],
        }
        assert (await post_twilio(client, path, form, token=AUTH_TOKEN, signed=False)).status == 403
        assert (await post_twilio(client, path, form, token=AUTH_TOKEN)).status == 204
        assert (
            await post_twilio(client, path, {**form, "MessageStatus": "sent"}, token=AUTH_TOKEN)
        ).status == 204
    (row,) = await outbound_rows(db, result.ticket_id)
    assert row["status"] == "delivered"
