"""Call and callback values, and what a call hears and does next (rendered as TwiML by channels).

Enum values are spelled exactly as the SQL CHECK constraints (migration 0029).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any
from uuid import UUID


class Direction(StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"


class CallState(StrEnum):
    IVR = "ivr"  # hearing the greeting and menu
    WAITING = "waiting"  # in a queue
    CONNECTING = "connecting"  # an agent accepted; the call is being bridged
    CONNECTED = "connected"
    VOICEMAIL = "voicemail"  # asked to leave a message
    DIALING = "dialing"  # an outbound callback, ringing the customer
    ENDED = "ended"


class Outcome(StrEnum):
    ANSWERED = "answered"
    ABANDONED = "abandoned"
    VOICEMAIL = "voicemail"
    MISSED = "missed"


class Choice(StrEnum):
    """What the caller chose in the menu (the steps of `calls.ivr_path`)."""

    COMPLAINT = "complaint"
    ORDERS = "orders"
    OTHER = "other"
    OPERATOR = "operator"
    DEFAULT = "default"  # no valid choice after the repeat
    PLACE_BACK = "place_back"  # called back soon after hanging up while waiting


class CallbackReason(StrEnum):
    ABANDONED = "abandoned"
    VOICEMAIL = "voicemail"
    MANUAL = "manual"
    COMPLAINT = "complaint"  # a key account's complaint: called within 24 hours
    COMPLAINT_CONFIRMATION = "complaint_confirmation"  # a resolved complaint: is it fixed?


class CallbackState(StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


class CallbackOutcome(StrEnum):
    REACHED = "reached"
    NO_ANSWER = "no_answer"
    VOICEMAIL_LEFT = "voicemail_left"
    WRONG_NUMBER = "wrong_number"
    NOT_NEEDED = "not_needed"


@dataclass(frozen=True)
class Call:
    id: UUID
    call_sid: str
    ticket_id: UUID
    message_id: UUID | None
    customer_id: UUID
    from_number: str
    to_number: str
    direction: Direction
    language: str
    ivr_path: list[str]
    menu_attempts: int
    queue: str | None
    priority: str
    key_account: bool
    state: CallState
    outcome: Outcome | None
    started_at: datetime
    enqueued_at: datetime | None
    answered_at: datetime | None
    ended_at: datetime | None
    wait_seconds: int | None
    talk_seconds: int | None
    agent_id: UUID | None
    recording_url: str | None
    recording_sid: str | None
    recording_seconds: int | None
    transcription: str | None
    callback_id: UUID | None
    updated_at: datetime


@dataclass(frozen=True)
class CallbackTask:
    id: UUID
    ticket_id: UUID
    customer_id: UUID
    call_id: UUID | None
    phone: str
    reason: CallbackReason
    due_at: datetime
    state: CallbackState
    outcome: CallbackOutcome | None
    note: str
    assignee_id: UUID | None
    created_by: UUID | None
    created_at: datetime
    done_at: datetime | None
    updated_at: datetime
    customer_name: str = ""
    ticket_number: int = 0


# What the caller hears and what happens next: one of these after the spoken sentences.
@dataclass(frozen=True)
class Menu:
    """Ask for a digit (or a word); `attempt` counts from 1."""

    call_id: UUID
    prompt: str
    attempt: int


@dataclass(frozen=True)
class Wait:
    """Put the call in the provider's queue for routing queue `queue`."""

    call_id: UUID
    queue: str


@dataclass(frozen=True)
class Voicemail:
    call_id: UUID
    max_seconds: int = 120


@dataclass(frozen=True)
class Hold:
    """While waiting: after the announcement, the hold audio (then the provider asks again)."""

    audio_url: str


@dataclass(frozen=True)
class LeaveQueue:
    """Out of the queue (to voicemail): the provider then reports `leave` for the call."""


@dataclass(frozen=True)
class Connect:
    """Bridge the call to an agent: their browser client identity or their phone. `call_id`
    names the inbound call whose dial result comes back (None for an outbound callback)."""

    call_id: UUID | None
    client_identity: str = ""
    phone: str = ""
    caller_id: str = ""
    timeout_seconds: int = 20


@dataclass(frozen=True)
class HangUp:
    pass


NextStep = Menu | Wait | Voicemail | Hold | LeaveQueue | Connect | HangUp


@dataclass(frozen=True)
class VoiceAnswer:
    """What a call hears (`say`, in `language`) and then does (`next`)."""

    next: NextStep
    say: tuple[str, ...] = ()
    language: str = "en"


@dataclass(frozen=True)
class VoiceOptions:
    """Site settings the voice use cases need; built from Settings by the caller."""

    site_timezone: str = "UTC"
    texts: dict[str, dict[str, str]] = field(default_factory=dict)  # VOICE_TEXTS overrides
    hold_audio_url: str = ""
    place_back_window: timedelta = timedelta(minutes=5)
    # An abandoned call or voicemail of others than key accounts is due back within this.
    callback_hours: int = 4
    key_account_callback_hours: int = 24
    voicemail_seconds: int = 120
    from_number: str = ""  # the service's number, for outbound callbacks
    calls_per_second: int = 1


@dataclass(frozen=True)
class StatusReport:
    """A call status callback, as the channel parsed it."""

    call_sid: str
    status: str
    duration_seconds: int | None = None
    payload: dict[str, Any] = field(default_factory=dict)
