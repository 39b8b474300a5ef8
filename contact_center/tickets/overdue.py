"""When a ticket's first answer is due, and whether it is overdue: pure, `now` passed in.

Targets are plain wall-clock minutes per priority for now. `OVERDUE_SQL` in `inbox_query.py`
states the same rule for the database and must be kept to the same words.
"""

from __future__ import annotations

from datetime import datetime

from contact_center.tickets.model import Priority, ResponseTargets, Status

# Waiting for a first answer: an agent has not yet picked the ticket up or replied.
AWAITING_RESPONSE = (Status.NEW, Status.OPEN)


def due_at(priority: Priority, opened_at: datetime, targets: ResponseTargets) -> datetime:
    """When the first response to a ticket opened at `opened_at` is due."""
    return opened_at + targets.for_priority(priority)


def is_overdue(
    status: Status, first_response_at: datetime | None, due: datetime | None, *, now: datetime
) -> bool:
    """New or open, never answered, and past its due time (no due time: never overdue)."""
    return (
        status in AWAITING_RESPONSE and first_response_at is None and due is not None and now > due
    )
