"""The one event bus: publish inside the transaction; PostgreSQL delivers on commit."""

from contact_center.live.bus import CHANNEL, encode, publish
from contact_center.live.model import Event

__all__ = ["CHANNEL", "Event", "encode", "publish"]
