"""Acting on live calls at the provider: connecting a waiting caller to the agent who accepted,
placing callbacks paced to the provider's calls-per-second limit, and the port for both."""

from __future__ import annotations

import logging
import secrets
import uuid
from datetime import datetime, timedelta
from typing import Protocol
from uuid import UUID

from contact_center import live, routing, tickets
from contact_center.calls import ivr, store
from contact_center.calls.ending import apply_status, call_event, publish_call
from contact_center.calls.model import (
    Call,
    CallbackState,
    CallbackTask,
    CallState,
    Choice,
    Connect,
    Direction,
    HangUp,
    Outcome,
    VoiceAnswer,
    VoiceOptions,
    Wait,
)
from contact_center.calls.service import route_call
from contact_center.db import Conn, Pool, transaction
from contact_center.jobs.model import CALLBACK_DIAL_TASK, Failed
from contact_center.jobs.queue import enqueue_job
from contact_center.live import Event

log = logging.getLogger(__name__)


class CallControl(Protocol):
    """Acts on calls at the provider (Twilio's REST API; a logging stand-in in demo mode)."""

    async def redirect(self, call_sid: str, answer: VoiceAnswer) -> None:
        """Replace what the live call is doing with `answer` (e.g. take it out of the queue
        and dial an agent)."""

    async def place(self, *, to: str, from_: str, answer: VoiceAnswer) -> str:
        """Place an outbound call that does `answer` once picked up; returns its CallSid."""


def client_identity(user_id: UUID) -> str:
    """The agent's browser client identity (the access token's identity says the same)."""
    return f"agent_{user_id.hex}"


async def connect_call(
    pool: Pool, control: CallControl, call_id: UUID, *, options: VoiceOptions, now: datetime
) -> str:
    """An agent accepted the call: take it out of the queue and dial their browser (the call
    is CONNECTING until their phone answers). A call that ended or is already connecting is
    left alone (a repeated job changes nothing)."""
    async with transaction(pool) as conn:
        call = await store.get_call(conn, call_id, for_update=True)
        if call.state is not CallState.WAITING:
            return f"call is {call.state}"
        agent_id = await routing.assignee_of(conn, call_id=call.id)
        if agent_id is None:
            return Failed("call has no assigned agent")
        call = await store.update_call(
            conn,
            call.id,
            now,
            state=CallState.CONNECTING,
            agent_id=agent_id,
            wait_seconds=max(0, int((now - (call.enqueued_at or now)).total_seconds())),
        )
        # The caller's ticket becomes the agent's, so the console opens it with the call.
        await tickets.assign_from_routing(conn, call.ticket_id, agent_id, now=now)
        await live.publish(conn, Event.CALL_UPDATED, call_event(call))
    agent = await routing.get_agent(pool, agent_id, now=now)
    identity = agent.client_identity or ("" if agent.phone else client_identity(agent_id))
    answer = VoiceAnswer(
        say=(ivr.text("connecting", call.language, options.texts),),
        next=Connect(
            call.id, client_identity=identity, phone=agent.phone, caller_id=call.from_number
        ),
        language=call.language,
    )
    try:
        await control.redirect(call.call_sid, answer)
    except Exception as exc:  # whatever the provider said, the caller must not be left waiting
        log.warning("call %s could not be put through to %s: %r", call.id, agent_id, exc)
        async with transaction(pool) as conn:
            current = await store.get_call(conn, call.id, for_update=True)
            if current.state is CallState.CONNECTING and current.queue is not None:
                await _back_to_queue(conn, current, "connect_failed", options, now=now)
        return Failed(f"could not connect: {exc!r}")
    return f"connecting to {agent_id}"


async def agent_answered(pool: Pool, call_id: UUID, *, now: datetime) -> None:
    """The agent's phone picked up (the dialled leg's status): the call is CONNECTED from now.
    A replay, or a call that moved on, changes nothing."""
    async with transaction(pool) as conn:
        call = await store.get_call(conn, call_id, for_update=True)
        if call.state is not CallState.CONNECTING:
            return
        call = await store.update_call(
            conn, call.id, now, state=CallState.CONNECTED, answered_at=now
        )
        await publish_call(conn, call)


async def place_callback(
    pool: Pool, control: CallControl, payload: str, *, options: VoiceOptions, now: datetime
) -> str:
    """Call the customer of a callback task from the service's number and bridge the agent.
    Calls from one number are spaced 1/calls_per_second apart across every worker: a call that
    must wait holds its slot and comes back for it. The call's row is stored before the call is
    placed, so that no status report can come before it."""
    callback_id, agent_id, *held = payload.split()
    task = await _open_task(pool, UUID(callback_id))
    if task is None:
        return Failed("callback task is not open")
    async with pool.acquire() as conn:
        # A second click on "dial" while the first call still rings places no second call.
        if await store.find_dialling(conn, task.id) is not None:
            return "already calling this customer"
    from_number = options.from_number
    if not from_number:
        return Failed("no TWILIO_FROM_NUMBER to call from")
    if not held or datetime.fromisoformat(held[0]) > now:
        async with transaction(pool) as conn:
            if not held:
                gap = timedelta(seconds=1) / max(1, options.calls_per_second)
                slot = await store.take_call_slot(conn, from_number, now, gap)
            else:
                slot = datetime.fromisoformat(held[0])
            if slot > now:
                await enqueue_job(
                    conn,
                    CALLBACK_DIAL_TASK,
                    f"{callback_id} {agent_id} {slot.isoformat()}",
                    after=slot - now,
                    dedupe_key=f"{CALLBACK_DIAL_TASK}-{callback_id}-slot-{secrets.token_hex(4)}",
                )
                return f"waits for its slot at {slot.isoformat()}"
    agent = UUID(agent_id)
    language = ivr.language_of("")
    call = await _dialling_row(pool, task, agent, from_number, language, now=now)
    if call is None:
        return "already calling this customer"
    answer = VoiceAnswer(
        say=(ivr.text("callback", language, options.texts),),
        next=Connect(None, client_identity=client_identity(agent), caller_id=from_number),
        language=language,
    )
    try:
        sid = await control.place(to=task.phone, from_=from_number, answer=answer)
    except Exception as exc:  # the call never left: its row must not block the next dial
        log.warning("callback %s could not be placed: %r", task.id, exc)
        async with transaction(pool) as conn:
            failed = await store.update_call(
                conn, call.id, now, state=CallState.ENDED, outcome=Outcome.MISSED, ended_at=now
            )
            await publish_call(conn, failed)
        return Failed(f"could not place the call: {exc!r}")
    async with transaction(pool) as conn:
        call = await store.update_call(conn, call.id, now, call_sid=sid)
        # Reports that came before the CallSid was stored were kept: apply them now.
        for status, duration in await store.call_events(conn, sid):
            call = await apply_status(conn, call, status, duration, options, now=now)
        await publish_call(conn, call)
    return f"placed {sid}"


async def _dialling_row(
    pool: Pool, task: CallbackTask, agent: UUID, from_number: str, language: str, *, now: datetime
) -> Call | None:
    """The outbound call's row, DIALING under a provisional CallSid until the provider gives
    the real one; None when another call to this task is already ringing."""
    async with transaction(pool) as conn:
        await store.get_callback(conn, task.id, for_update=True)
        if await store.find_dialling(conn, task.id) is not None:
            return None
        call = await store.insert_call(
            conn,
            call_sid=f"pending-{uuid.uuid4().hex}",
            ticket_id=task.ticket_id,
            message_id=None,
            customer_id=task.customer_id,
            from_number=from_number,
            to_number=task.phone,
            direction=Direction.OUTBOUND,
            language=language,
            key_account=False,
            priority="normal",
            state=CallState.DIALING,
            at=now,
        )
        assert call is not None  # a fresh provisional CallSid
        call = await store.update_call(conn, call.id, now, agent_id=agent, callback_id=task.id)
        await live.publish(conn, Event.CALL_UPDATED, call_event(call))
        return call


async def _open_task(pool: Pool, callback_id: UUID) -> CallbackTask | None:
    async with pool.acquire() as conn:
        task = await store.get_callback(conn, callback_id)
    return task if task.state is CallbackState.OPEN else None


async def after_dial(
    pool: Pool,
    call_id: UUID,
    *,
    status: str,
    seconds: int | None,
    caller_gone: bool = False,
    options: VoiceOptions,
    now: datetime,
) -> VoiceAnswer:
    """The dial to the agent ended (Dial action). Talked: the talk time is kept and the call
    ends. The agent did not pick up: the caller goes back to the queue, keeping their place,
    and that agent is tried last. A caller who hung up is left to the status callback."""
    async with transaction(pool) as conn:
        call = await store.get_call(conn, call_id, for_update=True)
        if status in ("completed", "answered"):
            changes: dict[str, object] = {}
            if call.state is CallState.CONNECTING:  # the leg's own report did not come
                changes["state"] = CallState.CONNECTED
                changes["answered_at"] = now - timedelta(seconds=seconds or 0)
            if seconds is not None and call.talk_seconds is None:
                changes["talk_seconds"] = seconds
            if changes:
                call = await store.update_call(conn, call.id, now, **changes)
                await publish_call(conn, call)
            return VoiceAnswer(next=HangUp(), language=call.language)
        if caller_gone or call.state is not CallState.CONNECTING or call.queue is None:
            return VoiceAnswer(next=HangUp(), language=call.language)
        return await _back_to_queue(conn, call, "agent_" + status, options, now=now)


async def _back_to_queue(
    conn: Conn, call: Call, reason: str, options: VoiceOptions, *, now: datetime
) -> VoiceAnswer:
    """The agent could not be reached: the caller waits again, keeping their place; the same
    item goes back to the queue with that agent counted as declined."""
    assert call.queue is not None
    if not await routing.requeue_call(conn, call_id=call.id, reason=reason, now=now):
        # No item still assigned (a supervisor moved it on): the caller queues anew.
        await routing.cancel_item(conn, call_id=call.id, reason=reason, now=now)
        reset = await store.update_call(conn, call.id, now, state=CallState.IVR, agent_id=None)
        return await route_call(
            conn, reset, Choice.PLACE_BACK, call.queue, options, now=now, since=call
        )
    waiting = await store.update_call(
        conn, call.id, now, state=CallState.WAITING, agent_id=None, wait_seconds=None
    )
    await publish_call(conn, waiting)
    return VoiceAnswer(
        say=(ivr.text("queued", call.language, options.texts),),
        next=Wait(call.id, call.queue),
        language=call.language,
    )
