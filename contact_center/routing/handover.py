"""What other folders do when routing hands them an item, where routing cannot import them
(calls imports routing): they register it here when imported."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from uuid import UUID

from contact_center.db import Conn

CallbackAssigned = Callable[[Conn, UUID, UUID, datetime], Awaitable[None]]
_callback_assigned: list[CallbackAssigned] = []
log = logging.getLogger(__name__)


def on_callback_assigned(handler: CallbackAssigned) -> None:
    """`handler(conn, callback_id, user_id, now)` runs inside the transaction that gives a
    callback item to an agent (an accepted offer, a supervisor's assignment)."""
    if handler not in _callback_assigned:
        _callback_assigned.append(handler)


async def callback_assigned(conn: Conn, callback_id: UUID, user_id: UUID, *, now: datetime) -> None:
    if not _callback_assigned:
        log.warning(
            "callback %s went to %s but the calls folder is not loaded", callback_id, user_id
        )
    for handler in _callback_assigned:
        await handler(conn, callback_id, user_id, now)
