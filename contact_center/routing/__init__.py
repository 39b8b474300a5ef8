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
from contact_center.routing.queues import (
    create_queue,
    get_queue,
    list_queues,
    read_queue,
    update_queue,
)
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
    "create_queue",
    "get_queue",
    "list_queues",
    "priority_for",
    "queue_exists",
    "queue_for_kind",
    "read_queue",
    "update_queue",
]
