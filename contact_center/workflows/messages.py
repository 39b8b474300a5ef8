"""The worker's half of the actions that write to the customer: a complaint's thank-you and
its satisfaction survey. Each runs once: the action's row is locked and leaves `pending` in
the same transaction as the outbox row."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from contact_center import customers, tickets
from contact_center.config import Settings
from contact_center.db import Conn, Pool, transaction
from contact_center.outbox import Origin
from contact_center.tickets.model import Channel, Ticket
from contact_center.workflows import action_rules, action_store, actions
from contact_center.workflows.action_rules import ActionState
from contact_center.workflows.action_store import CaseAction
from contact_center.workflows.model import Action, CaseSource

# A case started by intake (the complaints address, the classifier) starts with the ticket, so
# intake's own acknowledgement (of a complaint) is already the case's thank-you.
STARTED_AT_INTAKE = (CaseSource.ADDRESS, CaseSource.CLASSIFIER)


@dataclass(frozen=True)
class MessageOptions:
    origin: Origin
    mail_domain: str
    public_url: str  # the survey link's base
    acknowledge: bool = True  # ACKNOWLEDGE=false turns off every automatic thank-you


def message_options(settings: Settings) -> MessageOptions:
    return MessageOptions(
        origin=Origin(sms_from=settings.twilio_from_number, email_from=settings.support_address),
        mail_domain=settings.mail_domain,
        public_url=settings.public_url,
        acknowledge=settings.acknowledge,
    )


async def perform(pool: Pool, action_id: int, options: MessageOptions, *, now: datetime) -> str:
    """Send the pending acknowledgement or survey `action_id`; what happened, in words. A
    repeated job finds the action done and does nothing."""
    async with transaction(pool) as conn:
        action = await action_store.lock_action(conn, action_id)
        if action is None or action.state != ActionState.PENDING:
            return "already done"
        ticket = await tickets.load_ticket_in(conn, UUID(action.payload["ticket_id"]))
        if action.action == Action.ACKNOWLEDGE:
            done, note = await _acknowledge(conn, action, ticket, options, now)
        else:
            done, note = await _survey(conn, action, ticket, options, now)
        await actions.finish(
            conn,
            action_id,
            action.case_id,
            action.action,
            action.step,
            done=done,
            note=note,
            now=now,
        )
        return note


async def _destination(conn: Conn, ticket: Ticket) -> tuple[Channel, str, str] | str:
    """(channel, the customer's address, ours) to write to about this ticket: its own channel;
    a call's caller by SMS when the number can take one. A string says why there is none."""
    if ticket.channel in (Channel.SMS, Channel.EMAIL):
        found = await tickets.customer_address(conn, ticket, ticket.channel)
        if found is None:
            return f"the ticket has no inbound {ticket.channel} to answer"
        return ticket.channel, found[0], found[1]
    if ticket.channel is Channel.VOICE:
        found = await tickets.customer_address(conn, ticket, Channel.VOICE)
        if found is None or not customers.takes_sms(found[0]):
            return "the caller's number cannot receive SMS"
        return Channel.SMS, found[0], found[1]  # from the number they called
    return f"a {ticket.channel} ticket has no channel to the customer"


async def _acknowledge(
    conn: Conn, action: CaseAction, ticket: Ticket, options: MessageOptions, now: datetime
) -> tuple[bool, str]:
    if not options.acknowledge:
        return False, "automatic acknowledgements are turned off"
    opened_at = datetime.fromisoformat(action.payload["case_opened_at"])
    if CaseSource(action.payload["case_source"]) in STARTED_AT_INTAKE and (
        await tickets.answered_automatically(conn, ticket.id, until=opened_at)
    ):
        return False, "intake already thanked the customer for this complaint"
    where = await _destination(conn, ticket)
    if isinstance(where, str):
        return await _noted(conn, ticket, f"No acknowledgement could be sent: {where}.", now)
    channel, to_address, _ = where
    if not await tickets.within_automatic_budget(conn, ticket.customer_id, channel, now=now):
        return False, "the sender opened too many tickets lately (mail-loop rule)"
    refused = await _send(conn, ticket, where, action, action.payload["text"], options, now)
    if refused is not None:
        return await _noted(conn, ticket, f"No acknowledgement sent: {refused}.", now)
    return True, f"thanked by {channel} at {to_address}"


async def _survey(
    conn: Conn, action: CaseAction, ticket: Ticket, options: MessageOptions, now: datetime
) -> tuple[bool, str]:
    where = await _destination(conn, ticket)
    if isinstance(where, str):
        return await _noted(conn, ticket, f"No satisfaction survey sent: {where}.", now)
    channel, to_address, _ = where
    # 128 random bits: the link is the answer's only credential, so it must not be guessable.
    token = secrets.token_urlsafe(16)
    link = action_rules.survey_link(options.public_url, token)
    text = action.payload["text"].replace("{link}", link)
    refused = await _send(conn, ticket, where, action, text, options, now)
    if refused is not None:
        return await _noted(conn, ticket, f"No satisfaction survey sent: {refused}.", now)
    await action_store.insert_survey(
        conn,
        token=token,
        ticket_id=ticket.id,
        case_id=action.case_id,
        channel=str(channel),
        to_address=to_address,
        now=now,
    )
    return True, f"survey sent by {channel} to {to_address}"


async def _send(
    conn: Conn,
    ticket: Ticket,
    where: tuple[Channel, str, str],
    action: CaseAction,
    text: str,
    options: MessageOptions,
    now: datetime,
) -> str | None:
    """Send `text` (with the action's subject) to `where`; why it was refused, or None."""
    channel, to_address, reply_from = where
    return await tickets.send_automatic(
        conn,
        ticket,
        channel=channel,
        to_address=to_address,
        reply_from=reply_from,
        text=text,
        subject=action.payload["subject"],
        origin=options.origin,
        mail_domain=options.mail_domain,
        now=now,
    )


async def _noted(conn: Conn, ticket: Ticket, note: str, now: datetime) -> tuple[bool, str]:
    """Not done, and why, noted on the ticket for its agents too."""
    await tickets.add_system_note(conn, ticket.id, note, now=now)
    return False, note
