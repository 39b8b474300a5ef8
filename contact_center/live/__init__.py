"""The one event bus: `publish` writes an event row and notifies its id inside the changing
transaction; each web process's listener reads the rows in order and fans them out (hub)."""

from contact_center.live.bus import CHANNEL, publish, publish_many
from contact_center.live.hub import Dropped, Hub, Subscription
from contact_center.live.listener import Listener
from contact_center.live.model import Event, LiveEvent
from contact_center.live.service import Missed, prune_events, read_missed
from contact_center.live.visibility import may_see

__all__ = [
    "CHANNEL",
    "Dropped",
    "Event",
    "Hub",
    "Listener",
    "LiveEvent",
    "Missed",
    "Subscription",
    "may_see",
    "prune_events",
    "publish",
    "publish_many",
    "read_missed",
]
