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
    QUEUE_UPDATED = "queue.updated"  # a queue's settings changed
    AGENT_UPDATED = "agent.updated"  # presence, skills, capacity or load of an agent changed
    ITEM_QUEUED = "item.queued"  # a work item (call, ticket, callback) waits for an agent
    ITEM_ASSIGNED = "item.assigned"
    ITEM_ENDED = "item.ended"  # done or cancelled (e.g. the caller hung up while waiting)
    OFFER_MADE = "offer.made"
    OFFER_ACCEPTED = "offer.accepted"
    OFFER_REJECTED = "offer.rejected"
    OFFER_EXPIRED = "offer.expired"
    OFFER_WITHDRAWN = "offer.withdrawn"
    CALL_UPDATED = "call.updated"  # a call's state, queue, agent or recording changed
    CALLBACK_CREATED = "callback.created"
    CALLBACK_UPDATED = "callback.updated"
    CASE_UPDATED = "case.updated"  # a complaint case started, moved a step, withdrawn, edited
    CLOCK_UPDATED = "clock.updated"  # a ticket's clock started, paused, resumed, met, cancelled
    DEADLINE_WARNED = "deadline.warned"  # a clock passed its warning share: its owner is told
    DEADLINE_BREACHED = "deadline.breached"  # a clock passed its due time: escalated
    SETTINGS_UPDATED = "settings.updated"  # a site setting (calendar, targets, ...) changed
    WORKFLOW_UPDATED = "workflow.updated"  # a new version of a workflow definition was stored
    SURVEY_ANSWERED = "survey.answered"  # a customer's satisfaction score arrived
    ACCOUNT_AT_RISK = "account.at_risk"  # a new complaint put an account at risk (once)
    ACCOUNT_TASK = "account.task"  # an account task opened or closed
    TIER_CHANGED = "account.tier_changed"  # an account moved tier (a run or an override)
    VISIT_UPDATED = "visit.updated"  # a visit was planned, moved, recorded or dropped
    BROADCAST_UPDATED = "broadcast.updated"  # a broadcast started, progressed or finished


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
