"""Customer care messages: birthday and holiday greetings, and broadcasts to a segment."""

from contact_center.care.broadcasts import (
    BROADCAST_TASK,
    cancel_broadcast,
    get_broadcast,
    list_broadcasts,
    preview,
    segment_choices,
    send_batch,
    start_broadcast,
)
from contact_center.care.greetings import send_greetings
from contact_center.care.model import Broadcast, BroadcastState, Preview, Segment, Skip
from contact_center.care.preferences import care_opt_out, customer_care, set_care_opt_out

__all__ = [
    "BROADCAST_TASK",
    "Broadcast",
    "BroadcastState",
    "Preview",
    "Segment",
    "Skip",
    "cancel_broadcast",
    "care_opt_out",
    "customer_care",
    "get_broadcast",
    "list_broadcasts",
    "preview",
    "segment_choices",
    "send_batch",
    "send_greetings",
    "set_care_opt_out",
    "start_broadcast",
]
