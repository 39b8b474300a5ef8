"""Pure rules of safe sending: whether a repeated draft is the same reply, and which messages
written after an agent began a draft make it stale."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from contact_center.tickets.model import Channel, Direction, Message


def clean_reply_text(text: str) -> str:
    """The text a reply is stored and sent with."""
    return text.replace("\x00", "").strip()


def same_draft(sent: Message, *, channel: Channel, text: str) -> bool:
    """Whether a send of an already used draft key asks for exactly the reply it made: the
    same channel and the same text. The subject is not compared: the server derives it from
    the ticket, so a retry after someone renamed the ticket is still the same draft."""
    return sent.channel is channel and sent.body_text == clean_reply_text(text)


def overtakes_draft(message: Message, *, seen_seq: int, author_id: UUID | None) -> bool:
    """Whether `message` means someone else spoke after the agent's draft began (the agent
    saw messages up to `seen_seq`): the customer wrote, or another agent's reply went out or
    is on its way. Internal notes, automatic messages (acknowledgements, which have no
    author), replies taken back and the agent's own replies leave a draft current."""
    if message.seq <= seen_seq:
        return False
    if message.direction is Direction.INBOUND:
        return True
    if message.direction is not Direction.OUTBOUND or message.author_id is None:
        return False
    return message.author_id != author_id and message.delivery_status != "cancelled"


def newer_than_draft(
    messages: Iterable[Message], *, seen_seq: int, author_id: UUID | None, limit: int = 20
) -> list[Message]:
    """The messages that make a draft stale, in the order they were recorded."""
    found = [m for m in messages if overtakes_draft(m, seen_seq=seen_seq, author_id=author_id)]
    return sorted(found, key=lambda m: (m.created_at, m.seq))[:limit]
