"""The pure rules of safe sending: one draft key, one reply text; what makes a draft stale."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

from contact_center.tickets.drafts import newer_than_draft, overtakes_draft, same_draft
from contact_center.tickets.model import Channel, Direction, Message

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
ME = uuid4()
OTHER_AGENT = uuid4()
TICKET = uuid4()


def message(seq: int, direction: Direction, **overrides: Any) -> Message:
    values: dict[str, Any] = {
        "id": uuid4(),
        "ticket_id": TICKET,
        "direction": direction,
        "channel": Channel.SMS,
        "provider_id": None,
        "from_address": "+12025550143",
        "to_address": "+12025550100",
        "subject": "",
        "body_text": "Tomorrow.",
        "body_html": "",
        "attachments": [],
        "delivery_status": None,
        "author_id": None,
        "created_at": NOW + timedelta(seconds=seq),
        "rfc_message_id": None,
        "seq": seq,
    }
    values.update(overrides)
    return Message(**values)


class TestSameDraft:
    def test_the_same_text_and_channel_is_the_same_reply(self) -> None:
        sent = message(5, Direction.OUTBOUND, author_id=ME)
        assert same_draft(sent, channel=Channel.SMS, text="  Tomorrow.\x00 \n")

    def test_an_edited_text_is_another_reply(self) -> None:
        sent = message(5, Direction.OUTBOUND, author_id=ME)
        assert not same_draft(sent, channel=Channel.SMS, text="Tomorrow before noon.")

    def test_another_channel_is_another_reply(self) -> None:
        sent = message(5, Direction.OUTBOUND, author_id=ME)
        assert not same_draft(sent, channel=Channel.EMAIL, text="Tomorrow.")


class TestStaleDraft:
    def test_the_customer_writing_after_the_draft_began_makes_it_stale(self) -> None:
        assert overtakes_draft(message(8, Direction.INBOUND), seen_seq=7, author_id=ME)

    def test_another_agents_reply_makes_it_stale(self) -> None:
        reply = message(8, Direction.OUTBOUND, author_id=OTHER_AGENT, delivery_status="pending")
        assert overtakes_draft(reply, seen_seq=7, author_id=ME)

    def test_notes_acknowledgements_own_and_taken_back_replies_do_not(self) -> None:
        note = message(8, Direction.INTERNAL, author_id=OTHER_AGENT, channel=Channel.NOTE)
        ack = message(9, Direction.OUTBOUND, author_id=None)
        own = message(10, Direction.OUTBOUND, author_id=ME)
        taken_back = message(
            11, Direction.OUTBOUND, author_id=OTHER_AGENT, delivery_status="cancelled"
        )
        assert newer_than_draft([note, ack, own, taken_back], seen_seq=7, author_id=ME) == []

    def test_what_the_agent_saw_does_not(self) -> None:
        assert not overtakes_draft(message(7, Direction.INBOUND), seen_seq=7, author_id=ME)

    def test_a_ticket_without_messages_is_compared_from_zero(self) -> None:
        # A ticket opened by hand holds no message the old id form could name.
        first = message(1, Direction.INBOUND)
        assert newer_than_draft([first], seen_seq=0, author_id=ME) == [first]

    def test_newer_messages_come_oldest_first_and_at_most_the_limit(self) -> None:
        found = [message(s, Direction.INBOUND) for s in (14, 12, 13, 11)]
        newest = newer_than_draft(found, seen_seq=10, author_id=ME, limit=3)
        assert [m.seq for m in newest] == [11, 12, 13]
