"""Queues, agents and their presence, work items, offers and assignment."""

# Values and the priority rule first: tickets imports routing and routing imports tickets,
# and tickets needs only these names while routing is still loading.
from contact_center.routing.model import (
    Agent,
    Assignment,
    ItemKind,
    ItemRequest,
    ItemState,
    Offer,
    OfferOutcome,
    Presence,
    Priority,
    Queue,
    RoutingOptions,
    Strategy,
    WorkItem,
    Workload,
)
from contact_center.routing.priority import preferred_agents, priority_for, raised_priority

from contact_center.routing.queues import (  # isort: skip
    create_queue,
    get_queue,
    list_queues,
    queue_exists,
    queue_for_kind,
    read_queue,
    update_queue,
)
from contact_center.routing.items import (  # isort: skip
    assignee_of,
    cancel_item,
    enqueue_item,
    finish_item,
    requeue_call,
    requeue_item,
)
from contact_center.routing.dispatch import dispatch, expire_offers  # isort: skip
from contact_center.routing.requeue import requeue_waiting_tickets  # isort: skip
from contact_center.routing.agents import (  # isort: skip
    OfferView,
    current_offer,
    get_agent,
    set_presence,
    update_agent,
)
from contact_center.routing.handover import on_callback_assigned  # isort: skip
from contact_center.routing.offers import accept_offer, assign_item, reject_offer  # isort: skip
from contact_center.routing.board import board, queue_position  # isort: skip
from contact_center.routing.runner import options_from  # isort: skip

__all__ = [
    "Agent",
    "Assignment",
    "ItemKind",
    "ItemRequest",
    "ItemState",
    "Offer",
    "OfferOutcome",
    "OfferView",
    "Presence",
    "Priority",
    "Queue",
    "RoutingOptions",
    "Strategy",
    "WorkItem",
    "Workload",
    "accept_offer",
    "assign_item",
    "assignee_of",
    "board",
    "cancel_item",
    "create_queue",
    "current_offer",
    "dispatch",
    "enqueue_item",
    "expire_offers",
    "finish_item",
    "get_agent",
    "get_queue",
    "list_queues",
    "on_callback_assigned",
    "options_from",
    "preferred_agents",
    "priority_for",
    "queue_exists",
    "queue_for_kind",
    "queue_position",
    "raised_priority",
    "read_queue",
    "reject_offer",
    "requeue_call",
    "requeue_item",
    "requeue_waiting_tickets",
    "set_presence",
    "update_agent",
    "update_queue",
]
