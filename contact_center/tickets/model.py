"""Ticket, message and inbound-contact values."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any
from uuid import UUID

from contact_center.outbox.model import DeliveryState
from contact_center.routing.model import Priority as Priority


class Channel(StrEnum):
    VOICE = "voice"
    SMS = "sms"
    EMAIL = "email"
    WEB = "web"
    NOTE = "note"


class Kind(StrEnum):
    INQUIRY = "inquiry"
    COMPLAINT = "complaint"
    ORDER = "order"
    OTHER = "other"


class Status(StrEnum):
    NEW = "new"
    OPEN = "open"
    PENDING = "pending"
    RESOLVED = "resolved"
    CLOSED = "closed"


class Direction(StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"
    INTERNAL = "internal"


ACTIVE_STATUSES = (Status.NEW, Status.OPEN, Status.PENDING)


@dataclass(frozen=True)
class InboundFile:
    """A file that came with a contact (an email attachment or inline image)."""

    filename: str
    content_type: str
    content: bytes
    content_id: str | None = None
    inline: bool = False


@dataclass(frozen=True)
class InboundContact:
    """One inbound SMS, call or email, as a channel adapter hands it to intake.

    `provider_id` is the provider's own id (MessageSid, CallSid, Message-ID): a second
    contact with the same channel and provider id is a replay and changes nothing.
    """

    channel: Channel
    provider_id: str
    from_address: str
    to_address: str = ""
    text: str = ""
    html: str = ""
    subject: str = ""
    display_name: str = ""
    attachments: list[dict[str, Any]] = field(default_factory=list)
    payload: dict[str, Any] = field(default_factory=dict)
    ticket_hint: int | None = None  # a ticket number the contact refers to (e.g. "[#1234]")
    raw: bytes | None = None  # the transport's bytes as received (a whole email), kept verbatim
    rfc_message_id: str = ""  # an email's own Message-ID
    thread_refs: list[str] = field(default_factory=list)  # In-Reply-To and References
    reply_tokens: list[str] = field(default_factory=list)  # from reply+TOKEN@ addresses
    automated: str | None = None  # why this is machine-sent mail (never acknowledged), or None
    quoted: str = ""  # the quoted earlier conversation and signature cut from `text`
    bounce_recipients: list[str] = field(default_factory=list)  # addresses a bounce reports
    files: list[InboundFile] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # shown to agents beside the message


@dataclass(frozen=True)
class IntakeOptions:
    """Site settings intake needs; built from Settings by the caller."""

    region: str = "US"
    thread_window: timedelta = timedelta(days=7)
    reopen_window: timedelta = timedelta(days=30)
    acknowledge: bool = False
    sms_from: str = ""  # From for SMS acknowledgements when the contact names no To number
    email_from: str = "support@example.com"
    mail_domain: str = "example.com"
    ack_templates: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class IntakeResult:
    ticket_id: UUID
    ticket_number: int
    message_id: UUID
    customer_id: UUID
    opened_ticket: bool
    created_customer: bool
    replay: bool
    acknowledged: bool = False
    # What the channel must answer (a call's next step, `calls.VoiceAnswer`), from the
    # responder the channel handed intake; None without one.
    answer: Any = None


@dataclass(frozen=True)
class Placed:
    """Where intake put a contact, for the channel's responder, which runs inside intake's
    transaction (also on a replay, so a retried webhook gets the same kind of answer)."""

    contact: InboundContact
    ticket_id: UUID
    ticket_number: int
    message_id: UUID
    customer_id: UUID
    opened_ticket: bool
    replay: bool


@dataclass(frozen=True)
class TicketCandidate:
    """What threading needs to know about one of the customer's recent tickets."""

    id: UUID
    number: int
    channel: Channel
    status: Status
    last_message_at: datetime
    closed_at: datetime | None = None
    subject_key: str = ""  # threads.subject_key of the mail that opened an email ticket


@dataclass(frozen=True)
class Ticket:
    id: UUID
    number: int
    subject: str
    kind: Kind
    status: Status
    priority: Priority
    queue: str
    assignee_id: UUID | None
    customer_id: UUID
    organization_id: UUID | None
    channel: Channel
    created_at: datetime
    updated_at: datetime
    last_message_at: datetime
    first_response_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    reply_token: str
    linked_ticket_id: UUID | None
    tags: list[str] = field(default_factory=list)
    due_at: datetime | None = None  # when the first response is due (see overdue.py)

    def editable(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in UPDATABLE_FIELDS}


UPDATABLE_FIELDS = ("subject", "kind", "status", "priority", "queue", "assignee_id", "tags")


@dataclass(frozen=True)
class Message:
    id: UUID
    ticket_id: UUID
    direction: Direction
    channel: Channel
    provider_id: str | None
    from_address: str
    to_address: str
    subject: str
    body_text: str
    body_html: str
    attachments: list[dict[str, Any]]
    delivery_status: str | None
    author_id: UUID | None
    created_at: datetime
    rfc_message_id: str | None
    quoted_text: str = ""
    warnings: list[str] = field(default_factory=list)
    delivery: DeliveryState | None = None  # outbound only: status, attempts, last error, next try
    seq: int = 0  # the order messages were recorded in (ties of created_at)
    draft_key: str | None = None  # an agent reply: the draft it was sent from


@dataclass(frozen=True)
class TicketFilter:
    status: list[Status] = field(default_factory=list)
    kind: list[Kind] = field(default_factory=list)
    channel: list[Channel] = field(default_factory=list)
    queue: str | None = None
    assignee_id: UUID | None = None
    unassigned: bool = False
    customer_id: UUID | None = None
    q: str | None = None
