"""Delivery decisions: status order, retry timing, and what a failure means per channel. Pure."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from contact_center.outbox.model import OutboundChannel, OutboundStatus

MAX_ATTEMPTS = 5
BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_CAP = timedelta(hours=1)
SENDING_LEASE = timedelta(minutes=2)
# With no provider for its channel a message waits, looked at again this often.
PROVIDER_RECHECK = timedelta(minutes=5)
NO_PROVIDER = "no_provider"  # the error code of a message waiting for a provider

# Later statuses never move back: a late "sent" callback after "delivered" changes nothing.
RANK = {
    OutboundStatus.PENDING: 0,
    OutboundStatus.SENDING: 1,
    OutboundStatus.NEEDS_REVIEW: 2,
    OutboundStatus.SENT: 3,
    OutboundStatus.DELIVERED: 4,
    OutboundStatus.UNDELIVERED: 4,
    OutboundStatus.FAILED: 4,
    OutboundStatus.DEAD: 4,
    OutboundStatus.CANCELLED: 5,  # never left: no provider can report on it
}
# Twilio's MessageStatus words, mapped onto ours.
TWILIO_STATUS = {
    "accepted": OutboundStatus.SENT,
    "scheduled": OutboundStatus.SENT,
    "queued": OutboundStatus.SENT,
    "sending": OutboundStatus.SENT,
    "sent": OutboundStatus.SENT,
    "delivered": OutboundStatus.DELIVERED,
    "read": OutboundStatus.DELIVERED,
    "undelivered": OutboundStatus.UNDELIVERED,
    "failed": OutboundStatus.FAILED,
    "canceled": OutboundStatus.FAILED,
}


def next_status(current: OutboundStatus, reported: OutboundStatus) -> OutboundStatus:
    """Apply a reported status only when it moves the message forward."""
    return reported if RANK[reported] > RANK[current] else current


def backoff(attempt: int, *, jitter: float | None = None) -> timedelta:
    """min(base·2^(attempt-1), cap) plus up to 20% jitter, so retries do not arrive in waves."""
    delay: timedelta = min(BACKOFF_BASE * 2 ** max(attempt - 1, 0), BACKOFF_CAP)
    share = random.random() if jitter is None else jitter
    return delay + delay * (0.2 * share)


def after_transient(attempts: int, now: datetime) -> tuple[OutboundStatus, datetime]:
    """A try that surely did not send: wait and try again, or give up after the last attempt."""
    if attempts >= MAX_ATTEMPTS:
        return OutboundStatus.DEAD, now
    return OutboundStatus.PENDING, now + backoff(attempts)


def after_ambiguous(
    channel: OutboundChannel, attempts: int, now: datetime
) -> tuple[OutboundStatus, datetime]:
    """A try that may have sent. Email may go again: the same Message-ID makes a duplicate
    thread as one. An SMS may not: Twilio has no idempotency key, so a person decides."""
    if channel is OutboundChannel.SMS:
        return OutboundStatus.NEEDS_REVIEW, now
    return after_transient(attempts, now)


def after_unexpected(
    channel: OutboundChannel, attempts: int, now: datetime
) -> tuple[OutboundStatus, datetime]:
    """A sender failed in a way nobody foresaw (a bug, a garbled answer). As with no answer,
    we cannot tell whether the provider took it: email is retried with back-off under its
    Message-ID (at-least-once), an SMS goes to a person (at-most-once)."""
    return after_ambiguous(channel, attempts, now)
