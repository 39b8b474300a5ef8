"""The ticket timeline as agents read it: messages, notes and the audit trail's system events
in one order. Pure: values in, values out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from contact_center.audit.model import AuditEntry
from contact_center.tickets.model import Direction, Message

# Audit actions that are already on the timeline as the message they wrote.
SHOWN_AS_MESSAGES = frozenset({"reply_queued", "note_added"})
# Fields whose values are user ids, shown with the user's name.
USER_FIELDS = frozenset({"assignee_id", "account_manager_id"})


@dataclass(frozen=True)
class TimelineEvent:
    """One change from the audit trail: who, when, which field, from → to."""

    at: datetime
    actor_id: UUID | None
    actor_label: str
    action: str  # opened, updated, reply_cancelled, …
    field: str | None  # the changed field, for `updated`
    before: Any
    after: Any
    before_label: str | None = None  # a user id's name, for assignee changes
    after_label: str | None = None


@dataclass(frozen=True)
class TimelineItem:
    kind: str  # "message" (customer-facing, either way), "note" (internal) or "event"
    at: datetime
    message: Message | None = None
    event: TimelineEvent | None = None


def events_of(entry: AuditEntry, names: Mapping[str, str]) -> list[TimelineEvent]:
    """An audit row as timeline events: an `updated` row gives one event per changed field."""
    if entry.action in SHOWN_AS_MESSAGES:
        return []
    if entry.action != "updated" or not entry.after:
        return [
            TimelineEvent(
                entry.at,
                entry.actor_id,
                entry.actor_label,
                entry.action,
                None,
                entry.before,
                entry.after,
            )
        ]
    before = entry.before or {}
    events = []
    for name, value in entry.after.items():
        old = before.get(name)
        labels: tuple[str | None, str | None] = (None, None)
        if name in USER_FIELDS:
            labels = (_name(names, old), _name(names, value))
        events.append(
            TimelineEvent(
                entry.at, entry.actor_id, entry.actor_label, "updated", name, old, value, *labels
            )
        )
    return events


def _name(names: Mapping[str, str], user_id: Any) -> str | None:
    return names.get(str(user_id)) if user_id else None


def merge_timeline(
    messages: list[Message], entries: list[AuditEntry], names: Mapping[str, str]
) -> list[TimelineItem]:
    """Messages (already in their recorded order) and audit events, oldest first. At one
    instant a message goes before the events its transaction wrote, except the ticket's
    opening, which goes before its first message."""
    items = [
        (
            m.created_at,
            1,
            n,
            TimelineItem(
                "note" if m.direction is Direction.INTERNAL else "message", m.created_at, message=m
            ),
        )
        for n, m in enumerate(messages)
    ]
    n = len(items)
    for entry in entries:
        for event in events_of(entry, names):
            rank = 0 if event.action == "opened" else 2  # opening comes first at its instant
            items.append((event.at, rank, n, TimelineItem("event", event.at, event=event)))
            n += 1
    return [item for *_, item in sorted(items, key=lambda t: (t[0], t[1], t[2]))]
