"""Routing values: queues, agents and their presence, work items and offers.

Enum values are spelled exactly as the SQL CHECK constraints (migrations 0026 and 0028).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any
from uuid import UUID


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
