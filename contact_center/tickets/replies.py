"""Agent replies from a ticket, by SMS or email, through the outbox."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from contact_center import audit, customers, live, outbox, workflows
from contact_center.audit import Actor
from contact_center.db import Conn, Pool, transaction
from contact_center.errors import Conflict, Forbidden, Invalid
from contact_center.live import Event
from contact_center.outbox import DeliveryState, Origin, OutboundStatus
from contact_center.tickets import reply_store, store
from contact_center.tickets.drafts import clean_reply_text, newer_than_draft, same_draft
from contact_center.tickets.model import Channel, Direction, Message, Ticket
from contact_center.tickets.outgoing import Outgoing, queue_outgoing

MAX_SMS_CHARS = 1600  # Twilio's limit for one message, however many segments it takes


@dataclass(frozen=True)
class ReplyOptions:
    mail_domain: str = "example.com"
    email_from: str = "support@example.com"
    sms_from: str = ""
    undo_seconds: int = 0  # how long a reply waits in the outbox, while the agent may undo it


@dataclass(frozen=True)
class Draft:
    """Where a reply comes from: `key` names the agent's draft (a second send of the same
    draft answers the first result, a different text under it is DraftKeyReused). What the
    agent had seen when the draft began is `based_on_seq`, the highest message `seq` on their
    timeline (0: none), or, in the older form, `based_on`, the id of the last message they
    saw; anything newer that `drafts.overtakes_draft` counts makes the send a TicketChanged
    unless `confirm`."""

    key: str | None = None
    based_on: UUID | None = None
    confirm: bool = False
    based_on_seq: int | None = None


@dataclass(frozen=True)
class ReplyResult:
    message: Message
    created: bool  # False: this draft was sent before, and this is that reply


class TicketChanged(Conflict):
    """The customer wrote, or someone answered, after the agent's draft was begun."""

    code = "ticket_changed"

    def __init__(self, newer: list[Message], *, field: str = "based_on_seq") -> None:
        super().__init__(
            "the ticket has newer messages than your draft; confirm to send anyway",
            field=field,
        )
        self.newer = newer


class DraftKeyReused(Conflict):
    """The draft key already made a reply, with another text or channel than this send."""

    code = "draft_key_reused"

    def __init__(self, sent: Message) -> None:
        super().__init__(
            "this draft was already sent with other content; send the new text as a new "
            "draft (a new draft_key)",
            field="draft_key",
        )
        self.sent = sent


class AlreadySent(Conflict):
    code = "already_sent"


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
    draft: Draft | None = None,
) -> ReplyResult:
    """Queue a reply to the customer; it is sent after commit, once its undo window passed,
    and its delivery state shows on the timeline. Counts as the ticket's first response.

    Safe to repeat: the ticket row lock serializes replies to one ticket, so a second send of
    the same draft key (a double click, a retried request) finds the first reply and returns
    it with `created=False`; the unique (ticket, draft key) constraint backs this up. The same
    key with another text or channel raises DraftKeyReused (the edit would otherwise be lost
    without a word). Raises TicketChanged when the customer wrote or another agent replied
    after the draft began (`drafts.overtakes_draft`) and the agent did not confirm. The
    outbox refuses (409, field `channel`) an SMS to a number that sent STOP, or with no
    number to send from."""
    draft = draft or Draft()
    text = clean_reply_text(text)
    if not text:
        raise Invalid("a reply needs text", field="text")
    if channel is Channel.SMS and len(text) > MAX_SMS_CHARS:
        raise Invalid(f"an SMS is at most {MAX_SMS_CHARS} characters", field="text")
    async with transaction(pool) as conn:
        ticket = await store.lock_ticket(conn, ticket_id)
        if draft.key and (sent := await reply_store.find_by_draft_key(conn, ticket.id, draft.key)):
            if not same_draft(sent, channel=channel, text=text):
                raise DraftKeyReused(sent)
            return ReplyResult(sent, created=False)
        await _check_current(conn, actor, ticket.id, draft)
        hold = timedelta(seconds=options.undo_seconds)
        message = await _queue_reply(conn, actor, ticket, channel, text, now, options, draft, hold)
        await store.mark_first_response(conn, ticket.id, now)
        await workflows.agent_replied(conn, ticket, now=now)
        await audit.record_change(
            conn,
            actor,
            "ticket",
            ticket.id,
            "reply_queued",
            after={
                "message_id": str(message.id),
                "channel": str(channel),
                "draft_key": draft.key,
                "hold_until": (now + hold).isoformat() if hold else None,
            },
            at=now,
        )
        await live.publish(
            conn, Event.REPLY_QUEUED, {"ticket_id": ticket.id, "message_id": message.id}
        )
        return ReplyResult(message, created=True)


async def _check_current(conn: Conn, actor: Actor, ticket_id: UUID, draft: Draft) -> None:
    if draft.confirm:
        return
    seen, field = draft.based_on_seq, "based_on_seq"
    if seen is None and draft.based_on is not None:
        seen, field = await reply_store.seq_of(conn, ticket_id, draft.based_on), "based_on"
    if seen is None:
        return  # a client that says nothing of what it saw is not asked
    after = await reply_store.list_after(conn, ticket_id, seen)
    newer = newer_than_draft(after, seen_seq=seen, author_id=actor.user_id)
    if newer:
        raise TicketChanged(newer, field=field)


async def _queue_reply(
    conn: Conn,
    actor: Actor,
    ticket: Ticket,
    channel: Channel,
    text: str,
    now: datetime,
    options: ReplyOptions,
    draft: Draft,
    hold: timedelta,
) -> Message:
    to_address, wrote_to, answered = await _recipient(conn, ticket, channel)
    return await queue_outgoing(
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
            hold_until=now + hold if hold else None,
            draft_key=draft.key,
        ),
        origin=Origin(sms_from=options.sms_from, email_from=options.email_from),
        mail_domain=options.mail_domain,
        now=now,
    )


async def undo_reply(
    pool: Pool, actor: Actor, ticket_id: UUID, message_id: UUID, *, now: datetime
) -> Message:
    """Take back one's own reply before it leaves (the undo window, or any time before the
    first send attempt). Cancelled, it stays on the timeline marked `cancelled` and is never
    sent; undoing it again changes nothing. AlreadySent (409) once delivery has begun."""
    async with transaction(pool) as conn:
        ticket = await store.lock_ticket(conn, ticket_id)
        message = await reply_store.get_on_ticket(conn, ticket_id, message_id)
        if message.direction is not Direction.OUTBOUND or message.author_id is None:
            raise Conflict("only an agent's reply can be taken back", field="message_id")
        if message.author_id != actor.user_id:
            raise Forbidden("only its author can take a reply back")
        row, cancelled = await outbox.cancel_unsent(conn, message.id, now=now)
        if row is None:
            raise Conflict("this reply has no outbound message", field="message_id")
        if not cancelled and row.status is not OutboundStatus.CANCELLED:
            raise AlreadySent("the reply has already left; it can no longer be undone")
        if cancelled:
            await reply_store.mark_cancelled(conn, message.id)
            # The reply never reached the customer: its first response and the clocks it
            # met count again.
            await store.unmark_first_response(conn, ticket_id, message.created_at)
            await workflows.reply_undone(conn, ticket, replied_at=message.created_at, now=now)
            await audit.record_change(
                conn,
                actor,
                "ticket",
                ticket_id,
                "reply_cancelled",
                after={"message_id": str(message.id)},
                at=now,
            )
            await live.publish(
                conn,
                Event.DELIVERY_UPDATED,
                {"ticket_id": ticket_id, "message_id": message.id, "status": "cancelled"},
            )
        state = DeliveryState.of(row)
        return dataclasses.replace(message, delivery_status="cancelled", delivery=state)
