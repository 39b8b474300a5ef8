"""What the ticket page reads: the merged timeline, and the summary of the ticket's customer
for the info card beside it."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from contact_center import audit, customers, users, workflows
from contact_center.db import Pool
from contact_center.errors import NotFound
from contact_center.tickets import inbound_store, reply_store, timeline_store
from contact_center.tickets.mail_view import INLINE_TYPES, MAX_INLINE_BYTES, mail_document
from contact_center.tickets.model import Channel, Ticket
from contact_center.tickets.service import get_ticket
from contact_center.tickets.timeline_merge import TimelineItem, merge_timeline
from contact_center.timeutil import utc_now
from contact_center.workflows.risk import AtRisk


@dataclass(frozen=True)
class Timeline:
    ticket: Ticket
    items: list[TimelineItem]


@dataclass(frozen=True)
class Person:
    id: UUID
    name: str


@dataclass(frozen=True)
class OpenComplaint:
    id: UUID
    number: int
    subject: str
    status: str
    priority: str
    created_at: datetime


@dataclass(frozen=True)
class LastContact:
    message_id: UUID
    ticket_id: UUID
    ticket_number: int
    channel: str
    direction: str
    at: datetime
    subject: str


@dataclass(frozen=True)
class CustomerSummary:
    """The info card's facts about one customer, in one answer."""

    id: UUID
    name: str
    phones: list[str]
    emails: list[str]
    language: str
    preferred_channel: str | None
    sms_opted_out: bool
    organization: Person | None
    tier: str | None  # the account's: the organization's, or the personal account's
    key_account: bool
    account_manager: Person | None
    route_territory: str
    route_weekday: int | None  # 1 = Monday … 7 = Sunday
    birthday: date | None
    preferences: str
    tags: list[str]
    open_complaints: list[OpenComplaint]
    last_contacts: list[LastContact]
    # The account's complaints within the at-risk window when there are enough (else None).
    at_risk: AtRisk | None = None


async def user_names(pool: Pool) -> dict[str, str]:
    """Staff names by user id (as text), for labelling who did what."""
    return {str(u.id): u.name or u.email for u in await users.list_users(pool)}


async def get_timeline(pool: Pool, ticket_id: UUID) -> Timeline:
    """The ticket's messages (with delivery state and files), notes and system events from
    the audit trail, oldest first."""
    ticket, messages = await get_ticket(pool, ticket_id)
    async with pool.acquire() as conn:
        entries = await audit.list_entries(conn, "ticket", [str(ticket_id)])
    names = await user_names(pool) if any(e.action == "updated" for e in entries) else {}
    return Timeline(ticket, merge_timeline(messages, entries, names))


async def customer_summary(
    pool: Pool, customer_id: UUID, *, contacts: int = 10, now: datetime | None = None
) -> CustomerSummary:
    """Identity, account (tier, key account, manager, route), personal facts, open complaints,
    the latest `contacts` messages across all of the customer's tickets, and whether the
    account is at risk (enough complaints lately)."""
    async with pool.acquire() as conn:
        customer = await customers.load_customer(conn, customer_id)
        complaints = await timeline_store.list_open_complaints(conn, customer_id, 20)
        latest = await timeline_store.list_last_contacts(conn, customer_id, contacts)
        account_id = customer.account.organization_id
        risks = await workflows.accounts_risk(conn, [account_id], now=now or utc_now())
    account = customer.account  # read with the card, as customers.account_of reads it
    manager = None
    if account.account_manager_id is not None:
        manager = Person(
            account.account_manager_id, await _staff_name(pool, account.account_manager_id)
        )
    return CustomerSummary(
        id=customer.id,
        name=customer.name,
        phones=customer.phones,
        emails=customer.emails,
        language=customer.language,
        preferred_channel=customer.preferred_channel,
        sms_opted_out=customer.sms_opted_out,
        organization=None if account.personal else Person(account.organization_id, account.name),
        tier=account.tier,
        key_account=account.key_account,
        account_manager=manager,
        route_territory=account.route_territory,
        route_weekday=account.route_weekday,
        birthday=customer.birthday,
        preferences=customer.preferences,
        tags=customer.tags,
        open_complaints=[OpenComplaint(**_pick(c, OpenComplaint)) for c in complaints],
        last_contacts=[LastContact(**_pick(c, LastContact)) for c in latest],
        at_risk=risks.get(account_id),
    )


async def _staff_name(pool: Pool, user_id: UUID) -> str:
    try:
        user = await users.get_user(pool, user_id)
    except NotFound:
        return ""
    return user.name or user.email


def _pick(row: dict[str, Any], cls: type) -> dict[str, Any]:
    return {f.name: row[f.name] for f in dataclasses.fields(cls)}


async def mail_html(pool: Pool, ticket_id: UUID, message_id: UUID) -> str:
    """An email of this ticket as a standalone HTML document, its inline images embedded.
    NotFound for a message of another ticket or one that is not an email."""
    async with pool.acquire() as conn:
        message = await reply_store.get_on_ticket(conn, ticket_id, message_id)
        if message.channel is not Channel.EMAIL:
            raise NotFound("no such mail on this ticket", field="message_id")
        files = (await inbound_store.list_files(conn, [message.id])).get(message.id, [])
        inline = {}
        for file in files:
            if (
                file["content_id"]
                and file["content_type"] in INLINE_TYPES
                and file["size"] <= MAX_INLINE_BYTES
            ):
                stored = await inbound_store.get_attachment(conn, file["id"])
                inline[file["content_id"]] = (file["content_type"], bytes(stored["content"]))
    return mail_document(message.body_html, inline)
