"""`publish`: the one way to announce a change. It appends a row to the event log and notifies
its id, both inside the caller's transaction, so a rolled-back change never announces itself and
every web process reads the same events, in id order, from the same table."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from contact_center.db import Conn
from contact_center.live import store
from contact_center.live.model import Event

CHANNEL = store.CHANNEL
# Payload keys that name the ticket or customer an event is about, stored in their own columns
# so that later rules can narrow who sees what without reading the payload.
TICKET_KEYS = ("ticket_id",)
CUSTOMER_KEYS = ("customer_id", "survivor_id")


def _first_id(payload: dict[str, Any], keys: tuple[str, ...]) -> UUID | None:
    for key in keys:
        value = payload.get(key)
        if value is not None:
            return value if isinstance(value, UUID) else UUID(str(value))
    return None


async def publish(conn: Conn, event: Event, payload: dict[str, Any]) -> int:
    """Record `event` with its JSON payload in the caller's transaction; returns its id.

    Listeners are told the id when the transaction commits, and read the row then. Payload
    values that JSON lacks (UUIDs, datetimes, enums) are written as text.
    """
    (event_id,) = await publish_many(conn, [(event, payload)])
    return event_id


async def publish_many(conn: Conn, events: list[tuple[Event, dict[str, Any]]]) -> list[int]:
    """`publish` for several events of one change in one round trip; ids in the given order."""
    if not events:
        return []
    return await store.insert_events(
        conn,
        [
            (
                str(event),
                json.dumps(payload, default=str),
                _first_id(payload, TICKET_KEYS),
                _first_id(payload, CUSTOMER_KEYS),
            )
            for event, payload in events
        ],
    )
