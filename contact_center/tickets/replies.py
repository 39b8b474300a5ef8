"""Agent replies from a ticket, by SMS or email, through the outbox."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from contact_center import audit, customers, live
from contact_center.audit import Actor
from contact_center.db import Conn, Pool, transaction
from contact_center.errors import Conflict, Invalid
from contact_center.live import Event
from contact_center.outbox import Origin
from contact_center.tickets import store
from contact_center.tickets.model import Channel, Message, Ticket
from contact_center.tickets.outgoing import Outgoing, queue_outgoing

MAX_SMS_CHARS = 1600  # Twilio's limit for one message, however many segments it takes


@dataclass(frozen=True)
class ReplyOptions:
    mail_domain: str = "example.com"
    email_from: str = "support@example.com"
    sms_from: str = ""


def reply_subject(ticket: Ticket) -> str:
    base = ticket.subject if ticket.subject.lower().startswith("re:") else f"Re: {ticket.subject}"
    tag = f"[#{ticket.number}]"
    return base if tag in base else f"{base} {tag}"


async def _recipient(conn: Conn, ticket: Ticket, channel: Channel) -> tuple[str, str, str]:
    """(to, the address they wrote to, the Message-ID answered): the address the customer
    last used on this channel for this ticket, else the first one on their card."""
    last = await store.last_inbound_on_channel(conn, ticket.id, channel)
    if last is not None:
        wrote_to = last["to_address"] if channel is Channel.SMS else ""
        return last["from_address"], wrote_to or "", last["rfc_message_id"] or ""
    customer = await customers.load_customer(conn, ticket.customer_id)
    known = customer.phones if channel is Channel.SMS else customer.emails
    if not known:
        raise Conflict(
            f"the customer has no {'phone' if channel is Channel.SMS else 'email'}", field="channel"
        )
    return known[0], "", ""


async def send_reply(
    pool: Pool,
    actor: Actor,
    ticket_id: UUID,
    *,
    channel: Channel,
    text: str,
    now: datetime,
    options: ReplyOptions,
) -> Message:
    """Queue a reply to the customer; it is sent after commit and its delivery state shows on
    the timeline. Counts as the ticket's first response. The outbox refuses (422, field
    `channel`) an SMS to a number that sent STOP, or with no number to send from."""
    text = text.replace("\x00", "").strip()
    if not text:
        raise Invalid("a reply needs text", field="text")
    if channel is Channel.SMS and len(text) > MAX_SMS_CHARS:
        raise Invalid(f"an SMS is at most {MAX_SMS_CHARS} characters", field="text")
    async with transaction(pool) as conn:
        ticket = await store.lock_ticket(conn, ticket_id)
        to_address, wrote_to, answered = await _recipient(conn, ticket, channel)
        message = await queue_outgoing(
            conn,
            Outgoing(
                ticket=ticket,
                channel=channel,
                to_address=to_address,
                reply_from=wrote_to,
                text=text,
                subject=reply_subject(ticket) if channel is Channel.EMAIL else "",
                in_reply_to=answered,
                references=await store.list_thread_ids(conn, ticket.id)
                if channel is Channel.EMAIL
                else [],
                author_id=actor.user_id,
            ),
            origin=Origin(sms_from=options.sms_from, email_from=options.email_from),
            mail_domain=options.mail_domain,
            now=now,
        )
        await store.mark_first_response(conn, ticket.id, now)
        await audit.record_change(
            conn,
            actor,
            "ticket",
            ticket.id,
            "reply_queued",
            after={"message_id": str(message.id), "channel": str(channel)},
        )
        await live.publish(
            conn, Event.REPLY_QUEUED, {"ticket_id": ticket.id, "message_id": message.id}
        )
        return message
