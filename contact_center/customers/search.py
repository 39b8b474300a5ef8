"""Reading a search box query: a name, a phone in any format, an email or a ticket number. Pure.

Each reading goes to its own index (identities by exact value, identities by substring, ticket
number, name words), so no search reads every customer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from contact_center.customers.identities import normalize_email, phone_or_none
from contact_center.db.like import contains_pattern
from contact_center.errors import Invalid

TICKET_NUMBER = re.compile(r"^#?(\d{1,12})$")
PHONE_FRAGMENT = re.compile(r"[\d\s()+.\-]+")


@dataclass(frozen=True)
class CustomerQuery:
    pattern: str | None = None  # ILIKE pattern for identity values (digits of a phone, an email)
    phones: list[str] = field(default_factory=list)  # E.164 numbers to match exactly
    emails: list[str] = field(default_factory=list)  # lower-cased emails to match exactly
    ticket_number: int | None = None
    name: str | None = None  # words that start words of the name (the name index)

    @property
    def empty(self) -> bool:
        return self == CustomerQuery()


def _whole_email(text: str) -> bool:
    try:
        normalize_email(text)
    except Invalid:
        return False
    return True


def read_query(q: str | None, region: str) -> CustomerQuery:
    text = (q or "").strip()
    if not text:
        return CustomerQuery()
    emails = [text.lower()] if "@" in text else []
    phone = phone_or_none(text, region)
    digits = re.sub(r"\D", "", text)
    # "555 0134" should still find +15550134...: match the digits inside the stored E.164 value.
    phone_fragment = len(digits) >= 4 and PHONE_FRAGMENT.fullmatch(text) is not None
    # A whole phone or email goes to the exact index only; a part of one to the substring index.
    if phone:
        pattern: str | None = None
    elif phone_fragment:
        pattern = contains_pattern(digits)
    elif emails and not _whole_email(text):
        pattern = contains_pattern(text)
    else:
        pattern = None
    number = TICKET_NUMBER.match(text)
    return CustomerQuery(
        pattern=pattern,
        phones=[phone] if phone else [],
        emails=emails,
        ticket_number=int(number.group(1)) if number else None,
        name=None if phone_fragment or emails else text,
    )
