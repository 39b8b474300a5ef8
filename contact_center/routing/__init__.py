"""Queues, agents and their presence, work items, offers and assignment."""

from contact_center.routing.model import (
    ItemKind,
    ItemRequest,
    ItemState,
    OfferOutcome,
    Presence,
    Priority,
    Queue,
    Strategy,
    Workload,
)
from contact_center.routing.priority import priority_for
from contact_center.routing.service import queue_exists, queue_for_kind

__all__ = [
    "ItemKind",
    "ItemRequest",
    "ItemState",
    "OfferOutcome",
    "Presence",
    "Priority",
    "Queue",
    "Strategy",
    "Workload",
    "priority_for",
    "queue_exists",
    "queue_for_kind",
]
