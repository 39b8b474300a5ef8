"""Made-up phone calls for scripts/simulate.py: signed voice webhooks through the IVR, as Twilio
sends them, following the TwiML each answer returns (menu digits, the queue's wait URL,
voicemail and its transcription), then the status callbacks of the call's end.

A caller who reaches a queue listens to one hold announcement and hangs up unless an agent
took the call meanwhile (an abandoned call becomes a callback task); out of hours the caller
leaves a voicemail.
"""

from __future__ import annotations

import random
import secrets
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

import aiohttp
from twilio.request_validator import RequestValidator

VOICE_PATH = "/webhooks/twilio/voice"
STATUS_PATH = VOICE_PATH + "/status"
# What callers press: complaint, orders, other, operator, and now and then nothing or a wrong key.
KEYS = ("1", "2", "3", "0", "", "7")
VOICEMAILS = (
    "Hello, please call me back about my order, thank you.",
    "The delivery was damaged, I would like a replacement.",
    "你好，请给我回电话，关于退货的事情。",
)


@dataclass(frozen=True)
class Call:
    caller: str
    keys: tuple[str, ...]  # pressed at each menu, in order
    sid: str = field(default_factory=lambda: "CA" + secrets.token_hex(16))


@dataclass
class CallOutcomes:
    http: Counter[int] = field(default_factory=Counter)
    ends: Counter[str] = field(default_factory=Counter)  # queued, voicemail, ...


def plan_calls(count: int, phones: list[str], rng: random.Random) -> list[Call]:
    return [Call(phones[i], (rng.choice(KEYS), rng.choice(KEYS))) for i in range(count)]


@dataclass(frozen=True)
class Voice:
    public_url: str
    token: str
    account_sid: str
    to_number: str


def _form(voice: Voice, call: Call, **extra: str) -> dict[str, str]:
    return {
        "AccountSid": voice.account_sid,
        "ApiVersion": "2010-04-01",
        "CallSid": call.sid,
        "CallStatus": "in-progress",
        "Direction": "inbound",
        "From": call.caller,
        "Caller": call.caller,
        "To": voice.to_number,
        "Called": voice.to_number,
        **extra,
    }


async def _post(
    session: aiohttp.ClientSession, voice: Voice, url: str, params: dict[str, str]
) -> tuple[int, str]:
    """POST signed over the URL as given (PUBLIC_URL + path + query), like Twilio."""
    parts = urlsplit(url)
    full = voice.public_url + parts.path + (f"?{parts.query}" if parts.query else "")
    signature = RequestValidator(voice.token).compute_signature(full, params)
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Twilio-Signature": str(signature),
        "User-Agent": "TwilioProxy/1.1",
    }
    async with session.post(full, data=urlencode(params), headers=headers) as response:
        return response.status, await response.text()


def _twiml(text: str) -> ET.Element:
    try:
        return ET.fromstring(text)
    except ET.ParseError:
        return ET.Element("Response")


async def place_call(
    session: aiohttp.ClientSession,
    voice: Voice,
    call: Call,
    outcomes: CallOutcomes,
    rng: random.Random,
) -> None:
    """One call from ringing to hang-up, following the service's TwiML."""
    status, text = await _post(session, voice, VOICE_PATH, _form(voice, call, CallStatus="ringing"))
    outcomes.http[status] += 1
    root = _twiml(text)
    for key in call.keys:
        gather = root.find("Gather")
        if gather is None:
            break
        extra = {"Digits": key} if key else {}
        url = gather.get("action", "") if key else (root.findtext("Redirect") or "")
        status, text = await _post(session, voice, url, _form(voice, call, **extra))
        outcomes.http[status] += 1
        root = _twiml(text)
    end = "missed"
    enqueue, record = root.find("Enqueue"), root.find("Record")
    if enqueue is not None:
        status, _ = await _post(
            session, voice, enqueue.get("waitUrl", ""), _form(voice, call, QueuePosition="1")
        )
        outcomes.http[status] += 1
        end = "queued"
    elif record is not None:
        recording = "RE" + secrets.token_hex(16)
        url = (
            f"https://api.twilio.com/2010-04-01/Accounts/{voice.account_sid}/Recordings/{recording}"
        )
        details = {"RecordingSid": recording, "RecordingUrl": url}
        status, _ = await _post(
            session,
            voice,
            record.get("action", ""),
            _form(voice, call, RecordingDuration=str(rng.randint(5, 40)), **details),
        )
        outcomes.http[status] += 1
        status, _ = await _post(
            session,
            voice,
            record.get("transcribeCallback", ""),
            _form(
                voice,
                call,
                TranscriptionSid="TR" + secrets.token_hex(16),
                TranscriptionStatus="completed",
                TranscriptionText=rng.choice(VOICEMAILS),
                **details,
            ),
        )
        outcomes.http[status] += 1
        end = "voicemail"
    status, _ = await _post(
        session,
        voice,
        STATUS_PATH,
        _form(voice, call, CallStatus="completed", CallDuration=str(rng.randint(10, 90))),
    )
    outcomes.http[status] += 1
    outcomes.ends[end] += 1
