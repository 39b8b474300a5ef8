"""`publish` is `pg_notify`: sent by PostgreSQL only when the surrounding transaction commits,
so a rolled-back change never announces itself and every web process hears every event."""

import json
from typing import Any

from contact_center.db import Conn
from contact_center.live.model import Event

CHANNEL = "cc_events"


def encode(event: Event, payload: dict[str, Any]) -> str:
    """The notification text for an event; for stores that fold the notify into a write."""
    return json.dumps({"event": str(event), **payload}, default=str)


async def publish(conn: Conn, event: Event, payload: dict[str, Any]) -> None:
    await conn.execute("SELECT pg_notify($1, $2)", CHANNEL, encode(event, payload))
