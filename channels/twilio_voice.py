"""Twilio Voice: the inbound call webhook, the IVR, queue and voicemail callbacks, call status
callbacks, and rendering a call's next step (`calls.VoiceAnswer`) as TwiML.

TwiML is built with `twilio.twiml.voice_response`, never by hand. Every URL Twilio calls back
carries the call's id in its query, and is signed with it (the signature covers the query).
"""

from __future__ import annotations

from urllib.parse import urlencode
from uuid import UUID

from aiohttp import web
from multidict import MultiDict
from twilio.twiml.voice_response import Dial, Gather, VoiceResponse

from channels.twilio_auth import verified_form
from contact_center import calls, tickets
from contact_center.calls import (
    Connect,
    HangUp,
    Hold,
    LeaveQueue,
    Menu,
    StatusReport,
    VoiceAnswer,
    Voicemail,
    Wait,
)
from contact_center.config import Settings
from contact_center.tickets import Channel, InboundContact
from contact_center.timeutil import utc_now
from contact_center.web.jsonio import BadRequest
from contact_center.web.keys import POOL, SETTINGS

VOICE_PATH = "/webhooks/twilio/voice"
MENU_PATH = VOICE_PATH + "/menu"
WAIT_PATH = VOICE_PATH + "/wait"
QUEUE_PATH = VOICE_PATH + "/queue"
RECORDED_PATH = VOICE_PATH + "/recorded"
TRANSCRIPTION_PATH = VOICE_PATH + "/transcription"
DIAL_PATH = VOICE_PATH + "/dial"
STATUS_PATH = VOICE_PATH + "/status"
LEG_PATH = VOICE_PATH + "/leg"  # the dialled agent's leg: it says when the agent picked up
CALL_IDS = ("CallSid",)
# The language tag Twilio's <Say> and speech recognition take, per catalog locale.
SAY_LANGUAGE = {"en": "en-US", "zh_Hans": "zh-CN"}
SPEECH_HINTS = "complaint, orders, other, operator, 投诉, 订单, 其他, 人工"


def callback_url(settings: Settings, path: str, **query: object) -> str:
    return f"{settings.public_url}{path}?{urlencode({k: str(v) for k, v in query.items()})}"


def render(answer: VoiceAnswer, settings: Settings) -> str:
    """The TwiML document for what the call hears and does next."""
    response = VoiceResponse()
    language = SAY_LANGUAGE.get(answer.language, "en-US")
    step = answer.next
    if isinstance(step, Menu):
        again = callback_url(settings, MENU_PATH, call=step.call_id, attempt=step.attempt)
        gather = Gather(
            input="dtmf speech",
            num_digits=1,
            timeout=5,
            action=again,
            method="POST",
            language=language,
            hints=SPEECH_HINTS,
        )
        for sentence in (*answer.say, step.prompt):
            gather.say(sentence, language=language)
        response.append(gather)
        # No answer falls through the Gather: the same URL without digits says it again once.
        response.redirect(again, method="POST")
        return str(response.to_xml())
    for sentence in answer.say:
        response.say(sentence, language=language)
    _next_step(response, step, settings)
    return str(response.to_xml())


def _next_step(response: VoiceResponse, step: calls.NextStep, settings: Settings) -> None:
    if isinstance(step, Wait):
        response.enqueue(
            step.queue,
            action=callback_url(settings, QUEUE_PATH, call=step.call_id),
            method="POST",
            wait_url=callback_url(settings, WAIT_PATH, call=step.call_id),
            wait_url_method="POST",
        )
    elif isinstance(step, Voicemail):
        response.record(
            action=callback_url(settings, RECORDED_PATH, call=step.call_id),
            method="POST",
            max_length=step.max_seconds,
            play_beep=True,
            transcribe=True,
            transcribe_callback=callback_url(settings, TRANSCRIPTION_PATH, call=step.call_id),
        )
    elif isinstance(step, Hold):
        if step.audio_url:
            response.play(step.audio_url)
        else:
            response.pause(length=15)
    elif isinstance(step, LeaveQueue):
        response.leave()
    elif isinstance(step, Connect):
        dial = Dial(
            caller_id=step.caller_id or None,
            timeout=step.timeout_seconds,
            action=callback_url(settings, DIAL_PATH, call=step.call_id) if step.call_id else None,
            method="POST",
        )
        # The agent's leg reports its answer, so the call is CONNECTED only once they pick up.
        leg: dict[str, str] = {}
        if step.call_id is not None:
            leg = {
                "status_callback": callback_url(settings, LEG_PATH, call=step.call_id),
                "status_callback_event": "answered",
                "status_callback_method": "POST",
            }
        if step.client_identity:
            dial.client(step.client_identity, **leg)
        else:
            dial.number(step.phone, **leg)
        response.append(dial)
    elif isinstance(step, HangUp):
        response.hangup()


def twiml(answer: VoiceAnswer, settings: Settings) -> web.Response:
    return web.Response(text=render(answer, settings), content_type="text/xml")


def parse_inbound_call(form: MultiDict[str]) -> InboundContact:
    """Twilio's voice webhook fields to an inbound contact for intake."""
    sid, caller = form.get("CallSid", ""), form.get("From", "")
    if not sid or not caller:
        raise BadRequest("CallSid and From are required")
    return InboundContact(
        channel=Channel.VOICE,
        provider_id=sid,
        from_address=caller,
        to_address=form.get("To", ""),
        payload={key: form.getall(key)[0] for key in form},
    )


def call_id_of(request: web.Request) -> UUID:
    try:
        return UUID(request.query.get("call", ""))
    except ValueError:
        raise BadRequest("the callback URL carries no call id", field="call") from None


def _int(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() else None


async def inbound_call(request: web.Request) -> web.Response:
    form = await verified_form(request, ids=CALL_IDS)
    contact = parse_inbound_call(form)
    settings, now = request.app[SETTINGS], utc_now()
    result = await tickets.intake(
        request.app[POOL],
        contact,
        now=now,
        options=tickets.intake_options(settings),
        respond=calls.call_responder(calls.voice_options(settings), now=now),
    )
    answer: VoiceAnswer = result.answer
    return twiml(answer, settings)


async def menu(request: web.Request) -> web.Response:
    form = await verified_form(request, ids=CALL_IDS)
    settings = request.app[SETTINGS]
    answer = await calls.choose_from_menu(
        request.app[POOL],
        call_id_of(request),
        digits=form.get("Digits", ""),
        speech=form.get("SpeechResult", ""),
        attempt=_int(request.query.get("attempt")) or 1,
        options=calls.voice_options(settings),
        now=utc_now(),
    )
    return twiml(answer, settings)


async def wait(request: web.Request) -> web.Response:
    await verified_form(request, ids=CALL_IDS)
    settings = request.app[SETTINGS]
    answer = await calls.hold(
        request.app[POOL], call_id_of(request), options=calls.voice_options(settings), now=utc_now()
    )
    return twiml(answer, settings)


async def queue_result(request: web.Request) -> web.Response:
    form = await verified_form(request, ids=CALL_IDS)
    settings = request.app[SETTINGS]
    answer = await calls.after_queue(
        request.app[POOL],
        call_id_of(request),
        result=form.get("QueueResult", ""),
        options=calls.voice_options(settings),
        now=utc_now(),
    )
    return twiml(answer, settings)


async def recorded(request: web.Request) -> web.Response:
    form = await verified_form(request, ids=(*CALL_IDS, "RecordingSid"))
    settings = request.app[SETTINGS]
    answer = await calls.record_voicemail(
        request.app[POOL],
        call_id_of(request),
        recording_url=form.get("RecordingUrl", ""),
        recording_sid=form["RecordingSid"],
        seconds=_int(form.get("RecordingDuration")) or 0,
        options=calls.voice_options(settings),
        now=utc_now(),
    )
    return twiml(answer, settings)


async def transcription(request: web.Request) -> web.Response:
    form = await verified_form(request, ids=CALL_IDS)
    await calls.record_transcription(
        request.app[POOL],
        call_id_of(request),
        text=form.get("TranscriptionText", ""),
        completed=form.get("TranscriptionStatus", "") == "completed",
        now=utc_now(),
    )
    return web.Response(status=204)


async def dial_result(request: web.Request) -> web.Response:
    form = await verified_form(request, ids=CALL_IDS)
    settings = request.app[SETTINGS]
    answer = await calls.after_dial(
        request.app[POOL],
        call_id_of(request),
        status=form.get("DialCallStatus", ""),
        seconds=_int(form.get("DialCallDuration")),
        # The Dial action also comes when the caller hangs up while the agent's phone rings.
        caller_gone=form.get("CallStatus", "") in ("completed", "canceled"),
        options=calls.voice_options(settings),
        now=utc_now(),
    )
    return twiml(answer, settings)


async def agent_leg(request: web.Request) -> web.Response:
    form = await verified_form(request, ids=CALL_IDS)
    if form.get("CallStatus", "") == "in-progress":
        await calls.agent_answered(request.app[POOL], call_id_of(request), now=utc_now())
    return web.Response(status=204)


async def call_status(request: web.Request) -> web.Response:
    form = await verified_form(request, ids=CALL_IDS)
    status = form.get("CallStatus", "")
    if not status:
        raise BadRequest("CallStatus is required", field="CallStatus")
    report = StatusReport(
        call_sid=form["CallSid"],
        status=status,
        duration_seconds=_int(form.get("CallDuration")),
        payload={key: form.getall(key)[0] for key in form},
    )
    settings = request.app[SETTINGS]
    await calls.record_status(
        request.app[POOL], report, options=calls.voice_options(settings), now=utc_now()
    )
    return web.Response(status=204)
