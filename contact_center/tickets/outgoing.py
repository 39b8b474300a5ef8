"""Putting an outbound SMS or email on a ticket's timeline and into the outbox, in one step.

Used by agent replies and by automatic acknowledgements; always inside the caller's transaction.
Whether a message may go at all, and from which of our numbers, the outbox decides.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from contact_center import outbox
from contact_center.db import Conn
from contact_center.outbox import DeliveryState, NewOutbound, Origin
from contact_center.tickets import store
from contact_center.tickets.model import Channel, Direction, Message, Ticket


@dataclass(frozen=True)
class Outgoing:
    ticket: Ticket
    channel: Channel
    to_address: str
    text: str
    reply_from: str = ""  # the address the customer wrote to
    subject: str = ""
    in_reply_to: str = ""
    references: list[str] = field(default_factory=list)
    automatic: bool = False
    required_by_carrier: bool = False
    author_id: UUID | None = None
    hold_until: datetime | None = None  # the undo window: not sent before this time
    draft_key: str | None = None  # the agent's draft this reply came from (one reply per draft)


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


async def queue_outgoing(
    conn: Conn, out: Outgoing, *, origin: Origin, mail_domain: str, now: datetime
) -> Message:
    """The outbox row and its timeline message; sent by the delivery job after commit.
    Raises outbox.OutboundRefused, having written nothing, when the message may not go."""
    message_id = uuid4()
    rfc_message_id = f"<{uuid4()}@{mail_domain}>" if out.channel is Channel.EMAIL else None
    headers = (
        email_headers(out, message_id=rfc_message_id, mail_domain=mail_domain)
        if rfc_message_id
        else {}
    )
    queued = await outbox.enqueue(
        conn,
        NewOutbound(
            ticket_id=out.ticket.id,
            message_id=message_id,
            channel=out.channel.value,
            to_address=out.to_address,
            reply_from=out.reply_from,
            subject=out.subject,
            body_text=out.text,
            headers=headers,
            automatic=out.automatic,
            required_by_carrier=out.required_by_carrier,
            hold_until=out.hold_until,
        ),
        origin=origin,
        now=now,
    )
    message = await store.insert_message(
        conn,
        message_id=message_id,
        ticket_id=out.ticket.id,
        direction=Direction.OUTBOUND,
        channel=out.channel,
        text=out.text,
        author_id=out.author_id,
        at=now,
        from_address=queued.from_address,
        to_address=out.to_address,
        subject=out.subject,
        delivery_status="pending",
        rfc_message_id=rfc_message_id,
        draft_key=out.draft_key,
    )
    due = max(now, out.hold_until) if out.hold_until else now
    return dataclasses.replace(message, delivery=DeliveryState.queued(due))
