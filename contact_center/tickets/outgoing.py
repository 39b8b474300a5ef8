"""Putting an outbound SMS or email on a ticket's timeline and into the outbox, in one step.

Used by agent replies and by automatic acknowledgements; always inside the caller's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from contact_center import outbox
from contact_center.db import Conn
from contact_center.outbox import NewOutbound, OutboundChannel
from contact_center.tickets import store
from contact_center.tickets.model import Channel, Direction, Message, Ticket


@dataclass(frozen=True)
class Outgoing:
    ticket: Ticket
    channel: Channel
    to_address: str
    from_address: str
    text: str
    subject: str = ""
    in_reply_to: str = ""
    references: list[str] = field(default_factory=list)
    automatic: bool = False
    author_id: UUID | None = None


def email_headers(out: Outgoing, *, message_id: str, mail_domain: str) -> dict[str, Any]:
    """Threading headers chosen before the first attempt, so every retry carries the same
    Message-ID and a duplicate delivery threads as one message."""
    headers: dict[str, Any] = {
        "Message-ID": message_id,
        "Reply-To": f"reply+{out.ticket.reply_token}@{mail_domain}",
    }
    if out.in_reply_to:
        headers["In-Reply-To"] = out.in_reply_to
    references = [*out.references, out.in_reply_to] if out.in_reply_to else out.references
    if references:
        headers["References"] = " ".join(dict.fromkeys(r for r in references if r))
    if out.automatic:
        headers["Auto-Submitted"] = "auto-replied"
    return headers


async def queue_outgoing(conn: Conn, out: Outgoing, *, mail_domain: str, now: datetime) -> Message:
    """The timeline message and its outbox row; sent by the delivery job after commit."""
    message_id = f"<{uuid4()}@{mail_domain}>" if out.channel is Channel.EMAIL else None
    message = await store.insert_message(
        conn,
        ticket_id=out.ticket.id,
        direction=Direction.OUTBOUND,
        channel=out.channel,
        text=out.text,
        author_id=out.author_id,
        at=now,
        from_address=out.from_address,
        to_address=out.to_address,
        subject=out.subject,
        delivery_status="pending",
        rfc_message_id=message_id,
    )
    headers = (
        email_headers(out, message_id=message_id, mail_domain=mail_domain) if message_id else {}
    )
    await outbox.enqueue(
        conn,
        NewOutbound(
            ticket_id=out.ticket.id,
            message_id=message.id,
            channel=OutboundChannel(out.channel.value),
            to_address=out.to_address,
            from_address=out.from_address,
            subject=out.subject,
            body_text=out.text,
            headers=headers,
            automatic=out.automatic,
        ),
        now=now,
    )
    return message
