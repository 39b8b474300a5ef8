"""Callback calls end to end: the offer accepted makes the task the agent's, the outbound call
placed through the Twilio stand-in and reported by signed status callbacks, its end freeing
the agent's voice line, and a call that fails at once or cannot be placed never blocking the
next dial."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from aiohttp.test_utils import TestClient

from channels.twilio_voice_control import TwilioCallControl
from contact_center import calls, routing
from contact_center.audit import Actor
from contact_center.calls import CallbackReason, VoiceAnswer
from contact_center.config import Settings
from contact_center.timeutil import utc_now
from tests.builders import make_customer, unique_phone
from tests.channels.voice_helpers import (
    ALWAYS,
    available,
    call_form,
    new_call_sid,
    only,
    post_status,
    post_voice,
    set_hours,
)
from tests.conftest import SingleConnectionPool
from tests.standins.twilio_api import TwilioStandIn

Client = TestClient[Any, Any]


async def abandoned_callback(voice: Client, db: SingleConnectionPool) -> calls.CallbackTask:
    """A caller who hung up in the queue: their callback task, waiting for an agent."""
    phone, sid = unique_phone(), new_call_sid()
    await make_customer(db, "Callback Customer", phones=[phone])
    greeting = await post_voice(voice, "/webhooks/twilio/voice", call_form(sid, phone))
    action = only(greeting, "Gather").get("action") or ""
    await post_voice(voice, action, call_form(sid, phone, Digits="3"))
    assert await post_status(voice, sid, "completed") == 204
    (task,) = [t for t in await calls.list_callbacks(db) if t.phone == phone]
    assert task.reason == CallbackReason.ABANDONED and task.assignee_id is None
    return task


async def place(
    db: SingleConnectionPool,
    settings: Settings,
    task: calls.CallbackTask,
    agent: UUID,
    *,
    later: timedelta = timedelta(0),
) -> str:
    control = TwilioCallControl(settings)
    try:
        return await calls.place_callback(
            db,
            control,
            f"{task.id} {agent}",
            options=calls.voice_options(settings),
            now=utc_now() + later,
        )
    finally:
        await control.close()


async def outbound(db: SingleConnectionPool, callback_id: UUID) -> list[dict[str, Any]]:
    async with db.acquire() as conn:
        rows = await conn.fetch(
            "SELECT * FROM calls WHERE callback_id = $1 AND direction = 'outbound'"
            " ORDER BY started_at, call_sid",
            callback_id,
        )
    return [dict(r) for r in rows]


async def test_an_accepted_callback_is_the_agents_and_its_call_ending_frees_their_voice_line(
    voice: Client, db: SingleConnectionPool, voice_settings: Settings
) -> None:
    await set_hours(db, ALWAYS)
    task = await abandoned_callback(voice, db)
    agent = await available(db)
    assert await routing.dispatch(db, now=utc_now()) >= 1
    offer = await routing.current_offer(db, agent)
    assert offer is not None and offer.item.callback_id == task.id
    await routing.accept_offer(
        db, Actor(label="agent", user_id=agent), offer.offer.id, now=utc_now()
    )
    assert (await calls.get_callback(db, task.id)).assignee_id == agent
    assert (await routing.get_agent(db, agent, now=utc_now())).voice_load == 1

    placed = await place(db, voice_settings, task, agent)
    assert placed.startswith("placed CA")
    sid = placed.split()[1]
    assert await post_status(voice, sid, "in-progress") == 204
    (ringing,) = await outbound(db, task.id)
    assert ringing["state"] == "connected" and ringing["answered_at"] is not None
    assert await post_status(voice, sid, "completed", CallDuration="61") == 204
    (ended,) = await outbound(db, task.id)
    assert ended["outcome"] == "answered"
    assert (await routing.get_agent(db, agent, now=utc_now())).voice_load == 0
    async with db.acquire() as conn:
        state = await conn.fetchval("SELECT state FROM work_items WHERE callback_id = $1", task.id)
    assert state == "done"
    still = await calls.get_callback(db, task.id)
    assert still.state == "open" and still.assignee_id == agent  # until they say how it went


async def test_a_callback_that_fails_before_its_call_sid_is_stored_does_not_block_the_next(
    voice: Client, db: SingleConnectionPool, voice_settings: Settings, twilio: TwilioStandIn
) -> None:
    await set_hours(db, ALWAYS)
    task = await abandoned_callback(voice, db)
    agent = await available(db)

    async def busy_at_once(sid: str) -> None:
        assert await post_status(voice, sid, "busy") == 204

    twilio.before_call_answer = busy_at_once
    first = await place(db, voice_settings, task, agent)
    assert first.startswith("placed")
    (failed,) = await outbound(db, task.id)
    assert failed["call_sid"] == first.split()[1]
    assert failed["state"] == "ended" and failed["outcome"] == "missed"
    twilio.before_call_answer = None
    # (a second later: calls from one number are paced)
    again = await place(db, voice_settings, task, agent, later=timedelta(seconds=2))
    assert again.startswith("placed") and again != first
    assert [c["state"] for c in await outbound(db, task.id)] == ["ended", "dialing"]


class Unreachable:
    """A provider that refuses every call."""

    async def redirect(self, call_sid: str, answer: VoiceAnswer) -> None:
        raise ConnectionError("provider down")

    async def place(self, *, to: str, from_: str, answer: VoiceAnswer) -> str:
        raise ConnectionError("provider down")


async def test_a_callback_that_cannot_be_placed_is_marked_ended_and_can_be_dialled_again(
    voice: Client, db: SingleConnectionPool, voice_settings: Settings
) -> None:
    await set_hours(db, ALWAYS)
    task = await abandoned_callback(voice, db)
    agent = await available(db)
    options = calls.voice_options(voice_settings)
    result = await calls.place_callback(
        db, Unreachable(), f"{task.id} {agent}", options=options, now=utc_now()
    )
    assert result.startswith("could not place")
    (failed,) = await outbound(db, task.id)
    assert failed["state"] == "ended" and failed["outcome"] == "missed"
    later = utc_now() + timedelta(seconds=5)
    again = await calls.place_callback(
        db, Unreachable(), f"{task.id} {agent}", options=options, now=later
    )
    assert again.startswith("could not place")  # tried again, not "already calling"
