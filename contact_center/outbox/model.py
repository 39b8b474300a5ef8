"""Outbound message values, their statuses and the provider's answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from contact_center.errors import Conflict


class OutboundChannel(StrEnum):
    SMS = "sms"
    EMAIL = "email"


class OutboundPurpose(StrEnum):
    """What an outbound message is: a ticket's message (on its timeline), or one that belongs
    to no ticket and names its customer instead."""

    TICKET = "ticket"
    VISIT_REMINDER = "visit_reminder"
    GREETING = "greeting"
    BROADCAST = "broadcast"


class OutboundStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    DELIVERED = "delivered"
    UNDELIVERED = "undelivered"
    FAILED = "failed"
    NEEDS_REVIEW = "needs_review"
    DEAD = "dead"
    CANCELLED = "cancelled"  # taken back by the agent during its undo window; never sent


@dataclass(frozen=True)
class OutboundMessage:
    id: UUID
    ticket_id: UUID | None  # None: not a ticket's message (see `purpose`)
    message_id: UUID | None
    channel: OutboundChannel
    to_address: str
    from_address: str
    subject: str
    body_text: str
    headers: dict[str, Any]
    automatic: bool
    status: OutboundStatus
    provider_id: str | None
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    error_code: str | None
    created_at: datetime
    sent_at: datetime | None
    rate_slot_at: datetime | None = None  # a send time this message already holds
    customer_id: UUID | None = None
    purpose: OutboundPurpose = OutboundPurpose.TICKET


@dataclass(frozen=True)
class DeliveryState:
    """How an outbound message is doing, as agents and the API see it."""

    status: OutboundStatus
    attempts: int
    last_error: str | None
    error_code: str | None
    next_attempt_at: datetime | None  # only while it is pending
    sent_at: datetime | None
    provider_id: str | None

    @classmethod
    def queued(cls, now: datetime) -> DeliveryState:
        """A row just written: nothing tried yet, due at once."""
        return cls(OutboundStatus.PENDING, 0, None, None, now, None, None)

    @classmethod
    def of(cls, message: OutboundMessage) -> DeliveryState:
        waiting = message.status is OutboundStatus.PENDING
        return cls(
            status=message.status,
            attempts=message.attempts,
            last_error=message.last_error,
            error_code=message.error_code,
            next_attempt_at=message.next_attempt_at if waiting else None,
            sent_at=message.sent_at,
            provider_id=message.provider_id,
        )


@dataclass(frozen=True)
class NewOutbound:
    """What a use case asks to send. The outbox decides the rest: whether it may go at all
    (channel, SMS opt-out), which of our numbers or addresses it comes from, ids and timing.

    `message_id` is the timeline message this row delivers; the caller writes that message in
    the same transaction, after enqueueing (the reference is checked at commit).

    A message that belongs to no ticket (a visit reminder, a greeting, a broadcast) has no
    `ticket_id` or `message_id`; it names its `customer_id` and its `purpose` instead."""

    ticket_id: UUID | None
    message_id: UUID | None
    channel: str  # the ticket channel it answers on; only sms and email can be sent
    to_address: str
    body_text: str
    reply_from: str = ""  # the address the customer wrote to: we answer from it when we can
    subject: str = ""
    headers: dict[str, Any] = field(default_factory=dict)
    automatic: bool = False
    required_by_carrier: bool = False  # the answer to HELP: due even to an opted-out number
    # Not sent before this time (an agent's undo window); it may be cancelled until it leaves.
    hold_until: datetime | None = None
    customer_id: UUID | None = None
    purpose: OutboundPurpose = OutboundPurpose.TICKET


@dataclass(frozen=True)
class Origin:
    """Our own sender number and address, from the site's settings."""

    sms_from: str = ""
    email_from: str = "support@example.com"


@dataclass(frozen=True)
class Queued:
    outbound_id: UUID
    channel: OutboundChannel
    from_address: str


class OutboundRefused(Conflict):
    """The outbox will not send this at all (opted out, no sender, not a sendable channel).
    Raised before anything is written; `reason` is a short code for callers and logs."""

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message, field="channel")
        self.reason = reason


@dataclass(frozen=True)
class ProviderReceipt:
    """The provider accepted the message: its id (Twilio SID or our Message-ID)."""

    provider_id: str


@dataclass(frozen=True)
class DeliveryStatusUpdate:
    """A provider's later word on a message (Twilio status callback)."""

    outbound_id: UUID
    provider_id: str
    reported: str  # the provider's own status word
    error_code: str | None = None
    payload: dict[str, Any] = field(default_factory=dict)


class SendError(Exception):
    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code


class TransientSendError(SendError):
    """Not sent, and trying again later may work (rate limit, provider 5xx before acceptance)."""


class AmbiguousSendError(SendError):
    """The request left, but we cannot tell whether the provider accepted it (timeout)."""


class PermanentSendError(SendError):
    """Not sent, and never will be as it stands (invalid number, refused address)."""
