"""Reading the ticket search box: a ticket number, a customer's phone or email, or words. Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass

from contact_center.customers.identities import email_or_none, phone_or_none
from contact_center.customers.model import IdentityKind

TICKET_REFERENCE = re.compile(r"^#(\d{1,12})$")
PHONE_LIKE = re.compile(r"^\+?[\d\s().\-]{7,}$")


@dataclass(frozen=True)
class TicketQuery:
    """What a search goes straight to: one ticket's number, one customer's tickets, or words.

    Words (and bare numbers, which every ticket's own number is indexed as) go to the
    full-text index; none of these is ever combined with another in one OR.
    """

    number: int | None = None
    identity: tuple[IdentityKind, str] | None = None
    text: str | None = None


def read_ticket_query(q: str | None, region: str) -> TicketQuery:
    text = (q or "").strip()
    if not text:
        return TicketQuery()
    if reference := TICKET_REFERENCE.match(text):
        return TicketQuery(number=int(reference.group(1)))
    if "@" in text and " " not in text and (email := email_or_none(text)):
        return TicketQuery(identity=(IdentityKind.EMAIL, email))
    if PHONE_LIKE.match(text) and (phone := phone_or_none(text, region)):
        return TicketQuery(identity=(IdentityKind.PHONE, phone))
    return TicketQuery(text=text)
