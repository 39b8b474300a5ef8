"""Calls end to end through the signed voice webhooks, the routing engine and the Twilio
stand-in: greeting, menu, queue, offer, connection, hang-up, voicemail. TwiML is parsed."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from aiohttp.test_utils import TestClient

from channels.twilio_voice_control import TwilioCallControl
from contact_center import calls, routing, tickets
from contact_center.audit import Actor
from contact_center.calls import jobs as call_jobs
from contact_center.config import Settings
from contact_center.jobs import JobContext
from contact_center.timeutil import utc_now
from contact_center.users import Role
from tests.builders import make_customer, make_user, token_for, unique_phone
from tests.channels.voice_helpers import (
    ALWAYS,
    available,
    call_form,
    call_row,
    leg_form,
    new_call_sid,
    only,
    path_of,
    post_status,
    post_voice,
    said,
    set_hours,
)
from tests.conftest import SingleConnectionPool
from tests.standins.twilio_api import ACCOUNT_SID, AUTH_TOKEN, TwilioStandIn
from tests.twilio_signing import post_twilio

Client = TestClient[Any, Any]


async def test_key_account_caller_is_greeted_queued_offered_to_the_manager_and_connected(
    voice: Client, db: SingleConnectionPool, twilio: TwilioStandIn, voice_settings: Settings
) -> None:
    await set_hours(db, ALWAYS)
    manager = await available(db, Role.ACCOUNT_MANAGER)
    await available(db)  # another agent, idle longer: the manager still comes first
    phone = unique_phone()
    await make_customer(
        db, "Lin Example", phones=[phone], is_key_account=True, account_manager_id=manager
    )
    sid = new_call_sid()
    greeting = await post_voice(voice, "/webhooks/twilio/voice", call_form(sid, phone))
    assert "Lin Example" in said(greeting)
    gather = only(greeting, "Gather")
    assert gather.get("numDigits") == "1" and "dtmf" in (gather.get("input") or "")
    queued = await post_voice(voice, gather.get("action") or "", call_form(sid, phone, Digits="3"))
    enqueue = only(queued, "Enqueue")
    assert enqueue.text == "general"
    assert "/webhooks/twilio/voice/wait" in (enqueue.get("waitUrl") or "")
    row = await call_row(db, sid)
    assert row["state"] == "waiting" and row["priority"] == "urgent"
    assert row["ivr_path"] == ["other"]

    hold = await post_voice(voice, enqueue.get("waitUrl") or "", call_form(sid, phone))
    assert "number 1" in said(hold)
    assert only(hold, "Play").text == voice_settings.hold_audio_url

    assert await routing.dispatch(db, now=utc_now()) >= 1
    offer = await routing.current_offer(db, manager)
    assert offer is not None and offer.item.call_id == row["id"]
    await routing.accept_offer(
        db, Actor(label="manager", user_id=manager), offer.offer.id, now=utc_now()
    )

    control = TwilioCallControl(voice_settings)
    try:
        context = JobContext(db, voice_settings, call_control=control)
        result = await call_jobs.run_connect(context, str(row["id"]))
    finally:
        await control.close()
    assert result.startswith("connecting")
    update = [r for r in twilio.call_requests() if r["path"].endswith(f"/Calls/{sid}.json")]
    assert len(update) == 1
    twiml = ET.fromstring(update[0]["form"]["Twiml"])
    client = only(only(twiml, "Dial"), "Client")
    assert (client.text or "").strip() == calls.client_identity(manager)
    ringing = await call_row(db, sid)
    assert ringing["state"] == "connecting" and ringing["agent_id"] == manager
    assert ringing["answered_at"] is None  # the manager's phone only rings
    leg = client.get("statusCallback") or ""
    assert client.get("statusCallbackEvent") == "answered"
    picked_up = await post_twilio(
        voice, path_of(leg), leg_form(new_call_sid(), sid, "in-progress"), token=AUTH_TOKEN
    )
    assert picked_up.status == 204
    connected = await call_row(db, sid)
    assert connected["state"] == "connected" and connected["answered_at"] is not None

    assert await post_status(voice, sid, "completed", CallDuration="95") == 204
    ended = await call_row(db, sid)
    assert ended["outcome"] == "answered" and ended["talk_seconds"] is not None


async def test_unknown_caller_hears_the_menu_and_a_complaint_waits_in_the_complaint_queue(
    voice: Client, db: SingleConnectionPool
) -> None:
    await set_hours(db, ALWAYS)
    phone, sid = unique_phone(), new_call_sid()
    greeting = await post_voice(voice, "/webhooks/twilio/voice", call_form(sid, phone))
    assert "Thank you for calling" in said(greeting)
    assert "press 1" in said(greeting)
    action = only(greeting, "Gather").get("action") or ""
    queued = await post_voice(voice, action, call_form(sid, phone, Digits="1"))
    assert only(queued, "Enqueue").text == "complaint"
    row = await call_row(db, sid)
    assert row["queue"] == "complaint" and row["priority"] == "high"
    assert row["ivr_path"] == ["complaint"]
    ticket, _messages = await tickets.get_ticket(db, row["ticket_id"])
    assert (ticket.kind, ticket.queue, ticket.priority) == ("complaint", "complaint", "high")
    async with db.acquire() as conn:
        kind = await conn.fetchval(
            "SELECT kind FROM work_items WHERE call_id = $1 AND state = 'waiting'", row["id"]
        )
    assert kind == "call"


async def test_no_answer_repeats_the_menu_once_then_goes_to_the_default_queue(
    voice: Client, db: SingleConnectionPool
) -> None:
    await set_hours(db, ALWAYS)
    phone, sid = unique_phone(), new_call_sid()
    greeting = await post_voice(voice, "/webhooks/twilio/voice", call_form(sid, phone))
    # Nothing pressed: Twilio follows the <Redirect> after the <Gather>.
    again = await post_voice(voice, only(greeting, "Redirect").text or "", call_form(sid, phone))
    assert "did not get that" in said(again)
    invalid = await post_voice(
        voice, only(again, "Gather").get("action") or "", call_form(sid, phone, Digits="8")
    )
    assert only(invalid, "Enqueue").text == "general"
    assert (await call_row(db, sid))["ivr_path"] == ["default"]


async def test_hanging_up_while_waiting_is_an_abandoned_call_with_a_callback_due_in_24_hours(
    voice: Client, db: SingleConnectionPool
) -> None:
    await set_hours(db, ALWAYS)
    phone, sid = unique_phone(), new_call_sid()
    await make_customer(db, "Key Account Buyer", phones=[phone], is_key_account=True)
    greeting = await post_voice(voice, "/webhooks/twilio/voice", call_form(sid, phone))
    action = only(greeting, "Gather").get("action") or ""
    await post_voice(voice, action, call_form(sid, phone, Digits="2"))
    before = utc_now()
    assert await post_status(voice, sid, "completed", CallDuration="40") == 204
    assert await post_status(voice, sid, "completed", CallDuration="40") == 204  # a replay
    row = await call_row(db, sid)
    assert row["outcome"] == "abandoned" and row["wait_seconds"] is not None
    tasks = await calls.list_callbacks(db, ticket_id=row["ticket_id"])
    assert len(tasks) == 1
    task = tasks[0]
    assert task.reason == "abandoned" and task.phone == phone and task.call_id == row["id"]
    assert timedelta(hours=23, minutes=59) < task.due_at - before <= timedelta(hours=24, seconds=5)
    async with db.acquire() as conn:
        states = await conn.fetch(
            "SELECT state FROM work_items WHERE call_id = $1 OR callback_id = $2",
            row["id"],
            task.id,
        )
    assert sorted(r["state"] for r in states) == ["cancelled", "waiting"]


async def test_a_caller_who_calls_back_soon_gets_their_place_back(
    voice: Client, db: SingleConnectionPool
) -> None:
    await set_hours(db, ALWAYS)
    phone, first = unique_phone(), new_call_sid()
    greeting = await post_voice(voice, "/webhooks/twilio/voice", call_form(first, phone))
    await post_voice(
        voice, only(greeting, "Gather").get("action") or "", call_form(first, phone, Digits="2")
    )
    await post_status(voice, first, "completed")
    earlier = await call_row(db, first)
    second = new_call_sid()
    back = await post_voice(voice, "/webhooks/twilio/voice", call_form(second, phone))
    assert only(back, "Enqueue").text == "order"
    assert "keep your place" in said(back)
    row = await call_row(db, second)
    assert row["enqueued_at"] == earlier["enqueued_at"]
    async with db.acquire() as conn:
        waiting_since = await conn.fetchval(
            "SELECT enqueued_at FROM work_items WHERE call_id = $1", row["id"]
        )
    assert waiting_since == earlier["enqueued_at"]
    assert row["ivr_path"] == ["place_back"]
    tasks = await calls.list_callbacks(db, ticket_id=earlier["ticket_id"])
    assert tasks == []  # the abandoned call's callback is no longer needed


async def test_out_of_hours_the_caller_leaves_a_voicemail_that_lands_on_the_ticket(
    voice: Client, db: SingleConnectionPool
) -> None:
    await set_hours(db, {})
    phone, sid = unique_phone(), new_call_sid()
    greeting = await post_voice(voice, "/webhooks/twilio/voice", call_form(sid, phone))
    closed = await post_voice(
        voice, only(greeting, "Gather").get("action") or "", call_form(sid, phone, Digits="3")
    )
    assert "closed" in said(closed)
    record = only(closed, "Record")
    assert record.get("transcribe") == "true"
    recording_sid = "RE" + "1" * 32
    thanks = await post_voice(
        voice,
        record.get("action") or "",
        call_form(
            sid,
            phone,
            RecordingSid=recording_sid,
            RecordingUrl=f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT_SID}/Recordings/{recording_sid}",
            RecordingDuration="12",
        ),
    )
    assert list(thanks.iter("Hangup"))
    transcribed = call_form(
        sid,
        phone,
        RecordingSid=recording_sid,
        TranscriptionSid="TR" + "2" * 32,
        TranscriptionText="Please call me about my broken delivery",
        TranscriptionStatus="completed",
    )

    target = urlsplit(record.get("transcribeCallback") or "")
    answer = await post_twilio(
        voice, f"{target.path}?{target.query}", transcribed, token=AUTH_TOKEN
    )
    assert answer.status == 204
    await post_status(voice, sid, "completed")
    row = await call_row(db, sid)
    assert row["outcome"] == "voicemail"
    agent = await token_for(db, await make_user(db))
    timeline = await (
        await voice.get(f"/api/v1/tickets/{row['ticket_id']}/timeline", headers=agent)
    ).json()
    (shown,) = timeline["calls"]
    assert shown["transcription"] == "Please call me about my broken delivery"
    assert shown["recording_url"].endswith(recording_sid) and shown["outcome"] == "voicemail"
    assert shown["ivr_path"] == ["other"]
    notes = [i["message"]["body_text"] for i in timeline["items"] if i["kind"] == "note"]
    assert notes == [f"Voicemail from {phone} (12 s): Please call me about my broken delivery"]
    tasks = await calls.list_callbacks(db, ticket_id=row["ticket_id"])
    assert [t.reason for t in tasks] == ["voicemail"]


async def test_a_replayed_call_webhook_stores_one_call_and_one_message(
    voice: Client, db: SingleConnectionPool
) -> None:
    phone, sid = unique_phone(), new_call_sid()
    first = await post_voice(voice, "/webhooks/twilio/voice", call_form(sid, phone))
    again = await post_voice(voice, "/webhooks/twilio/voice", call_form(sid, phone))
    assert only(first, "Gather").get("action") == only(again, "Gather").get("action")
    async with db.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM calls WHERE call_sid = $1", sid) == 1
        assert await conn.fetchval("SELECT count(*) FROM messages WHERE provider_id = $1", sid) == 1


async def test_forged_voice_webhooks_are_refused_and_write_nothing(
    voice: Client, db: SingleConnectionPool
) -> None:
    sid = new_call_sid()
    form = call_form(sid, unique_phone())
    unsigned = await post_twilio(
        voice, "/webhooks/twilio/voice", form, token=AUTH_TOKEN, signed=False
    )
    assert unsigned.status == 403
    wrong = await post_twilio(voice, "/webhooks/twilio/voice", form, token="another-token")
    assert wrong.status == 403
    tampered = await post_twilio(
        voice,
        "/webhooks/twilio/voice",
        {**form, "From": unique_phone()},
        token=AUTH_TOKEN,
        sign_params=form,
    )
    assert tampered.status == 403
    status = await post_twilio(
        voice,
        "/webhooks/twilio/voice/status",
        {"AccountSid": ACCOUNT_SID, "CallSid": sid, "CallStatus": "completed"},
        token="another-token",
    )
    assert status.status == 403
    async with db.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM calls WHERE call_sid = $1", sid) == 0
        assert await conn.fetchval("SELECT count(*) FROM call_events WHERE call_sid = $1", sid) == 0


async def test_past_the_queues_wait_limit_the_caller_leaves_for_voicemail(
    voice: Client, db: SingleConnectionPool, voice_settings: Settings
) -> None:
    await set_hours(db, ALWAYS)
    phone, sid = unique_phone(), new_call_sid()
    greeting = await post_voice(voice, "/webhooks/twilio/voice", call_form(sid, phone))
    queued = await post_voice(
        voice, only(greeting, "Gather").get("action") or "", call_form(sid, phone, Digits="3")
    )
    row = await call_row(db, sid)
    # The wait URL, asked again after the queue's limit (600 s by default) has passed.
    late = await calls.hold(
        db,
        row["id"],
        options=calls.voice_options(voice_settings),
        now=utc_now() + timedelta(minutes=11),
    )
    assert isinstance(late.next, calls.LeaveQueue)
    action = only(queued, "Enqueue").get("action") or ""
    left = await post_voice(voice, action, call_form(sid, phone, QueueResult="leave"))
    assert "still busy" in said(left)
    assert only(left, "Record").get("transcribe") == "true"
    async with db.acquire() as conn:
        state = await conn.fetchval("SELECT state FROM work_items WHERE call_id = $1", row["id"])
    assert state == "cancelled"
    assert (await call_row(db, sid))["state"] == "voicemail"


async def test_a_call_that_cannot_be_put_through_waits_again_in_its_place_for_someone_else(
    voice: Client, db: SingleConnectionPool, twilio: TwilioStandIn, voice_settings: Settings
) -> None:
    await set_hours(db, ALWAYS)
    manager = await available(db, Role.ACCOUNT_MANAGER)
    phone, sid = unique_phone(), new_call_sid()
    await make_customer(
        db, "Key Buyer", phones=[phone], is_key_account=True, account_manager_id=manager
    )
    greeting = await post_voice(voice, "/webhooks/twilio/voice", call_form(sid, phone))
    await post_voice(
        voice, only(greeting, "Gather").get("action") or "", call_form(sid, phone, Digits="3")
    )
    row = await call_row(db, sid)
    assert await routing.dispatch(db, now=utc_now()) >= 1
    offer = await routing.current_offer(db, manager)
    assert offer is not None
    await routing.accept_offer(
        db, Actor(label="manager", user_id=manager), offer.offer.id, now=utc_now()
    )
    colleague = await available(db)
    twilio.ended_sids.add(sid)  # Twilio answers 21220: the call is not in progress
    control = TwilioCallControl(voice_settings)
    try:
        result = await call_jobs.run_connect(
            JobContext(db, voice_settings, call_control=control), str(row["id"])
        )
    finally:
        await control.close()
    assert result.startswith("could not connect")
    again = await call_row(db, sid)
    assert again["state"] == "waiting" and again["agent_id"] is None
    assert again["enqueued_at"] == row["enqueued_at"]
    async with db.acquire() as conn:
        states = await conn.fetch("SELECT state FROM work_items WHERE call_id = $1", row["id"])
    assert [r["state"] for r in states] == ["waiting"]
    # The manager is preferred for a key account, but could not be reached: the colleague now.
    assert await routing.dispatch(db, now=utc_now()) >= 1
    assert await routing.current_offer(db, manager) is None
    retry = await routing.current_offer(db, colleague)
    assert retry is not None and retry.item.call_id == row["id"]
