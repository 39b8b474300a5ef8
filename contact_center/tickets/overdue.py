"""Whether a ticket is overdue: pure, `now` passed in.

`tickets.due_at` is the first-response clock's due time (business time on the site's calendar,
kept by workflows' clocks through `set_response_due`). `OVERDUE_SQL` in `inbox_query.py`
states the same rule for the database and must be kept to the same words.
"""

from __future__ import annotations

from datetime import datetime

from contact_center.tickets.model import Status

# Waiting for a first answer: an agent has not yet picked the ticket up or replied.
AWAITING_RESPONSE = (Status.NEW, Status.OPEN)


def is_overdue(
    status: Status, first_response_at: datetime | None, due: datetime | None, *, now: datetime
) -> bool:
    """New or open, never answered, and past its due time (no due time: never overdue)."""
    return (
        status in AWAITING_RESPONSE and first_response_at is None and due is not None and now > due
    )
