"""Event names: past-tense `noun.verb`, one list for the whole product; and the event value."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID


class Event(StrEnum):
    CUSTOMER_CREATED = "customer.created"
    CUSTOMER_UPDATED = "customer.updated"
    CUSTOMER_MERGED = "customer.merged"
    TICKET_OPENED = "ticket.opened"
    TICKET_UPDATED = "ticket.updated"
    TICKET_ASSIGNED = "ticket.assigned"
    TICKET_ACTIVITY = "ticket.activity"  # who is viewing or typing on a ticket (collisions)
    MESSAGE_RECEIVED = "message.received"
    NOTE_ADDED = "note.added"
    REPLY_QUEUED = "reply.queued"
    DELIVERY_UPDATED = "delivery.updated"
    USER_UPDATED = "user.updated"  # a user's role, name or tokens changed: that user and admins


@dataclass(frozen=True)
class LiveEvent:
    """One row of the event log, as the listener hands it to the hub."""

    id: int
    name: str  # an Event value; kept as text so a newer process's event still passes through
    at: datetime
    payload: dict[str, Any] = field(default_factory=dict)
    ticket_id: UUID | None = None
    customer_id: UUID | None = None

    def data(self) -> dict[str, Any]:
        """The JSON object a browser receives: id, event name, time and the payload."""
        return {"id": self.id, "event": self.name, "at": self.at.isoformat(), **self.payload}
