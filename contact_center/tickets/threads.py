"""Threading: which of a customer's tickets a new inbound contact belongs on. Pure."""

from __future__ import annotations

from datetime import datetime, timedelta

from contact_center.tickets.model import (
    ACTIVE_STATUSES,
    Channel,
    InboundContact,
    Status,
    TicketCandidate,
)


def choose_ticket(
    contact: InboundContact, candidates: list[TicketCandidate], *, now: datetime, window: timedelta
) -> TicketCandidate | None:
    """The ticket to append to, or None to open a new one: the most recent still-active
    ticket on the same channel that saw a message within `window`."""
    recent = [
        t
        for t in candidates
        if t.channel == contact.channel
        and t.status in ACTIVE_STATUSES
        and now - t.last_message_at <= window
    ]
    return max(recent, key=lambda t: t.last_message_at, default=None)


def follow_reference(
    referenced: TicketCandidate, *, now: datetime, reopen_window: timedelta
) -> TicketCandidate | None:
    """A contact that names a ticket (reply address, Message-ID, "[#1234]") goes onto it, even
    a resolved or closed one, which re-opens. A ticket closed longer ago than `reopen_window`
    stays closed: None means open a new ticket linked to it."""
    if referenced.status is Status.CLOSED and referenced.closed_at is not None:
        if now - referenced.closed_at > reopen_window:
            return None
    return referenced


def status_after_inbound(current: Status) -> Status:
    """A customer writing again makes a waiting or finished ticket open again."""
    return Status.NEW if current is Status.NEW else Status.OPEN


def subject_for(contact: InboundContact, limit: int = 80) -> str:
    if contact.subject.strip():
        return contact.subject.strip()[:limit]
    first_line = next((line.strip() for line in contact.text.splitlines() if line.strip()), "")
    if first_line:
        return first_line if len(first_line) <= limit else first_line[: limit - 1] + "…"
    label = {Channel.VOICE: "Call", Channel.SMS: "SMS", Channel.EMAIL: "Email"}.get(
        contact.channel, "Contact"
    )
    return f"{label} from {contact.display_name or contact.from_address}"
