"""Automatic answers to inbound contacts: the acknowledgement of a new ticket, and the answer
to an SMS HELP. Both go through the outbox inside intake's transaction."""

from __future__ import annotations

import logging
from datetime import datetime
from uuid import UUID

from contact_center.customers import ResolvedCustomer
from contact_center.db import Conn
from contact_center.outbox import Origin, OutboundRefused
from contact_center.tickets import contact_store, store
from contact_center.tickets.acks import (
    ACK_BUDGET_WINDOW,
    ack_text,
    help_text,
    language_of,
    within_ack_budget,
)
from contact_center.tickets.model import Channel, InboundContact, IntakeOptions, Ticket
from contact_center.tickets.outgoing import Outgoing, queue_outgoing

log = logging.getLogger(__name__)


async def acknowledge(
    conn: Conn,
    contact: InboundContact,
    customer: ResolvedCustomer,
    ticket: Ticket,
    sender: str,
    options: IntakeOptions,
    now: datetime,
) -> bool:
    """Thank the customer for a new ticket on the channel they used, unless that would talk
    to a machine; the outbox refuses an opted-out number. Only a new ticket is thanked, so a
    ticket gets at most one automatic message however its correspondent behaves, and a
    customer opening ticket after ticket is thanked only within the budget of acks.py (no
    mail loops)."""
    if (
        not options.acknowledge
        or contact.automated
        or contact.channel not in (Channel.SMS, Channel.EMAIL)
    ):
        return False
    if not customer.created:
        since = now - ACK_BUDGET_WINDOW
        opened = await store.count_opened_since(conn, customer.id, contact.channel, since)
        if not within_ack_budget(opened):
            log.info(
                "ticket #%s not acknowledged: its sender opened %d tickets within %s",
                ticket.number,
                opened,
                ACK_BUDGET_WINDOW,
            )
            return False
    language = language_of(customer.language, contact.text)
    text = ack_text(
        contact.channel,
        ticket.kind,
        ticket.number,
        language,
        customer.name,
        templates=options.ack_templates,
    )
    return await _answer(
        conn, contact, ticket, sender, options, now, text=text.body, subject=text.subject
    )


async def answer_help(
    conn: Conn,
    contact: InboundContact,
    customer: ResolvedCustomer,
    ticket: Ticket,
    sender: str,
    options: IntakeOptions,
    now: datetime,
) -> None:
    """Carriers require an answer to HELP, even from an opted-out number."""
    if not options.acknowledge:
        return
    text = help_text(language_of(customer.language, contact.text), options.ack_templates)
    await _answer(conn, contact, ticket, sender, options, now, text=text, required=True)


async def _answer(
    conn: Conn,
    contact: InboundContact,
    ticket: Ticket,
    sender: str,
    options: IntakeOptions,
    now: datetime,
    *,
    text: str,
    subject: str = "",
    required: bool = False,
) -> bool:
    """An automatic message back on the contact's channel, from the address it was sent to.
    False, with a log line, when the outbox refuses it (the number sent STOP, say)."""
    try:
        await queue_outgoing(
            conn,
            Outgoing(
                ticket=ticket,
                channel=contact.channel,
                to_address=sender,
                reply_from=contact.to_address if contact.channel is Channel.SMS else "",
                text=text,
                subject=subject,
                in_reply_to=contact.rfc_message_id,
                references=contact.thread_refs,
                automatic=True,
                required_by_carrier=required,
            ),
            origin=Origin(sms_from=options.sms_from, email_from=options.email_from),
            mail_domain=options.mail_domain,
            now=now,
        )
    except OutboundRefused as exc:
        log.info("no automatic answer on ticket #%s: %s", ticket.number, exc.message)
        return False
    return True


async def customer_address(conn: Conn, ticket: Ticket, channel: Channel) -> tuple[str, str] | None:
    """Where to write to the ticket's customer on `channel`: (their address, the address of
    ours they wrote to), from the latest inbound message on that channel; None if none."""
    return await contact_store.latest_inbound_addresses(conn, ticket.id, channel)


async def answered_automatically(conn: Conn, ticket_id: UUID, *, until: datetime) -> bool:
    """Whether the system already sent the customer an automatic message on this ticket (the
    acknowledgement of intake) by `until`."""
    return await contact_store.automatic_reply_before(conn, ticket_id, until)


async def within_automatic_budget(
    conn: Conn, customer_id: UUID, channel: Channel, *, now: datetime
) -> bool:
    """The mail-loop rule of acknowledgements for any later automatic message: a customer who
    opened more than ACK_BUDGET tickets on this channel within the window gets none."""
    opened = await store.count_opened_since(conn, customer_id, channel, now - ACK_BUDGET_WINDOW)
    return within_ack_budget(opened)


async def send_automatic(
    conn: Conn,
    ticket: Ticket,
    *,
    channel: Channel,
    to_address: str,
    reply_from: str,
    text: str,
    subject: str,
    origin: Origin,
    mail_domain: str,
    now: datetime,
) -> str | None:
    """A system message to the customer (a complaint's thanks, a survey) on the ticket's
    timeline and into the outbox; email carries `Auto-Submitted: auto-replied` so that
    autoresponders stay quiet. None when queued, else why the outbox refused it (the number
    sent STOP, say), having written nothing."""
    try:
        await queue_outgoing(
            conn,
            Outgoing(
                ticket=ticket,
                channel=channel,
                to_address=to_address,
                reply_from=reply_from if channel is Channel.SMS else "",
                text=text,
                subject=subject,
                automatic=True,
            ),
            origin=origin,
            mail_domain=mail_domain,
            now=now,
        )
    except OutboundRefused as exc:
        return exc.message
    return None
