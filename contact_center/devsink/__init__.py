"""The development sink: where demo mode "sends" SMS and mail when no provider is configured."""

from contact_center.devsink.model import SinkEntry
from contact_center.devsink.service import DevSinkSender, count_sent, keep, list_sent

__all__ = ["DevSinkSender", "SinkEntry", "count_sent", "keep", "list_sent"]
