"""Routing values: queues, agents and their presence, work items and offers.

Enum values are spelled exactly as the SQL CHECK constraints (migrations 0026 and 0028).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo


class Priority(StrEnum):
    """A ticket's or work item's priority (tickets.priority); `routing.priority_for` decides it."""

    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


class Strategy(StrEnum):
    """How a queue chooses among agents who may take an item equally well."""

    LONGEST_IDLE = "longest_idle"
    ROUND_ROBIN = "round_robin"
    FEWEST_TODAY = "fewest_today"


class Presence(StrEnum):
    AVAILABLE = "available"
    BUSY = "busy"
    AWAY = "away"
    OFFLINE = "offline"


class ItemKind(StrEnum):
    """What an agent is offered: a live call, a messaging ticket, or a callback task."""

    CALL = "call"
    TICKET = "ticket"
    CALLBACK = "callback"


class Workload(StrEnum):
    """The capacity an item takes: calls and callbacks use the voice line, tickets messaging."""

    VOICE = "voice"
    MESSAGING = "messaging"


class ItemState(StrEnum):
    WAITING = "waiting"
    OFFERED = "offered"
    ASSIGNED = "assigned"
    DONE = "done"
    CANCELLED = "cancelled"  # the caller hung up, the ticket was closed or assigned by hand


class OfferOutcome(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"  # the item went away (hang-up, reassigned) while it was offered


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Queue:
    name: str
    label: str
    kinds: list[str]
    is_default: bool
    skills: list[str]
    hours: dict[str, list[list[str]]]  # weekday → [["08:00", "18:00"], ...] in the site zone
    strategy: Strategy
    wait_limit_seconds: int
    service_level_seconds: int
    step_seconds: int
    overflow_queue: str | None


@dataclass(frozen=True)
class ItemRequest:
    """What a domain hands routing to find an agent for (`routing.enqueue_item`)."""

    kind: ItemKind
    queue: str
    priority: Priority
    ticket_id: UUID | None = None
    call_id: UUID | None = None
    callback_id: UUID | None = None
    customer_id: UUID | None = None
    key_account: bool = False
    complaint: bool = False
    # Tried first while available: the account manager, then the customer's last agent.
    preferred_agent_ids: tuple[UUID, ...] = ()
    summary: dict[str, Any] = field(default_factory=dict)  # shown on the offer card
    # When the work began waiting, if earlier than now (a caller's place kept after a hang-up).
    waiting_since: datetime | None = None


def workload_of(kind: ItemKind) -> Workload:
    """Calls and callbacks take the agent's voice line; tickets a messaging slot."""
    return Workload.MESSAGING if kind is ItemKind.TICKET else Workload.VOICE


@dataclass(frozen=True)
class Agent:
    """An agent as routing sees them (one row per user in `agents`)."""

    user_id: UUID
    name: str
    presence: Presence
    reason: str
    since: datetime
    skills: tuple[str, ...]
    queues: tuple[str, ...]  # the queues this user works (users.queues); empty = all
    voice_capacity: int
    messaging_capacity: int
    voice_load: int
    messaging_load: int
    idle_since: datetime
    last_offered_at: datetime | None = None
    handled_today: int = 0
    missed_offers: int = 0
    phone: str = ""
    client_identity: str = ""

    def free(self, workload: Workload) -> int:
        if workload is Workload.VOICE:
            return self.voice_capacity - self.voice_load
        # On the phone (a call, or a callback being made): no new messaging work meanwhile, so
        # that no offer card covers the caller's card; what the agent holds stays theirs.
        if self.voice_load > 0:
            return 0
        return self.messaging_capacity - self.messaging_load

    def works(self, queue: str) -> bool:
        return not self.queues or queue in self.queues

    def state(self) -> dict[str, Any]:
        """The agent as the API and live events show them."""
        return {
            "user_id": self.user_id,
            "name": self.name,
            "presence": self.presence,
            "reason": self.reason,
            "since": self.since,
            "skills": list(self.skills),
            "capacity": {"voice": self.voice_capacity, "messaging": self.messaging_capacity},
            "load": {"voice": self.voice_load, "messaging": self.messaging_load},
        }


@dataclass(frozen=True)
class WorkItem:
    id: UUID
    kind: ItemKind
    channel: str
    queue: str
    priority: Priority
    enqueued_at: datetime
    state: ItemState
    ticket_id: UUID | None = None
    call_id: UUID | None = None
    callback_id: UUID | None = None
    customer_id: UUID | None = None
    key_account: bool = False
    complaint: bool = False
    preferred_agent_ids: tuple[UUID, ...] = ()
    skills: tuple[str, ...] = ()
    widened: int = 0
    assigned_to: UUID | None = None
    summary: dict[str, Any] = field(default_factory=dict)
    # Agents who already let this item go (rejected, expired): tried after everyone else.
    declined_by: frozenset[UUID] = frozenset()

    @property
    def workload(self) -> Workload:
        return workload_of(self.kind)


@dataclass(frozen=True)
class Offer:
    id: UUID
    item_id: UUID
    user_id: UUID
    workload: Workload
    reason: str
    offered_at: datetime
    expires_at: datetime
    outcome: OfferOutcome


@dataclass(frozen=True)
class Assignment:
    """What accepting an offer (or a supervisor's assignment) gave the agent."""

    item_id: UUID
    kind: ItemKind
    ticket_id: UUID | None
    call_id: UUID | None
    callback_id: UUID | None
    customer_id: UUID | None
    user_id: UUID


@dataclass(frozen=True)
class RoutingOptions:
    """Offer timeouts and the away rule (ROUTING_* settings), and the site's time zone, whose
    calendar day `handled_today` counts in."""

    voice_offer_seconds: int = 20
    messaging_offer_seconds: int = 120
    missed_offers_away: int = 3  # this many offers let expire in a row set the agent away
    batch: int = 200  # items one dispatch round considers
    site_timezone: str = "UTC"

    def today(self, now: datetime) -> date:
        """The site's date at `now` (the agents' working day, not UTC's)."""
        return now.astimezone(ZoneInfo(self.site_timezone)).date()

    def offer_timeout(self, workload: Workload) -> timedelta:
        seconds = (
            self.voice_offer_seconds
            if workload is Workload.VOICE
            else (self.messaging_offer_seconds)
        )
        return timedelta(seconds=seconds)


DEFAULT_OPTIONS = RoutingOptions()
