"""An undone reply never reached the customer: the clocks it met count again."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from contact_center import tickets
from contact_center.audit import Actor
from contact_center.tickets import Channel, ReplyOptions
from tests.builders import make_user
from tests.workflows.helpers import MONDAY_10, sms_ticket
from tests.workflows.test_clock_service import clocks_of, events_of

HOUR = timedelta(hours=1)


async def test_an_undone_reply_gives_back_the_first_response_clock(db: Any) -> None:
    ticket, _ = await sms_ticket(db)  # first response due 14:00
    user = await make_user(db)
    agent = Actor(label=user.name, user_id=user.id)
    sent = await tickets.send_reply(
        db,
        agent,
        ticket.id,
        channel=Channel.SMS,
        text="On it.",
        now=MONDAY_10 + HOUR,
        options=ReplyOptions(undo_seconds=10),
    )
    assert "first_response" not in await clocks_of(db, ticket.id, MONDAY_10 + HOUR)  # met
    await tickets.undo_reply(
        db, agent, ticket.id, sent.message.id, now=MONDAY_10 + HOUR + timedelta(seconds=5)
    )
    later = MONDAY_10 + 2 * HOUR
    first = (await clocks_of(db, ticket.id, later))["first_response"]
    assert first["state"] == "running"
    assert first["due_at"] == MONDAY_10 + 4 * HOUR  # the time since the reply counted
    assert first["used_seconds"] == 2 * 3600
    stored, _ = await tickets.get_ticket(db, ticket.id)
    assert stored.due_at == first["due_at"] and stored.first_response_at is None
    assert ("first_response", "resumed") in await events_of(db, ticket.id)
