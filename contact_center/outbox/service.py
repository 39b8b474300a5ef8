"""The outbox: outbound messages are rows written in the caller's transaction, then delivered by
a job after commit. These functions own the rows' states; `delivery` drives the sending."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from contact_center import customers
from contact_center.db import Conn, Pool, transaction
from contact_center.jobs import enqueue_job
from contact_center.outbox import policy, store
from contact_center.outbox.addressing import channel_of, sender_for
from contact_center.outbox.model import (
    DeliveryStatusUpdate,
    NewOutbound,
    Origin,
    OutboundChannel,
    OutboundMessage,
    OutboundRefused,
    OutboundStatus,
    Queued,
)

DELIVER_JOB = "outbox-deliver"


async def enqueue(conn: Conn, new: NewOutbound, *, origin: Origin, now: datetime) -> Queued:
    """The one way out for every SMS and email (replies, acknowledgements, reminders,
    surveys, visit messages): it maps the channel, refuses an SMS to a number that sent STOP,
    picks our sender, then writes the row and queues its delivery inside the caller's
    transaction, so nothing leaves unless the change that caused it commits.

    Raises OutboundRefused, before writing anything, when the message may not go at all."""
    channel = channel_of(new.channel)
    from_address = sender_for(channel, new.reply_from, origin)
    if (
        channel is OutboundChannel.SMS
        and not new.required_by_carrier
        and await customers.phone_opted_out(conn, new.to_address)
    ):
        raise OutboundRefused(
            "the customer has opted out of SMS (they sent STOP)", reason="opted_out"
        )
    outbound_id = await store.insert_outbound(
        conn, new, channel=channel, from_address=from_address, at=now
    )
    held = new.hold_until - now if new.hold_until and new.hold_until > now else None
    await enqueue_job(
        conn, DELIVER_JOB, str(outbound_id), after=held, dedupe_key=f"outbox:{outbound_id}"
    )
    return Queued(outbound_id, channel, from_address)


async def requeue(
    conn: Conn, outbound_id: UUID, *, after: timedelta | None = None, reason: str = ""
) -> None:
    """Queue another delivery job. From inside a running job, pass a `reason` unique to this
    attempt: the job library's dedupe key also covers the job still running, and an equal key
    would silently queue nothing. A surplus job is harmless: claiming is conditional."""
    key = f"outbox:{outbound_id}:{reason}" if reason else f"outbox:{outbound_id}"
    await enqueue_job(conn, DELIVER_JOB, str(outbound_id), after=after, dedupe_key=key)


async def cancel_unsent(
    conn: Conn, message_id: UUID, *, now: datetime
) -> tuple[OutboundMessage | None, bool]:
    """Take back the message delivering this timeline message, if nothing was tried yet (an
    agent's undo). Returns (the row, whether it is now cancelled); (None, False) when the
    message has no outbound row. A row already claimed for sending is left alone."""
    cancelled = await store.cancel_unsent(conn, message_id, now)
    if cancelled is not None:
        return cancelled, True
    return await store.get_by_message(conn, message_id), False


async def peek(pool: Pool, outbound_id: UUID) -> OutboundMessage | None:
    async with pool.acquire() as conn:
        return await store.get_outbound(conn, outbound_id)


async def claim(pool: Pool, outbound_id: UUID, *, now: datetime) -> OutboundMessage | None:
    """Take a due pending message for one send attempt; None when it is not due or not pending."""
    async with transaction(pool) as conn:
        return await store.claim_for_sending(
            conn, outbound_id, now=now, lease_until=now + policy.SENDING_LEASE
        )


async def mark_sent(
    conn: Conn, message: OutboundMessage, provider_id: str, *, now: datetime
) -> None:
    await store.finish_sent(conn, message.id, provider_id, now)


async def mark_failed_attempt(
    conn: Conn,
    message: OutboundMessage,
    status: OutboundStatus,
    *,
    retry_at: datetime,
    error: str,
    code: str | None,
    now: datetime,
) -> None:
    """Record how an attempt ended; a message going back to pending is queued for `retry_at`."""
    await store.set_outcome(
        conn,
        message.id,
        status=status,
        next_attempt_at=retry_at,
        error=error[:2000],
        code=code,
        at=now,
    )
    if status is OutboundStatus.PENDING:
        await requeue(
            conn,
            message.id,
            after=max(retry_at - now, timedelta(0)),
            reason=f"retry-{message.attempts}",
        )


async def wait_for_provider(
    conn: Conn, message: OutboundMessage, *, retry_at: datetime, error: str, now: datetime
) -> None:
    """Leave a pending message pending, with the reason, and look again at `retry_at`. No
    attempt is counted: nothing was tried."""
    await store.set_waiting(
        conn, message.id, next_attempt_at=retry_at, error=error, code=policy.NO_PROVIDER, at=now
    )
    await requeue(conn, message.id, after=retry_at - now, reason=f"wait-{retry_at.timestamp()}")


async def release_waiting(conn: Conn, channels: list[OutboundChannel], *, now: datetime) -> int:
    """Messages waiting for a provider on these channels become due now; returns how many."""
    if not channels:
        return 0
    return await store.release_waiting(conn, [str(c) for c in channels], policy.NO_PROVIDER, now)


async def apply_provider_status(
    conn: Conn, update: DeliveryStatusUpdate, *, now: datetime
) -> tuple[OutboundMessage, OutboundStatus] | None:
    """Apply a provider callback once and only forwards. Returns (message, new status), or
    None for an unknown message or a callback already applied."""
    reported = policy.TWILIO_STATUS.get(update.reported.lower())
    message = await store.lock_outbound(conn, update.outbound_id)
    if message is None or reported is None:
        return None
    if message.provider_id and update.provider_id and message.provider_id != update.provider_id:
        return None  # a callback for another message carrying our id: ignore it
    first = await store.insert_event(
        conn,
        message.id,
        update.reported.lower(),
        code=update.error_code,
        payload=update.payload,
        at=now,
    )
    if not first:
        return None
    status = policy.next_status(message.status, reported)
    if status is not message.status:
        await store.apply_status(
            conn, message.id, status, code=update.error_code, provider_id=update.provider_id, at=now
        )
    return message, status


async def list_due(pool: Pool, *, now: datetime, limit: int = 500) -> list[UUID]:
    async with pool.acquire() as conn:
        return await store.list_due(conn, now, limit)


async def lock_stale_sending(
    conn: Conn, *, now: datetime, limit: int = 500
) -> list[OutboundMessage]:
    """Messages left in 'sending' past their lease (the sender crashed mid-attempt), locked."""
    return await store.lock_stale_sending(conn, now, limit)


async def hold_sms_slot(
    pool: Pool, message: OutboundMessage, *, now: datetime, per_second: int
) -> datetime | None:
    """Pace SMS from one number to `per_second`. None: send now. Otherwise the message is
    moved to the send time it now holds, and queued for it."""
    if message.rate_slot_at is not None and message.rate_slot_at <= now:
        return None
    async with transaction(pool) as conn:
        slot = message.rate_slot_at or await store.take_sms_slot(
            conn, message.from_address, now, timedelta(seconds=1) / per_second
        )
        if slot <= now:
            return None
        await store.defer_to_slot(conn, message.id, slot, now)
        await requeue(conn, message.id, after=slot - now, reason=f"slot-{slot.timestamp()}")
    return slot


async def statuses_for(conn: Conn, message_ids: list[UUID]) -> dict[UUID, OutboundMessage]:
    """The outbound row behind each of these timeline messages, for showing delivery state."""
    found = await store.list_for_messages(conn, message_ids)
    return {o.message_id: o for o in found if o.message_id is not None}


async def list_outbound(
    pool: Pool,
    *,
    statuses: list[OutboundStatus],
    channel: OutboundChannel | None = None,
    limit: int = 50,
) -> tuple[list[OutboundMessage], dict[str, int]]:
    """Outbound messages newest first (all, or those in `statuses`), and how many there are
    in each status: what operators look at when answers seem not to go out."""
    async with pool.acquire() as conn:
        found = await store.list_outbound(
            conn,
            statuses=[str(s) for s in statuses],
            channel=str(channel) if channel else None,
            limit=limit,
        )
        return found, await store.count_by_status(conn)


async def list_for_customer(conn: Conn, customer_id: UUID) -> list[OutboundMessage]:
    """The messages that name this customer rather than a ticket (greetings, broadcasts, visit
    reminders), oldest first: a ticket's messages come with its ticket."""
    return await store.list_for_customer(conn, customer_id)


async def erase_for_customer(conn: Conn, customer_id: UUID, *, now: datetime) -> int:
    """Blank the address, subject and body of the messages naming this customer, and the
    provider payloads about them; the rows stay for the figures. Returns how many."""
    return await store.erase_for_customer(conn, customer_id, now)
