"""Inbound calls: the answer to a new call (inside intake's transaction), the menu, holding,
voicemail, and status callbacks that keep each call current.

Every function returns what the caller hears next (`VoiceAnswer`); channels render it as TwiML.
A replayed webhook finds the call already moved on and is answered from its current state.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any
from uuid import UUID

from contact_center import customers, live, routing, tickets
from contact_center.calls import ivr, store
from contact_center.calls.callbacks import open_callback
from contact_center.calls.model import (
    Call,
    CallbackReason,
    CallState,
    Choice,
    Direction,
    HangUp,
    Hold,
    LeaveQueue,
    Menu,
    Outcome,
    StatusReport,
    VoiceAnswer,
    Voicemail,
    VoiceOptions,
    Wait,
)
from contact_center.db import Conn, Pool, transaction
from contact_center.live import Event
from contact_center.routing import ItemKind, ItemRequest
from contact_center.routing.hours import is_open

log = logging.getLogger(__name__)
FINAL_STATUSES = frozenset({"completed", "busy", "failed", "no-answer", "canceled"})


def call_responder(options: VoiceOptions, *, now: datetime) -> tickets.Responder:
    """Intake's responder for a call: store the call on the ticket intake chose, then greet."""

    async def respond(conn: Conn, placed: tickets.Placed) -> VoiceAnswer:
        return await answer_new_call(conn, placed, options, now=now)

    return respond


async def answer_new_call(
    conn: Conn, placed: tickets.Placed, options: VoiceOptions, *, now: datetime
) -> VoiceAnswer:
    """Inside intake's transaction: the call's row, then the greeting (by name when the caller
    is known) and the menu; a caller who hung up while waiting a few minutes ago goes straight
    back to their place. A replay is answered from the call as it is."""
    contact = placed.contact
    existing = await store.find_call_by_sid(conn, contact.provider_id, for_update=True)
    if existing is not None:
        return answer_for_state(existing, options)
    customer = await customers.load_customer(conn, placed.customer_id)
    account = await customers.account_of(conn, placed.customer_id)
    language = ivr.language_of(customer.language)
    call = await store.insert_call(
        conn,
        call_sid=contact.provider_id,
        ticket_id=placed.ticket_id,
        message_id=placed.message_id,
        customer_id=placed.customer_id,
        from_number=contact.from_address,
        to_number=contact.to_address,
        direction=Direction.INBOUND,
        language=language,
        key_account=account.key_account,
        priority=routing.priority_for(key_account=account.key_account, complaint=False),
        state=CallState.IVR,
        at=now,
    )
    if call is None:  # a concurrent delivery of the same CallSid stored it first
        raced = await store.find_call_by_sid(conn, contact.provider_id)
        assert raced is not None
        return answer_for_state(raced, options)
    earlier = await store.find_recent_abandoned(
        conn, call.from_number, now - options.place_back_window
    )
    if earlier is not None and earlier.queue is not None:
        await _publish(conn, call)
        return await route_call(
            conn, call, Choice.PLACE_BACK, earlier.queue, options, now=now, since=earlier
        )
    await _publish(conn, call)
    name = customer.name.strip()
    known = bool(name) and name != call.from_number
    greeting = (
        ivr.text("greeting_known", language, options.texts, name=name)
        if known
        else ivr.text("greeting", language, options.texts)
    )
    return VoiceAnswer(
        say=(greeting,),
        next=Menu(call.id, ivr.text("menu", language, options.texts), attempt=1),
        language=language,
    )


def answer_for_state(call: Call, options: VoiceOptions) -> VoiceAnswer:
    """What a call in its current state hears again (a replayed or late webhook)."""
    if call.state is CallState.IVR:
        prompt = ivr.text("menu", call.language, options.texts)
        return VoiceAnswer(
            next=Menu(call.id, prompt, attempt=call.menu_attempts + 1), language=call.language
        )
    if call.state is CallState.WAITING and call.queue is not None:
        return VoiceAnswer(next=Wait(call.id, call.queue), language=call.language)
    if call.state is CallState.VOICEMAIL and call.recording_sid is None:
        return VoiceAnswer(
            next=Voicemail(call.id, options.voicemail_seconds), language=call.language
        )
    return VoiceAnswer(next=HangUp(), language=call.language)


async def choose_from_menu(
    pool: Pool,
    call_id: UUID,
    *,
    digits: str,
    speech: str,
    attempt: int,
    options: VoiceOptions,
    now: datetime,
) -> VoiceAnswer:
    """The caller answered the menu (or did not): route by the choice, say the menu once more,
    or after that go to the default queue."""
    async with transaction(pool) as conn:
        call = await store.get_call(conn, call_id, for_update=True)
        if call.state is not CallState.IVR or attempt <= call.menu_attempts:
            return answer_for_state(call, options)
        choice = ivr.after_menu(digits, speech, attempt)
        if choice is None:
            await store.update_call(conn, call.id, now, menu_attempts=attempt)
            say = ivr.text("invalid", call.language, options.texts)
            prompt = ivr.text("menu", call.language, options.texts)
            return VoiceAnswer(
                say=(say,), next=Menu(call.id, prompt, attempt=attempt + 1), language=call.language
            )
        call = await store.update_call(conn, call.id, now, menu_attempts=attempt)
        queue = await routing.queue_for_kind(conn, ivr.KIND_OF[choice])
        return await route_call(conn, call, choice, queue, options, now=now)


async def route_call(
    conn: Conn,
    call: Call,
    choice: Choice,
    queue_name: str,
    options: VoiceOptions,
    *,
    now: datetime,
    since: Call | None = None,
) -> VoiceAnswer:
    """Into the queue while it is open (keeping the place of `since`, an abandoned call of the
    same caller), else to voicemail."""
    queue = await routing.read_queue(conn, queue_name)
    complaint = choice is Choice.COMPLAINT
    priority = routing.priority_for(key_account=call.key_account, complaint=complaint)
    path = [*call.ivr_path, choice.value]
    if not is_open(queue.hours, now, options.site_timezone):
        call = await store.update_call(
            conn,
            call.id,
            now,
            ivr_path=path,
            queue=queue.name,
            priority=priority.value,
            state=CallState.VOICEMAIL,
        )
        await _publish(conn, call)
        return VoiceAnswer(
            say=(ivr.text("closed", call.language, options.texts),),
            next=Voicemail(call.id, options.voicemail_seconds),
            language=call.language,
        )
    enqueued_at = since.enqueued_at if since is not None and since.enqueued_at else now
    call = await store.update_call(
        conn,
        call.id,
        now,
        ivr_path=path,
        queue=queue.name,
        priority=priority.value,
        state=CallState.WAITING,
        enqueued_at=enqueued_at,
    )
    account = await customers.account_of(conn, call.customer_id)
    customer = await customers.load_customer(conn, call.customer_id)
    await routing.enqueue_item(
        conn,
        ItemRequest(
            kind=ItemKind.CALL,
            queue=queue.name,
            priority=priority,
            call_id=call.id,
            customer_id=call.customer_id,
            key_account=call.key_account,
            complaint=complaint,
            preferred_agent_ids=await preferred_agents(conn, call.customer_id, account),
            summary={
                "channel": "voice",
                "customer_name": customer.name,
                "tier": account.tier,
                "key_account": account.key_account,
                "from": call.from_number,
                "ticket_id": call.ticket_id,
                "ivr_path": path,
                "waiting_since": enqueued_at,
            },
        ),
        now=now,
    )
    if since is not None and since.callback_id is not None:
        from contact_center.calls.callbacks import cancel_callback_in

        await cancel_callback_in(conn, since.callback_id, note="called back", now=now)
    await _publish(conn, call)
    said = "place_back" if since is not None else "queued"
    return VoiceAnswer(
        say=(ivr.text(said, call.language, options.texts),),
        next=Wait(call.id, queue.name),
        language=call.language,
    )


async def preferred_agents(
    conn: Conn, customer_id: UUID, account: customers.Account
) -> tuple[UUID, ...]:
    """Tried first while available: the account manager, then the customer's last agent."""
    found: list[UUID] = []
    if account.account_manager_id is not None:
        found.append(account.account_manager_id)
    last = await tickets.last_agent_for(conn, customer_id)
    if last is not None and last not in found:
        found.append(last)
    return tuple(found)


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
        if waited >= queue.wait_limit_seconds:
            await routing.cancel_item(conn, call_id=call.id, reason="wait_limit", now=now)
            call = await store.update_call(conn, call.id, now, state=CallState.VOICEMAIL)
            await _publish(conn, call)
            return VoiceAnswer(next=LeaveQueue(), language=call.language)
        place = await routing.queue_position(conn, call_id=call.id, now=now)
    if place is None:
        return VoiceAnswer(next=Hold(options.hold_audio_url), language=call.language)
    position, estimate = place
    said = ivr.text(
        "position",
        call.language,
        options.texts,
        position=position,
        minutes=ivr.wait_minutes(estimate),
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
            await _publish(conn, call)
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
                wait_seconds=_waited(call, now),
            )
            callback_id = await open_callback(
                conn, call, CallbackReason.VOICEMAIL, options, now=now
            )
            if callback_id is not None:
                call = await store.update_call(conn, call.id, now, callback_id=callback_id)
            await _publish(conn, call)
    return VoiceAnswer(
        say=(ivr.text("voicemail_thanks", call.language, options.texts),),
        next=HangUp(),
        language=call.language,
    )


async def record_transcription(
    pool: Pool, call_id: UUID, *, text: str, completed: bool, now: datetime
) -> None:
    """The provider's transcription of the voicemail, onto the call (a failed one is noted)."""
    async with transaction(pool) as conn:
        call = await store.get_call(conn, call_id, for_update=True)
        value = text.strip() if completed else ""
        if call.transcription == value:
            return
        call = await store.update_call(conn, call.id, now, transcription=value)
        await _publish(conn, call)


async def record_status(
    pool: Pool, report: StatusReport, *, options: VoiceOptions, now: datetime
) -> bool:
    """A call status callback. Each (CallSid, CallStatus) applies once: False for a replay.
    A final status ends the call: answered, abandoned (with a callback task), voicemail or
    missed."""
    async with transaction(pool) as conn:
        fresh = await store.insert_call_event(
            conn, report.call_sid, report.status, now, report.payload
        )
        if not fresh:
            return False
        call = await store.find_call_by_sid(conn, report.call_sid, for_update=True)
        if call is None:
            log.info("status %s for a call we do not hold (%s)", report.status, report.call_sid)
            return True
        if report.status == "in-progress" and call.state is CallState.DIALING:
            call = await store.update_call(
                conn, call.id, now, state=CallState.CONNECTED, answered_at=now
            )
            await _publish(conn, call)
        elif report.status in FINAL_STATUSES:
            await end_call(conn, call, options, now=now, duration=report.duration_seconds)
    return True


async def end_call(
    conn: Conn, call: Call, options: VoiceOptions, *, now: datetime, duration: int | None = None
) -> Call:
    """The call is over: its outcome, times, the routing item released, and for a caller who
    hung up while waiting a callback task."""
    if call.state is CallState.ENDED:
        return call
    changes: dict[str, Any] = {"state": CallState.ENDED, "ended_at": now}
    if call.state in (CallState.CONNECTED, CallState.DIALING) and call.answered_at is not None:
        changes["outcome"] = Outcome.ANSWERED
        if call.talk_seconds is None:
            changes["talk_seconds"] = int((now - call.answered_at).total_seconds())
        await routing.finish_item(conn, call_id=call.id, now=now)
    elif call.state in (CallState.WAITING, CallState.CONNECTING):
        changes["outcome"] = Outcome.ABANDONED
        changes["wait_seconds"] = _waited(call, now)
        await routing.cancel_item(conn, call_id=call.id, reason="abandoned", now=now)
    elif call.outcome is None:
        changes["outcome"] = Outcome.VOICEMAIL if call.recording_sid else Outcome.MISSED
    call = await store.update_call(conn, call.id, now, **changes)
    if call.outcome is Outcome.ABANDONED:
        callback_id = await open_callback(conn, call, CallbackReason.ABANDONED, options, now=now)
        if callback_id is not None:
            call = await store.update_call(conn, call.id, now, callback_id=callback_id)
    await _publish(conn, call)
    return call


def _waited(call: Call, now: datetime) -> int | None:
    if call.wait_seconds is not None or call.enqueued_at is None:
        return call.wait_seconds
    return max(0, int(((call.answered_at or now) - call.enqueued_at).total_seconds()))


async def _publish(conn: Conn, call: Call) -> None:
    await live.publish(conn, Event.CALL_UPDATED, call_event(call))


def call_event(call: Call) -> dict[str, Any]:
    return {
        "call_id": call.id,
        "ticket_id": call.ticket_id,
        "customer_id": call.customer_id,
        "state": call.state,
        "outcome": call.outcome,
        "queue": call.queue,
        "agent_id": call.agent_id,
        "direction": call.direction,
    }


async def calls_for_ticket(pool: Pool, ticket_id: UUID) -> list[Call]:
    """The ticket's calls, oldest first (the console shows them on the timeline)."""
    async with pool.acquire() as conn:
        return await store.list_calls_for_ticket(conn, ticket_id)
