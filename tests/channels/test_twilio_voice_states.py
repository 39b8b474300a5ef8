"""A call's states and outcome through the signed webhooks and the Twilio stand-in: CONNECTING
until the agent picks up, the wait limit only while nobody took the call, callbacks owed
for calls that ended without a word, and failures said in the log."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest
from aiohttp.test_utils import TestClient

from channels.twilio_voice_control import TwilioCallControl
from contact_center import calls, routing
from contact_center.audit import Actor
from contact_center.calls import jobs as call_jobs
from contact_center.config import Settings
from contact_center.jobs import JobContext
from contact_center.jobs.worker import run_task
from contact_center.timeutil import utc_now
from tests.builders import make_customer, unique_phone
from tests.channels.voice_helpers import (
    ALWAYS,
    available,
    call_form,
    call_row,
    new_call_sid,
    only,
    post_status,
    post_voice,
    set_hours,
)
from tests.conftest import SingleConnectionPool

Client = TestClient[Any, Any]


async def queued_call(voice: Client, db: SingleConnectionPool, phone: str, sid: str) -> str:
    """Call in, press 3 (the general queue); the Enqueue's action URL."""
    greeting = await post_voice(voice, "/webhooks/twilio/voice", call_form(sid, phone))
    queued = await post_voice(
        voice, only(greeting, "Gather").get("action") or "", call_form(sid, phone, Digits="3")
    )
    return only(queued, "Enqueue").get("action") or ""


async def accepted_by(db: SingleConnectionPool, agent: UUID) -> None:
    assert await routing.dispatch(db, now=utc_now()) >= 1
    offer = await routing.current_offer(db, agent)
    assert offer is not None
    await routing.accept_offer(
        db, Actor(label="agent", user_id=agent), offer.offer.id, now=utc_now()
    )


async def item_states(db: SingleConnectionPool, call_id: UUID) -> list[str]:
    async with db.acquire() as conn:
        rows = await conn.fetch("SELECT state FROM work_items WHERE call_id = $1", call_id)
    return sorted(r["state"] for r in rows)


async def test_a_caller_who_hangs_up_while_the_agents_phone_rings_abandoned_the_call(
    voice: Client, db: SingleConnectionPool, voice_settings: Settings
) -> None:
    await set_hours(db, ALWAYS)
    agent = await available(db)
    phone, sid = unique_phone(), new_call_sid()
    await queued_call(voice, db, phone, sid)
    row = await call_row(db, sid)
    await accepted_by(db, agent)
    control = TwilioCallControl(voice_settings)
    try:
        await call_jobs.run_connect(
            JobContext(db, voice_settings, call_control=control), str(row["id"])
        )
    finally:
        await control.close()
    assert (await call_row(db, sid))["state"] == "connecting"
    assert await post_status(voice, sid, "completed", CallDuration="30") == 204
    ended = await call_row(db, sid)
    assert ended["outcome"] == "abandoned" and ended["answered_at"] is None
    assert ended["talk_seconds"] is None
    assert await item_states(db, row["id"]) == ["cancelled"]
    assert (await routing.get_agent(db, agent, now=utc_now())).voice_load == 0
    tasks = await calls.list_callbacks(db, ticket_id=row["ticket_id"])
    assert [t.reason for t in tasks] == ["abandoned"]


async def test_the_wait_limit_does_not_take_a_call_an_agent_already_accepted(
    voice: Client, db: SingleConnectionPool, voice_settings: Settings
) -> None:
    await set_hours(db, ALWAYS)
    agent = await available(db)
    phone, sid = unique_phone(), new_call_sid()
    await queued_call(voice, db, phone, sid)
    row = await call_row(db, sid)
    await accepted_by(db, agent)  # call-connect is queued, not yet run
    late = await calls.hold(
        db,
        row["id"],
        options=calls.voice_options(voice_settings),
        now=utc_now() + timedelta(minutes=11),
    )
    assert isinstance(late.next, calls.Hold)
    assert await item_states(db, row["id"]) == ["assigned"]
    assert (await call_row(db, sid))["state"] == "waiting"


async def test_a_caller_sent_to_voicemail_by_the_wait_limit_who_leaves_no_message_is_called_back(
    voice: Client, db: SingleConnectionPool, voice_settings: Settings
) -> None:
    await set_hours(db, ALWAYS)
    phone, sid = unique_phone(), new_call_sid()
    action = await queued_call(voice, db, phone, sid)
    row = await call_row(db, sid)
    await calls.hold(
        db,
        row["id"],
        options=calls.voice_options(voice_settings),
        now=utc_now() + timedelta(minutes=11),
    )
    await post_voice(voice, action, call_form(sid, phone, QueueResult="leave"))
    assert await post_status(voice, sid, "completed") == 204  # hung up at the beep
    ended = await call_row(db, sid)
    assert ended["outcome"] == "missed" and ended["callback_id"] is not None
    tasks = await calls.list_callbacks(db, ticket_id=row["ticket_id"])
    assert [(t.reason, t.call_id) for t in tasks] == [("abandoned", row["id"])]


async def test_a_key_account_hanging_up_in_the_menu_is_called_back_and_others_are_not(
    voice: Client, db: SingleConnectionPool
) -> None:
    await set_hours(db, ALWAYS)
    key_phone, key_sid = unique_phone(), new_call_sid()
    await make_customer(db, "Key Buyer", phones=[key_phone], is_key_account=True)
    await post_voice(voice, "/webhooks/twilio/voice", call_form(key_sid, key_phone))
    assert await post_status(voice, key_sid, "completed") == 204
    key_call = await call_row(db, key_sid)
    assert key_call["outcome"] == "missed"
    key_tasks = await calls.list_callbacks(db, ticket_id=key_call["ticket_id"])
    assert len(key_tasks) == 1 and key_tasks[0].phone == key_phone

    phone, sid = unique_phone(), new_call_sid()
    await post_voice(voice, "/webhooks/twilio/voice", call_form(sid, phone))
    assert await post_status(voice, sid, "completed") == 204
    other = await call_row(db, sid)
    assert other["outcome"] == "missed"
    assert await calls.list_callbacks(db, ticket_id=other["ticket_id"]) == []


async def test_a_status_for_an_unknown_call_is_a_warning(
    voice: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="contact_center.calls"):
        assert await post_status(voice, new_call_sid(), "busy") == 204
    assert any("do not hold" in r.getMessage() for r in caplog.records)


async def test_a_connect_task_that_finds_no_agent_is_a_warning_in_the_worker_log(
    voice: Client,
    db: SingleConnectionPool,
    voice_settings: Settings,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await set_hours(db, ALWAYS)
    phone, sid = unique_phone(), new_call_sid()
    await queued_call(voice, db, phone, sid)
    row = await call_row(db, sid)
    (task,) = [t for t in call_jobs.TASKS if t.name == "call-connect"]
    control = TwilioCallControl(voice_settings)
    try:
        with caplog.at_level(logging.DEBUG, logger="contact_center.jobs"):
            result = await run_task(
                task, JobContext(db, voice_settings, call_control=control), str(row["id"])
            )
    finally:
        await control.close()
    assert result == "call has no assigned agent"
    (logged,) = [r for r in caplog.records if "call-connect" in r.getMessage()]
    assert logged.levelno == logging.WARNING
