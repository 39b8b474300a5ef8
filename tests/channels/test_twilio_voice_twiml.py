"""Each next step of a call rendered as TwiML, parsed and checked element by element."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from uuid import uuid4

from channels.twilio_voice import render
from contact_center.calls import (
    Connect,
    HangUp,
    Hold,
    LeaveQueue,
    Menu,
    VoiceAnswer,
    Voicemail,
    Wait,
)
from contact_center.config import Settings

SETTINGS = Settings(public_url="https://cc.example.com")


def parsed(answer: VoiceAnswer) -> ET.Element:
    root = ET.fromstring(render(answer, SETTINGS))
    assert root.tag == "Response"
    return root


def test_the_menu_gathers_one_digit_or_speech_and_falls_through_to_ask_again() -> None:
    call = uuid4()
    root = parsed(
        VoiceAnswer(next=Menu(call, "Press 1.", attempt=2), say=("Hello.",), language="zh_Hans")
    )
    gather, redirect = list(root)
    assert gather.tag == "Gather" and redirect.tag == "Redirect"
    assert gather.get("numDigits") == "1" and gather.get("input") == "dtmf speech"
    assert gather.get("language") == "zh-CN"
    action = f"https://cc.example.com/webhooks/twilio/voice/menu?call={call}&attempt=2"
    assert gather.get("action") == action and redirect.text == action
    assert [s.text for s in gather.iter("Say")] == ["Hello.", "Press 1."]
    assert all(s.get("language") == "zh-CN" for s in gather.iter("Say"))


def test_waiting_enqueues_into_the_routing_queues_twilio_queue_with_a_wait_url() -> None:
    call = uuid4()
    root = parsed(VoiceAnswer(next=Wait(call, "complaint"), say=("Please hold.",)))
    say, enqueue = list(root)
    assert say.text == "Please hold." and say.get("language") == "en-US"
    assert enqueue.tag == "Enqueue" and enqueue.text == "complaint"
    assert (
        enqueue.get("waitUrl") == f"https://cc.example.com/webhooks/twilio/voice/wait?call={call}"
    )
    assert (
        enqueue.get("action") == f"https://cc.example.com/webhooks/twilio/voice/queue?call={call}"
    )


def test_voicemail_records_with_a_transcription_callback() -> None:
    call = uuid4()
    (record,) = list(parsed(VoiceAnswer(next=Voicemail(call, max_seconds=60))))
    assert record.tag == "Record"
    assert record.get("maxLength") == "60" and record.get("transcribe") == "true"
    assert record.get("playBeep") == "true"
    assert record.get("transcribeCallback", "").endswith(f"/transcription?call={call}")
    assert record.get("action", "").endswith(f"/recorded?call={call}")


def test_hold_plays_the_audio_and_leaving_the_queue_is_a_leave() -> None:
    (play,) = list(parsed(VoiceAnswer(next=Hold("https://cdn.example.com/hold.mp3"))))
    assert play.tag == "Play" and play.text == "https://cdn.example.com/hold.mp3"
    (pause,) = list(parsed(VoiceAnswer(next=Hold(""))))
    assert pause.tag == "Pause"
    (leave,) = list(parsed(VoiceAnswer(next=LeaveQueue())))
    assert leave.tag == "Leave"
    (hangup,) = list(parsed(VoiceAnswer(next=HangUp())))
    assert hangup.tag == "Hangup"


def test_connecting_dials_the_agents_browser_client_or_phone() -> None:
    call = uuid4()
    root = parsed(
        VoiceAnswer(next=Connect(call, client_identity="agent_1", caller_id="+12025550143"))
    )
    (dial,) = list(root)
    assert dial.get("callerId") == "+12025550143"
    assert dial.get("action", "").endswith(f"/dial?call={call}")
    (client,) = list(dial)
    assert client.tag == "Client" and (client.text or "").strip() == "agent_1"
    (dial,) = list(parsed(VoiceAnswer(next=Connect(None, phone="+12025550177"))))
    assert dial.get("action") is None
    (number,) = list(dial)
    assert number.tag == "Number" and number.text == "+12025550177"


def test_texts_are_escaped_by_the_twiml_library() -> None:
    root = parsed(VoiceAnswer(next=HangUp(), say=("Tom & <Jerry>",)))
    assert root.findtext("Say") == "Tom & <Jerry>"
