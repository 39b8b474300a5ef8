"""The one intake path: every inbound SMS, call and email becomes a message on a ticket."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from contact_center import audit, customers, live, routing, site, workflows
from contact_center.audit import Actor
from contact_center.customers import IdentityKind, Keyword, ResolvedCustomer
from contact_center.db import Conn, Pool, transaction
from contact_center.live import Event
from contact_center.routing import priority_for
from contact_center.tickets import automatic, inbound_store, routing_link, store, threads
from contact_center.tickets.classifier_settings import classifier_rules
from contact_center.tickets.classify import Classification, classify
from contact_center.tickets.model import (
    Channel,
    InboundContact,
    IntakeOptions,
    IntakeResult,
    Kind,
    Placed,
    Status,
    Ticket,
    TicketCandidate,
)

log = logging.getLogger(__name__)
INTAKE_ACTOR = Actor.system("intake")
DEFAULTS = IntakeOptions()
# Decides what the channel answers (a call's next step), inside intake's transaction.
Responder = Callable[[Conn, Placed], Awaitable[Any]]


def identity_of(contact: InboundContact, region: str) -> tuple[IdentityKind, str]:
    """The phone or email the contact came from, normalized where possible.

    Twilio sends E.164 already; a short code or an alphanumeric sender cannot be normalized
    and is kept as written so that the contact is still stored and threaded.
    """
    if contact.channel is Channel.EMAIL:
        return IdentityKind.EMAIL, contact.from_address.strip().lower()
    raw = contact.from_address.strip()
    return IdentityKind.PHONE, customers.phone_or_none(raw, region) or raw


@dataclass(frozen=True)
class Placement:
    """Where an inbound contact goes: an existing ticket, or `opened`, a new one."""

    ticket_id: UUID
    number: int
    status: Status
    opened: Ticket | None
    previous_status: Status | None = None  # an existing ticket's status before this contact
    classified: Classification | None = None  # what the classifier made of a new ticket


async def intake(
    pool: Pool,
    contact: InboundContact,
    *,
    now: datetime,
    options: IntakeOptions = DEFAULTS,
    respond: Responder | None = None,
) -> IntakeResult:
    """Store one inbound contact on a ticket, in one transaction.

    Deduplicates by (channel, provider id): a replay returns the first result and writes
    nothing. Resolves or creates the customer, follows an explicit reference or threads onto
    an active ticket or opens one, appends the message, queues the acknowledgement of a new
    ticket and publishes the events; the acknowledgement and events leave on commit.
    `respond`, when given, decides the channel's answer (`IntakeResult.answer`) in the same
    transaction, after the message is stored, and on a replay too.
    """
    # The classifier, the clocks, the case and the at-risk rule all read the site settings.
    async with transaction(pool) as conn, site.settings_once(conn):
        inbound_id = await _record_inbound(conn, contact, now)
        if inbound_id is None:
            replayed = await _replayed(conn, contact)
            if respond is None:
                return replayed
            answer = await respond(conn, _placed(contact, replayed))
            return dataclasses.replace(replayed, answer=answer)
        warnings = await _warnings(conn, contact)
        kind, value = identity_of(contact, options.region)
        customer = await customers.resolve_by_identity(
            conn, kind, value, name=contact.display_name, actor=INTAKE_ACTOR
        )
        keyword = await _apply_sms_keyword(conn, contact, customer)
        if contact.bounce_recipients:
            await customers.mark_emails_bouncing(conn, contact.bounce_recipients, now=now)
        placement = await _placement(conn, contact, customer, now=now, options=options)
        message_id = uuid4()
        appended = await store.append_inbound_message(
            conn,
            message_id=message_id,
            ticket_id=placement.ticket_id,
            inbound_id=inbound_id,
            channel=contact.channel,
            provider_id=contact.provider_id,
            from_address=value,
            to_address=contact.to_address,
            subject=contact.subject,
            text=contact.text,
            html=contact.html,
            attachments=contact.attachments,
            at=now,
            ticket_status=placement.status,
            rfc_message_id=contact.rfc_message_id,
            quoted=contact.quoted,
            warnings=warnings,
        )
        if contact.files:
            await inbound_store.insert_attachments(conn, message_id, contact.files)
        await _publish(conn, contact, customer, placement, message_id)
        ticket = placement.opened or appended
        await routing_link.route_ticket(conn, ticket, customer_name=customer.name, now=now)
        if placement.opened is not None:
            await _ticket_opened(conn, ticket, placement.classified, contact.automated, now=now)
        # Else (neither opened nor chosen) a survey's score, recorded by workflows: it stays.
        elif placement.previous_status is not None:
            await workflows.customer_wrote(
                conn,
                ticket,
                message_id,
                previous_status=placement.previous_status,
                now=now,
                automated=contact.automated,
            )
        acknowledged = False
        if keyword is Keyword.HELP:
            await automatic.answer_help(conn, contact, customer, ticket, value, options, now)
        elif placement.opened is not None and keyword is None:
            acknowledged = await automatic.acknowledge(
                conn, contact, customer, placement.opened, value, options, now
            )
        result = IntakeResult(
            ticket_id=placement.ticket_id,
            ticket_number=placement.number,
            message_id=message_id,
            customer_id=customer.id,
            opened_ticket=placement.opened is not None,
            created_customer=customer.created,
            replay=False,
            acknowledged=acknowledged,
        )
        if respond is not None:
            result = dataclasses.replace(
                result, answer=await respond(conn, _placed(contact, result))
            )
    # After commit, once per contact: where it went, without addresses or text.
    log.info(
        "%s contact -> ticket #%s: %s",
        contact.channel,
        placement.number,
        "new ticket" + (", acknowledged" if acknowledged else "")
        if placement.opened is not None
        else "appended to an existing ticket",
    )
    return result


def _placed(contact: InboundContact, result: IntakeResult) -> Placed:
    return Placed(
        contact=contact,
        ticket_id=result.ticket_id,
        ticket_number=result.ticket_number,
        message_id=result.message_id,
        customer_id=result.customer_id,
        opened_ticket=result.opened_ticket,
        replay=result.replay,
    )


async def _record_inbound(conn: Conn, contact: InboundContact, now: datetime) -> UUID | None:
    """The raw contact's row: a new one, or a kept-unplaced one this delivery can now place
    (adopted); None when the contact is already on a ticket (a replay)."""
    inbound_id = await inbound_store.insert_inbound(
        conn,
        channel=contact.channel,
        provider_id=contact.provider_id,
        payload=contact.payload,
        at=now,
        raw=contact.raw,
    )
    if inbound_id is not None:
        return inbound_id
    return await inbound_store.adopt_unplaced(
        conn,
        channel=contact.channel,
        provider_id=contact.provider_id,
        payload=contact.payload,
        raw=contact.raw,
    )


async def _placement(
    conn: Conn,
    contact: InboundContact,
    customer: ResolvedCustomer,
    *,
    now: datetime,
    options: IntakeOptions,
) -> Placement:
    referenced = await _referenced(conn, contact, customer)
    answered = await _survey_answer(conn, contact, customer, referenced, now=now)
    if answered is not None:
        ticket = await store.get_ticket(conn, answered.ticket_id)
        return Placement(ticket.id, ticket.number, ticket.status, opened=None)
    chosen, linked_to = await _place(conn, contact, customer, referenced, now=now, options=options)
    if chosen is not None:
        # A machine's mail (an out-of-office reply) is stored but reopens nothing (mail loops).
        status = chosen.status if contact.automated else threads.status_after_inbound(chosen.status)
        return Placement(
            chosen.id, chosen.number, status, opened=None, previous_status=chosen.status
        )
    classified = classify(
        contact.text, contact.subject, contact.to_address, rules=await classifier_rules(conn)
    )
    ticket = await _open_ticket(
        conn,
        contact,
        customer,
        classified=classified,
        linked_to=linked_to,
        now=now,
    )
    return Placement(ticket.id, ticket.number, ticket.status, opened=ticket, classified=classified)


async def _referenced(
    conn: Conn, contact: InboundContact, customer: ResolvedCustomer, *, by_number: bool = True
) -> TicketCandidate | None:
    """The ticket the contact names: by its thread, a reply token or (`by_number`) "#1234"."""
    number = contact.ticket_hint if by_number else None
    if not (contact.thread_refs or contact.reply_tokens or number is not None):
        return None
    return await store.find_referenced_ticket(
        conn,
        rfc_ids=contact.thread_refs,
        tokens=contact.reply_tokens,
        number=number,
        customer_id=customer.id,
    )


async def _survey_answer(
    conn: Conn,
    contact: InboundContact,
    customer: ResolvedCustomer,
    referenced: TicketCandidate | None,
    *,
    now: datetime,
) -> workflows.SurveyReply | None:
    """A survey's score, recorded, when the contact answers one: an SMS that names no other
    ticket, an email whose In-Reply-To/References (or reply token) point at the survey's
    thread; a subject's "[#1234]" alone does not make an email an answer."""
    named = bool(contact.thread_refs or contact.reply_tokens or contact.ticket_hint is not None)
    if contact.channel is Channel.EMAIL and contact.ticket_hint is not None:
        referenced = await _referenced(conn, contact, customer, by_number=False)
    return await workflows.survey_reply_for(
        conn,
        customer.id,
        contact.channel,
        contact.text,
        named=named,
        referenced=referenced.id if referenced is not None else None,
        now=now,
    )


async def _publish(
    conn: Conn,
    contact: InboundContact,
    customer: ResolvedCustomer,
    placement: Placement,
    message_id: UUID,
) -> None:
    """The live events of this intake, in the order they happened (the customer's own
    `customer.created` is published where the customer is made)."""
    events: list[tuple[Event, dict[str, Any]]] = []
    if placement.opened is not None:
        events.append(
            (
                Event.TICKET_OPENED,
                {
                    "ticket_id": placement.ticket_id,
                    "ticket_number": placement.number,
                    "customer_id": customer.id,
                    "kind": placement.opened.kind,
                    "priority": placement.opened.priority,
                    "channel": contact.channel,
                    "status": placement.opened.status,
                },
            )
        )
    events.append(
        (
            Event.MESSAGE_RECEIVED,
            {
                "ticket_id": placement.ticket_id,
                "ticket_number": placement.number,
                "customer_id": customer.id,
                "message_id": message_id,
                "channel": contact.channel,
                "opened": placement.opened is not None,
                "status": placement.status,
            },
        )
    )
    await live.publish_many(conn, events)


async def _place(
    conn: Conn,
    contact: InboundContact,
    customer: ResolvedCustomer,
    referenced: TicketCandidate | None,
    *,
    now: datetime,
    options: IntakeOptions,
) -> tuple[TicketCandidate | None, TicketCandidate | None]:
    """(ticket to append to, or None to open one; a closed ticket the new one follows up)."""
    if referenced is not None:
        followed = threads.follow_reference(
            referenced, now=now, reopen_window=options.reopen_window
        )
        return followed, (referenced if followed is None else None)
    key = _subject_key(contact)
    # Nothing to look through: a customer created just now, or an email without a subject.
    if customer.created or key == "":
        return None, None
    candidates = await store.list_candidates(conn, customer.id, subject_key=key)
    return threads.choose_ticket(contact, candidates, now=now, window=options.thread_window), None


async def _ticket_opened(
    conn: Conn,
    ticket: Ticket,
    classified: Classification | None,
    automated: str | None,
    *,
    now: datetime,
) -> None:
    """Start the new ticket's clocks and, for a complaint, its case with the classifier's
    confidence and matched phrases (the complaints address: confidence 1); a case opened by
    machine-sent mail thanks and surveys nobody."""
    if classified is None or classified.source is None:
        await workflows.ticket_opened(conn, ticket, source=None, now=now)
        return
    await workflows.ticket_opened(
        conn,
        ticket,
        source=classified.source,
        now=now,
        confidence=classified.confidence,
        matched=classified.matched,
        automated=automated,
    )


def _subject_key(contact: InboundContact) -> str | None:
    """An email's conversation subject; None for the channels that thread by time alone."""
    return threads.subject_key(contact.subject) if contact.channel is Channel.EMAIL else None


async def _open_ticket(
    conn: Conn,
    contact: InboundContact,
    customer: ResolvedCustomer,
    *,
    classified: Classification,
    linked_to: TicketCandidate | None,
    now: datetime,
) -> Ticket:
    kind = classified.kind
    priority = priority_for(key_account=customer.key_account, complaint=kind is Kind.COMPLAINT)
    ticket = await store.insert_ticket(
        conn,
        subject=threads.subject_for(contact),
        kind=kind,
        priority=priority,
        customer_id=customer.id,
        organization_id=customer.organization_id,
        channel=contact.channel,
        queue=await routing.queue_for_kind(conn, kind.value),
        at=now,
        status=Status.NEW,
        linked_ticket_id=linked_to.id if linked_to else None,
        subject_key=_subject_key(contact) or "",
    )
    await audit.record_change(
        conn,
        INTAKE_ACTOR,
        "ticket",
        ticket.id,
        "opened",
        after={
            "number": ticket.number,
            "customer_id": str(customer.id),
            "channel": str(contact.channel),
            "kind": str(kind),
            "priority": str(priority),
            "linked_ticket_id": str(linked_to.id) if linked_to else None,
            "confidence": classified.confidence,
            "matched": list(classified.matched),
        },
        at=now,
    )
    return ticket


async def _apply_sms_keyword(
    conn: Conn, contact: InboundContact, customer: ResolvedCustomer
) -> Keyword | None:
    """STOP/START from a phone set or clear the customer's SMS opt-out (carrier rules)."""
    if contact.channel is not Channel.SMS:
        return None
    keyword = customers.sms_keyword(contact.text)
    if keyword is Keyword.STOP and not customer.sms_opted_out:
        await customers.set_sms_opt_out(conn, INTAKE_ACTOR, customer.id, True)
    elif keyword is Keyword.START and customer.sms_opted_out:
        await customers.set_sms_opt_out(conn, INTAKE_ACTOR, customer.id, False)
    return keyword


async def _warnings(conn: Conn, contact: InboundContact) -> list[str]:
    """The adapter's warnings, and one when a different message already came with this
    Message-ID: it is stored as its own message, and agents should know why."""
    if not contact.rfc_message_id:
        return contact.warnings
    earlier = await inbound_store.find_earlier_message_id(
        conn,
        rfc_message_id=contact.rfc_message_id,
        channel=contact.channel,
        to_address=contact.to_address,
    )
    if earlier is None:
        return contact.warnings
    log.warning(
        "%s to %s reuses Message-ID %s of a different message on ticket #%s: stored as a new one",
        contact.channel,
        contact.to_address,
        contact.rfc_message_id,
        earlier,
    )
    return [
        *contact.warnings,
        f"A different message with the same Message-ID arrived earlier (ticket #{earlier}); "
        "the sender's mail program reuses Message-IDs, so this one is kept as its own message.",
    ]


async def _replayed(conn: Conn, contact: InboundContact) -> IntakeResult:
    found = await inbound_store.find_inbound_result(conn, contact.channel, contact.provider_id)
    if found is None:
        # Only reachable if the raw row vanished between the two statements above.
        raise LookupError(f"{contact.channel} {contact.provider_id} was stored without a message")
    log.info(
        "%s contact %s was stored before (ticket #%s): a redelivery, nothing changed",
        contact.channel,
        contact.provider_id,
        found["number"],
    )
    return IntakeResult(
        ticket_id=found["ticket_id"],
        ticket_number=found["number"],
        message_id=found["message_id"],
        customer_id=found["customer_id"],
        opened_ticket=False,
        created_customer=False,
        replay=True,
    )


async def keep_unparsed(
    pool: Pool, *, channel: Channel, provider_id: str, raw: bytes, error: str, now: datetime
) -> bool:
    """Store a contact that could not be parsed, raw, with its error, for an agent to look at.

    Returns False when this provider id was already stored (a retry).
    """
    async with transaction(pool) as conn:
        stored = await inbound_store.insert_inbound(
            conn,
            channel=channel,
            provider_id=provider_id,
            payload={},
            at=now,
            raw=raw.replace(b"\x00", b""),
            parse_error=error[:2000],
        )
    return stored is not None
