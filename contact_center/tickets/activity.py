"""Who is on a ticket right now: viewing, typing a reply, idle or gone. Nothing is stored but
the live event, so that agents on the same ticket (in any web process) see each other."""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID

from contact_center import live
from contact_center.db import Pool, transaction
from contact_center.errors import Invalid
from contact_center.live import Event


class Activity(StrEnum):
    VIEWING = "viewing"
    TYPING = "typing"
    IDLE = "idle"
    LEFT = "left"


def read_activity(raw: object) -> Activity:
    try:
        return Activity(str(raw))
    except ValueError:
        allowed = ", ".join(a.value for a in Activity)
        raise Invalid(f"must be one of {allowed}", field="state") from None


async def announce_activity(
    pool: Pool, ticket_id: UUID, state: Activity, *, user_id: UUID, name: str
) -> int:
    """Publish `ticket.activity` for this user on this ticket; the event's id."""
    async with transaction(pool) as conn:
        return await live.publish(
            conn,
            Event.TICKET_ACTIVITY,
            {"ticket_id": ticket_id, "user_id": user_id, "name": name, "state": state},
        )
