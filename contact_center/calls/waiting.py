"""A call in the queue and after it: hold announcements, leaving for voicemail past the
queue's wait limit, the queue's end, and the voicemail with its transcription."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from contact_center import routing, tickets
from contact_center.calls import ivr, store
from contact_center.calls.callbacks import open_callback
from contact_center.calls.ending import end_call, publish_call, waited
from contact_center.calls.model import (
    CallbackReason,
    CallState,
    HangUp,
    Hold,
    LeaveQueue,
    Outcome,
    VoiceAnswer,
    Voicemail,
    VoiceOptions,
)
from contact_center.db import Pool, transaction


async def hold(pool: Pool, call_id: UUID, *, options: VoiceOptions, now: datetime) -> VoiceAnswer:
    """The queue's wait URL, asked again after each round of hold audio: position and expected
    wait, then the audio; past the queue's wait limit the caller leaves for voicemail."""
    async with transaction(pool) as conn:
        call = await store.get_call(conn, call_id, for_update=True)
        if call.state is not CallState.WAITING or call.queue is None:
            # Connecting to an agent (or moved on): keep the hold audio until the bridge.
            return VoiceAnswer(next=Hold(options.hold_audio_url), language=call.language)
        queue = await routing.read_queue(conn, call.queue)
        waited = (now - (call.enqueued_at or now)).total_seconds()
        # An agent already took the call (call-connect is on its way): no leaving then.
        taken = await routing.assignee_of(conn, call_id=call.id) is not None
        if waited >= queue.wait_limit_seconds and not taken:
            await routing.cancel_item(conn, call_id=call.id, reason="wait_limit", now=now)
            call = await store.update_call(conn, call.id, now, state=CallState.VOICEMAIL)
            await publish_call(conn, call)
            return VoiceAnswer(next=LeaveQueue(), language=call.language)
        place = await routing.queue_position(conn, call_id=call.id, now=now)
    if place is None:
        return VoiceAnswer(next=Hold(options.hold_audio_url), language=call.language)
    position, estimate = place
    minutes = ivr.wait_minutes(estimate)
    said = ivr.text(
        "position_one_minute" if minutes == 1 else "position",
        call.language,
        options.texts,
        position=position,
        minutes=minutes,
    )
    return VoiceAnswer(say=(said,), next=Hold(options.hold_audio_url), language=call.language)


async def after_queue(
    pool: Pool, call_id: UUID, *, result: str, options: VoiceOptions, now: datetime
) -> VoiceAnswer:
    """The provider's queue ended for this call (Enqueue action): `leave` (wait limit) or a
    full or failing queue go to voicemail; a hang-up is an abandoned call."""
    async with transaction(pool) as conn:
        call = await store.get_call(conn, call_id, for_update=True)
        if result == "hangup":
            await end_call(conn, call, options, now=now)
            return VoiceAnswer(next=HangUp(), language=call.language)
        if result in ("bridged", "redirected") or call.state is CallState.ENDED:
            return VoiceAnswer(next=HangUp(), language=call.language)
        if call.state is CallState.WAITING:
            await routing.cancel_item(conn, call_id=call.id, reason="queue_" + result, now=now)
        if call.state is not CallState.VOICEMAIL:
            call = await store.update_call(conn, call.id, now, state=CallState.VOICEMAIL)
            await publish_call(conn, call)
    if call.recording_sid is not None:
        return VoiceAnswer(next=HangUp(), language=call.language)
    return VoiceAnswer(
        say=(ivr.text("busy", call.language, options.texts),),
        next=Voicemail(call.id, options.voicemail_seconds),
        language=call.language,
    )


async def record_voicemail(
    pool: Pool,
    call_id: UUID,
    *,
    recording_url: str,
    recording_sid: str,
    seconds: int,
    options: VoiceOptions,
    now: datetime,
) -> VoiceAnswer:
    """The caller left a message: it goes on the call (so on the ticket's timeline) and a
    callback task is opened. A replay of the same recording changes nothing."""
    async with transaction(pool) as conn:
        call = await store.get_call(conn, call_id, for_update=True)
        if call.recording_sid != recording_sid:
            call = await store.update_call(
                conn,
                call.id,
                now,
                recording_url=recording_url,
                recording_sid=recording_sid,
                recording_seconds=seconds,
                outcome=Outcome.VOICEMAIL,
                wait_seconds=waited(call, now),
            )
            callback_id = await open_callback(
                conn, call, CallbackReason.VOICEMAIL, options, now=now
            )
            if callback_id is not None:
                call = await store.update_call(conn, call.id, now, callback_id=callback_id)
            await publish_call(conn, call)
    return VoiceAnswer(
        say=(ivr.text("voicemail_thanks", call.language, options.texts),),
        next=HangUp(),
        language=call.language,
    )


async def record_transcription(
    pool: Pool, call_id: UUID, *, text: str, completed: bool, now: datetime
) -> None:
    """The provider's transcription of the voicemail, onto the call and, as an internal note,
    onto the ticket's timeline (so the ticket search finds its words). A failed transcription
    leaves it empty; a replay changes nothing."""
    async with transaction(pool) as conn:
        call = await store.get_call(conn, call_id, for_update=True)
        value = text.replace("\x00", "").strip() if completed else ""
        if call.transcription == value:
            return
        call = await store.update_call(conn, call.id, now, transcription=value)
        if value:
            note = f"Voicemail from {call.from_number} ({call.recording_seconds or 0} s): {value}"
            await tickets.add_system_note(conn, call.ticket_id, note, now=now)
        await publish_call(conn, call)
