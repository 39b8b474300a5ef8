"""Callback tasks over the API (create, list open/due/mine, done, dial) and the browser
phone's access token."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any
from uuid import UUID

import jwt
from aiohttp.test_utils import TestClient

from contact_center import calls, tickets
from contact_center.config import Secret, Settings
from contact_center.timeutil import utc_now
from contact_center.users import Role
from tests.builders import make_inbound_sms, make_user, token_for
from tests.conftest import SingleConnectionPool, client_for

Client = TestClient[Any, Any]


async def _callback_due_now(client: Client, headers: dict[str, str], ticket_id: UUID) -> Any:
    """A callback on the ticket, due now, made over the API: the task as answered."""
    made = await client.post(
        "/api/v1/callbacks",
        headers=headers,
        json={"ticket_id": str(ticket_id), "due_at": utc_now().isoformat()},
    )
    return await made.json()


async def test_an_agent_schedules_lists_and_finishes_a_callback(
    client: Client, db: SingleConnectionPool
) -> None:
    agent_user = await make_user(db)
    agent = await token_for(db, agent_user)
    other = await token_for(db, await make_user(db))
    opened = await tickets.intake(db, make_inbound_sms(), now=utc_now())
    due = (utc_now() + timedelta(hours=2)).isoformat()
    made = await client.post(
        "/api/v1/callbacks", headers=agent, json={"ticket_id": str(opened.ticket_id), "due_at": due}
    )
    assert made.status == 201, await made.text()
    task = await made.json()
    assert task["reason"] == "manual" and task["state"] == "open"
    assert task["assignee_id"] == str(agent_user.id) and task["phone"].startswith("+1202")
    mine = await (await client.get("/api/v1/callbacks?mine=1", headers=agent)).json()
    assert [t["id"] for t in mine["callbacks"]] == [task["id"]]
    assert (await (await client.get("/api/v1/callbacks?mine=1", headers=other)).json()) == {
        "callbacks": []
    }
    not_due = await (await client.get("/api/v1/callbacks?due=1", headers=agent)).json()
    assert task["id"] not in [t["id"] for t in not_due["callbacks"]]
    done = await client.post(
        f"/api/v1/callbacks/{task['id']}/done",
        headers=agent,
        json={"outcome": "reached", "note": "Sorted out the delivery date."},
    )
    assert done.status == 200
    finished = await done.json()
    assert finished["state"] == "done" and finished["outcome"] == "reached"
    again = await client.post(
        f"/api/v1/callbacks/{task['id']}/done", headers=agent, json={"outcome": "reached"}
    )
    assert again.status == 409
    listed = await (await client.get("/api/v1/callbacks?state=done", headers=agent)).json()
    assert [t["id"] for t in listed["callbacks"]] == [task["id"]]


async def test_dialling_a_callback_queues_the_paced_call_job(
    settings: Settings, db: SingleConnectionPool
) -> None:
    agent_user = await make_user(db)
    agent = await token_for(db, agent_user)
    opened = await tickets.intake(db, make_inbound_sms(), now=utc_now())
    configured = dataclasses.replace(settings, twilio_from_number="+12025550100")
    async with client_for(configured, db) as client:
        task = await _callback_due_now(client, agent, opened.ticket_id)
        dialled = await client.post(f"/api/v1/callbacks/{task['id']}/dial", headers=agent)
        assert dialled.status == 200
    async with db.acquire() as conn:
        queued = await conn.fetchval(
            "SELECT convert_from(payload, 'utf8') FROM pgqueuer WHERE entrypoint = 'callback-dial'"
        )
    assert queued == f"{task['id']} {agent_user.id}"


async def test_without_a_number_to_call_from_dialling_says_so_and_queues_nothing(
    client: Client, db: SingleConnectionPool
) -> None:
    agent = await token_for(db, await make_user(db))
    opened = await tickets.intake(db, make_inbound_sms(), now=utc_now())
    task = await _callback_due_now(client, agent, opened.ticket_id)
    dialled = await client.post(f"/api/v1/callbacks/{task['id']}/dial", headers=agent)
    assert dialled.status == 409
    error = (await dialled.json())["error"]
    assert error["code"] == "voice_not_configured" and "TWILIO_FROM_NUMBER" in error["message"]
    async with db.acquire() as conn:
        queued = await conn.fetchval(
            "SELECT count(*) FROM pgqueuer WHERE entrypoint = 'callback-dial'"
        )
    assert queued == 0


async def test_demo_mode_dials_from_a_made_up_number_through_the_logging_stand_in(
    settings: Settings,
) -> None:
    demo = dataclasses.replace(settings, demo=True, twilio_from_number="")
    assert calls.voice_options(demo).from_number
    assert calls.voice_options(dataclasses.replace(demo, demo=False)).from_number == ""


async def test_another_agents_callback_is_theirs_to_dial_and_finish_unless_a_supervisor(
    settings: Settings, db: SingleConnectionPool
) -> None:
    owner_user = await make_user(db)
    owner = await token_for(db, owner_user)
    other = await token_for(db, await make_user(db))
    supervisor = await token_for(db, await make_user(db, Role.SUPERVISOR))
    opened = await tickets.intake(db, make_inbound_sms(), now=utc_now())
    configured = dataclasses.replace(settings, twilio_from_number="+12025550100")
    async with client_for(configured, db) as client:
        task = await _callback_due_now(client, owner, opened.ticket_id)
        url = f"/api/v1/callbacks/{task['id']}"
        assert (await client.post(f"{url}/dial", headers=other)).status == 403
        refused = await client.post(f"{url}/done", headers=other, json={"outcome": "reached"})
        assert refused.status == 403
        assert (await client.post(f"{url}/dial", headers=supervisor)).status == 200
        done = await client.post(f"{url}/done", headers=supervisor, json={"outcome": "reached"})
        assert done.status == 200
    async with db.acquire() as conn:
        queued = await conn.fetchval(
            "SELECT count(*) FROM pgqueuer WHERE entrypoint = 'callback-dial'"
        )
    assert queued == 1  # the supervisor's; the other agent's dial queued nothing


async def test_without_voice_settings_the_token_endpoint_says_what_is_missing(
    client: Client, db: SingleConnectionPool
) -> None:
    agent = await token_for(db, await make_user(db))
    answer = await client.get("/api/v1/voice/token", headers=agent)
    assert answer.status == 409
    body = await answer.json()
    assert body["error"]["code"] == "voice_not_configured"
    assert "TWILIO_TWIML_APP_SID" in body["error"]["message"]


async def test_an_agent_gets_a_voice_access_token_for_their_client_identity(
    settings: Settings, db: SingleConnectionPool
) -> None:
    configured = dataclasses.replace(
        settings,
        twilio_account_sid="AC" + "1" * 32,
        twilio_api_key_sid="SK" + "2" * 32,
        twilio_api_key_secret=Secret("api-key-secret-0123456789abcdef-0123"),
        twilio_twiml_app_sid="AP" + "3" * 32,
    )
    user = await make_user(db)
    async with client_for(configured, db) as client:
        answer = await client.get("/api/v1/voice/token", headers=await token_for(db, user))
        assert answer.status == 200
        body = await answer.json()
    assert body["identity"] == f"agent_{user.id.hex}"
    claims = jwt.decode(body["token"], "api-key-secret-0123456789abcdef-0123", algorithms=["HS256"])
    assert claims["grants"]["identity"] == body["identity"]
    assert claims["grants"]["voice"]["incoming"] == {"allow": True}
    assert claims["grants"]["voice"]["outgoing"]["application_sid"] == "AP" + "3" * 32
