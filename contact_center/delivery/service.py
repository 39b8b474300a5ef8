"""Delivery use cases: one attempt for one outbound message; the sweep; provider callbacks."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from contact_center import live, outbox, tickets
from contact_center.db import Conn, Pool, transaction
from contact_center.live import Event
from contact_center.outbox import (
    AmbiguousSendError,
    DeliveryStatusUpdate,
    OutboundChannel,
    OutboundMessage,
    OutboundStatus,
    PermanentSendError,
    Senders,
    TransientSendError,
    policy,
)

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
    paced = peeked.channel is OutboundChannel.SMS and sms_per_second > 0
    if paced and await outbox.hold_sms_slot(pool, peeked, now=now, per_second=sms_per_second):
        return OutboundStatus.PENDING
    message = await outbox.claim(pool, outbound_id, now=now)
    if message is None:
        return None
    sender = senders.get(message.channel)
    try:
        if sender is None:
            raise PermanentSendError(f"no sender is configured for {message.channel}")
        receipt = await sender.send(message)
    except TransientSendError as exc:
        status, retry_at = policy.after_transient(message.attempts, now)
        return await _record_failure(pool, message, status, retry_at, exc.args[0], exc.code, now)
    except AmbiguousSendError as exc:
        status, retry_at = policy.after_ambiguous(message.channel, message.attempts, now)
        return await _record_failure(pool, message, status, retry_at, exc.args[0], exc.code, now)
    except PermanentSendError as exc:
        return await _record_failure(
            pool, message, OutboundStatus.FAILED, now, exc.args[0], exc.code, now
        )
    async with transaction(pool) as conn:
        await outbox.mark_sent(conn, message, receipt.provider_id, now=now)
        await _announce(conn, message, OutboundStatus.SENT)
    return OutboundStatus.SENT


async def _record_failure(
    pool: Pool,
    message: OutboundMessage,
    status: OutboundStatus,
    retry_at: datetime,
    error: str,
    code: str | None,
    now: datetime,
) -> OutboundStatus:
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
    if status in NEEDS_A_PERSON:
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
        },
    )


async def sweep(pool: Pool, *, now: datetime) -> dict[str, int]:
    """Recover from crashes: a message left 'sending' past its lease is retried (email, same
    Message-ID) or handed to a person (SMS: it may have gone out). Due pending messages whose
    job was lost are queued again."""
    async with transaction(pool) as conn:
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
    return {"stale": len(stale), "requeued": len(due)}


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
