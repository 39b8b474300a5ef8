"""What the console calls a ticket's status, priority, kind and channel: one table each, keyed
by the stored value, translated where shown (pages with `_()`, scripts through their data)."""

from collections.abc import Mapping
from typing import Any

from contact_center.i18n import N_
from contact_center.i18n import gettext as _
from contact_center.tickets import Channel, Kind, Priority, Status

STATUS_LABELS = {
    Status.NEW: N_("New"),
    Status.OPEN: N_("Open"),
    Status.PENDING: N_("Pending"),
    Status.RESOLVED: N_("Resolved"),
    Status.CLOSED: N_("Closed"),
}
PRIORITY_LABELS = {
    Priority.URGENT: N_("Urgent"),
    Priority.HIGH: N_("High"),
    Priority.NORMAL: N_("Normal"),
    Priority.LOW: N_("Low"),
}
KIND_LABELS = {
    Kind.INQUIRY: N_("Inquiry"),
    Kind.COMPLAINT: N_("Complaint"),
    Kind.ORDER: N_("Order"),
    Kind.OTHER: N_("Other"),
}
# Also a customer's preferred channel (voice, sms, email).
CHANNEL_LABELS = {
    Channel.SMS: N_("SMS"),
    Channel.EMAIL: N_("Email"),
    Channel.VOICE: N_("Phone call"),
    Channel.WEB: N_("Walk-in or web"),
}


def translated(table: Mapping[Any, str]) -> dict[str, str]:
    """A label table in the current language, keyed by the stored value: how pages hand their
    labels to their scripts."""
    return {str(value): _(label) for value, label in table.items()}


def ticket_labels() -> dict[str, dict[str, str]]:
    """The ticket field labels a page's script shows, translated."""
    return {
        "status": translated(STATUS_LABELS),
        "priority": translated(PRIORITY_LABELS),
        "kind": translated(KIND_LABELS),
        "channel": translated(CHANNEL_LABELS),
    }
