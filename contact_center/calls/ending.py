"""A call's status callbacks and its end: outcome, times, the routing item released, and the
callback task of a caller who hung up while waiting; the call's live event."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from contact_center import live, routing
from contact_center.calls import store
from contact_center.calls.callbacks import open_callback
from contact_center.calls.model import (
    Call,
    CallbackReason,
    CallState,
    Direction,
    Outcome,
    StatusReport,
    VoiceOptions,
)
from contact_center.db import Conn, Pool, transaction
from contact_center.live import Event

log = logging.getLogger(__name__)
FINAL_STATUSES = frozenset({"completed", "busy", "failed", "no-answer", "canceled"})


async def record_status(
    pool: Pool, report: StatusReport, *, options: VoiceOptions, now: datetime
) -> bool:
    """A call status callback. Each (CallSid, CallStatus) applies once: False for a replay.
    A final status ends the call: answered, abandoned (with a callback task), voicemail or
    missed. A report for a CallSid we do not hold is kept: an outbound call placed a moment
    ago applies it once its CallSid is stored."""
    async with transaction(pool) as conn:
        fresh = await store.insert_call_event(
            conn, report.call_sid, report.status, now, report.payload
        )
        if not fresh:
            return False
        call = await store.find_call_by_sid(conn, report.call_sid, for_update=True)
        if call is None:
            log.warning("status %s for a call we do not hold (%s)", report.status, report.call_sid)
            return True
        await apply_status(conn, call, report.status, report.duration_seconds, options, now=now)
    return True


async def apply_status(
    conn: Conn,
    call: Call,
    status: str,
    duration: int | None,
    options: VoiceOptions,
    *,
    now: datetime,
) -> Call:
    """One status of the call, inside the caller's transaction: an outbound call picked up is
    CONNECTED; a final status ends it."""
    if status == "in-progress" and call.state is CallState.DIALING:
        call = await store.update_call(
            conn, call.id, now, state=CallState.CONNECTED, answered_at=now
        )
        await publish_call(conn, call)
    elif status in FINAL_STATUSES:
        call = await end_call(conn, call, options, now=now, duration=duration)
    return call


async def end_call(
    conn: Conn, call: Call, options: VoiceOptions, *, now: datetime, duration: int | None = None
) -> Call:
    """The call is over: its outcome, times, the routing item released, and a callback task
    for a caller who hung up while waiting or being put through, who waited in a queue and
    left no message, or a key account who hung up anywhere. An outbound callback's end
    finishes the callback's routing item (the agent's voice line is free); the task itself
    stays open until the agent says how it went."""
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
        changes["wait_seconds"] = waited(call, now)
        await routing.cancel_item(conn, call_id=call.id, reason="abandoned", now=now)
    elif call.outcome is None:
        changes["outcome"] = Outcome.VOICEMAIL if call.recording_sid else Outcome.MISSED
    if call.direction is Direction.OUTBOUND and call.callback_id is not None:
        await routing.finish_item(conn, callback_id=call.callback_id, now=now)
    call = await store.update_call(conn, call.id, now, **changes)
    if _owed_a_callback(call):
        callback_id = await open_callback(conn, call, CallbackReason.ABANDONED, options, now=now)
        if callback_id is not None:
            call = await store.update_call(conn, call.id, now, callback_id=callback_id)
    await publish_call(conn, call)
    return call


def _owed_a_callback(call: Call) -> bool:
    if call.direction is not Direction.INBOUND:
        return False
    if call.outcome is Outcome.ABANDONED:
        return True
    return call.outcome is Outcome.MISSED and (call.enqueued_at is not None or call.key_account)


def waited(call: Call, now: datetime) -> int | None:
    if call.wait_seconds is not None or call.enqueued_at is None:
        return call.wait_seconds
    return max(0, int(((call.answered_at or now) - call.enqueued_at).total_seconds()))


async def publish_call(conn: Conn, call: Call) -> None:
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
