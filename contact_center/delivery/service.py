"""Delivery use cases: one attempt for one outbound message; the sweep; provider callbacks."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from uuid import UUID

from contact_center import live, outbox, tickets
from contact_center.db import Conn, Pool, transaction
from contact_center.live import Event
from contact_center.logs import mask
from contact_center.outbox import (
    AmbiguousSendError,
    DeliveryStatusUpdate,
    OutboundChannel,
    OutboundMessage,
    OutboundStatus,
    PermanentSendError,
    SendError,
    Senders,
    TransientSendError,
    policy,
)

log = logging.getLogger(__name__)

# A delivery job that runs at most this long before its message is due is queued again for then.
EARLY_JOB = timedelta(seconds=10)
NEEDS_A_PERSON = {
    OutboundStatus.DEAD,
    OutboundStatus.FAILED,
    OutboundStatus.NEEDS_REVIEW,
    OutboundStatus.UNDELIVERED,
}
WHY = {
    OutboundStatus.DEAD: "could not be delivered after {attempts} attempts",
    OutboundStatus.FAILED: "was refused",
    OutboundStatus.UNDELIVERED: "was not delivered",
    OutboundStatus.NEEDS_REVIEW: "may or may not have been sent (no answer from the provider); "
    "check with the customer before sending again",
}


async def deliver_one(
    pool: Pool, senders: Senders, outbound_id: UUID, *, now: datetime, sms_per_second: int = 0
) -> OutboundStatus | None:
    """Make one send attempt for a due pending message. The provider call happens outside
    any transaction; its outcome is recorded in a new one. Returns the status it ended in,
    or None when there was nothing to do (already sent, not yet due, taken by another worker)."""
    peeked = await outbox.peek(pool, outbound_id)
    if peeked is None or peeked.status is not OutboundStatus.PENDING:
        return None
    if peeked.next_attempt_at > now:
        # Held (an undo window) or waiting for a later try: a job is queued for that time,
        # and the sweep finds a lost one. This job came early (the queue's clock and ours
        # differ a little): look again when it is due rather than at the next sweep. Taking
        # a rate slot now would waste it, and the claim below would refuse anyway.
        if peeked.next_attempt_at - now <= EARLY_JOB:
            async with transaction(pool) as conn:
                due = peeked.next_attempt_at
                await outbox.requeue(
                    conn, peeked.id, after=due - now, reason=f"due-{due.timestamp()}"
                )
        return None
    sender = senders.get(peeked.channel)
    if sender is None:
        return await _wait_for_provider(pool, peeked, now)
    paced = peeked.channel is OutboundChannel.SMS and sms_per_second > 0
    if paced and await outbox.hold_sms_slot(pool, peeked, now=now, per_second=sms_per_second):
        return OutboundStatus.PENDING
    message = await outbox.claim(pool, outbound_id, now=now)
    if message is None:
        return None
    try:
        receipt = await sender.send(message)
    except SendError as exc:
        status, retry_at = _after_send_error(message, exc, now)
        return await _record_failure(pool, message, status, retry_at, exc.args[0], exc.code, now)
    except Exception as exc:
        # A fault no sender foresaw must not escape: the row would stay 'sending' and bounce
        # through the crash sweep on every attempt. Classify it now, keep the traceback.
        log.exception(
            "outbound %s %s to %s: unexpected error from the sender",
            message.channel,
            message.id,
            mask(message.to_address),
        )
        status, retry_at = policy.after_unexpected(message.channel, message.attempts, now)
        error = f"unexpected error in the sender: {type(exc).__name__}: {exc}"
        return await _record_failure(pool, message, status, retry_at, error, "unexpected", now)
    async with transaction(pool) as conn:
        await outbox.mark_sent(conn, message, receipt.provider_id, now=now)
        await _announce(conn, message, OutboundStatus.SENT)
    return OutboundStatus.SENT


def _after_send_error(
    message: OutboundMessage, exc: SendError, now: datetime
) -> tuple[OutboundStatus, datetime]:
    if isinstance(exc, TransientSendError):
        return policy.after_transient(message.attempts, now)
    if isinstance(exc, AmbiguousSendError):
        return policy.after_ambiguous(message.channel, message.attempts, now)
    if isinstance(exc, PermanentSendError):
        return OutboundStatus.FAILED, now
    return policy.after_unexpected(message.channel, message.attempts, now)


async def _wait_for_provider(pool: Pool, message: OutboundMessage, now: datetime) -> OutboundStatus:
    """No sender for this channel in this process: the message stays pending, says why, and
    is looked at again later. Warned once per message, so a backlog is not a log flood."""
    what = "SMS" if message.channel is OutboundChannel.SMS else "email"
    error = f"no {what} provider is configured; the message waits until one is"
    retry_at = now + policy.PROVIDER_RECHECK
    level = logging.DEBUG if message.error_code == policy.NO_PROVIDER else logging.WARNING
    log.log(level, "outbound %s %s to %s: %s", what, message.id, mask(message.to_address), error)
    async with transaction(pool) as conn:
        await outbox.wait_for_provider(conn, message, retry_at=retry_at, error=error, now=now)
    return OutboundStatus.PENDING


async def _record_failure(
    pool: Pool,
    message: OutboundMessage,
    status: OutboundStatus,
    retry_at: datetime,
    error: str,
    code: str | None,
    now: datetime,
) -> OutboundStatus:
    log.warning(
        "outbound %s %s to %s, attempt %d: %s%s -> %s%s",
        message.channel,
        message.id,
        mask(message.to_address),
        message.attempts,
        mask(error),
        f" (code {code})" if code else "",
        status,
        f", next attempt at {retry_at:%Y-%m-%d %H:%M:%S} UTC"
        if status is OutboundStatus.PENDING
        else "",
    )
    async with transaction(pool) as conn:
        await outbox.mark_failed_attempt(
            conn, message, status, retry_at=retry_at, error=error, code=code, now=now
        )
        await _after_status(conn, message, status, error=error, now=now)
    return status


async def _after_status(
    conn: Conn,
    message: OutboundMessage,
    status: OutboundStatus,
    *,
    error: str | None,
    now: datetime,
) -> None:
    """Announce the new state, and tell the agents on the ticket when a person must act."""
    await _announce(conn, message, status)
    # A message of no ticket (reminder, greeting, broadcast) has no timeline to note it on: the
    # failure's WARNING above and its status (care figures, the visit) tell.
    if status in NEEDS_A_PERSON and message.ticket_id is not None:
        what = "SMS" if message.channel is OutboundChannel.SMS else "Email"
        reason = WHY[status].format(attempts=message.attempts)
        detail = f" Last error: {error}" if error else ""
        await tickets.add_system_note(
            conn, message.ticket_id, f"{what} to {message.to_address} {reason}.{detail}", now=now
        )


async def _announce(conn: Conn, message: OutboundMessage, status: OutboundStatus) -> None:
    await live.publish(
        conn,
        Event.DELIVERY_UPDATED,
        {
            "ticket_id": message.ticket_id,
            "message_id": message.message_id,
            "status": status,
            # A message of no ticket says what it is, so the care page can follow broadcasts.
            "purpose": message.purpose,
        },
    )


async def sweep(
    pool: Pool, *, now: datetime, ready: Iterable[OutboundChannel] = ()
) -> dict[str, int]:
    """Recover from crashes: a message left 'sending' past its lease is retried (email, same
    Message-ID) or handed to a person (SMS: it may have gone out). Messages that waited for a
    provider on a channel that is now `ready` are due at once. Due pending messages whose job
    was lost are queued again."""
    async with transaction(pool) as conn:
        released = await outbox.release_waiting(conn, list(ready), now=now)
        stale = await outbox.lock_stale_sending(conn, now=now)
        for message in stale:
            status, retry_at = policy.after_ambiguous(message.channel, message.attempts, now)
            error = "the sending process stopped before the provider's answer was recorded"
            await outbox.mark_failed_attempt(
                conn, message, status, retry_at=retry_at, error=error, code=None, now=now
            )
            await _after_status(conn, message, status, error=error, now=now)
    due = await outbox.list_due(pool, now=now)
    async with transaction(pool) as conn:
        for outbound_id in due:
            await outbox.requeue(conn, outbound_id)
    return {"stale": len(stale), "released": released, "requeued": len(due)}


async def record_delivery_status(
    pool: Pool, update: DeliveryStatusUpdate, *, now: datetime
) -> bool:
    """Apply a provider's status callback; a repeat or a late, older status changes nothing.
    Returns True when the message's status moved."""
    async with transaction(pool) as conn:
        applied = await outbox.apply_provider_status(conn, update, now=now)
        if applied is None:
            return False
        message, status = applied
        if status is message.status:
            return False
        error = f"provider error {update.error_code}" if update.error_code else None
        await _after_status(conn, message, status, error=error, now=now)
        return True
