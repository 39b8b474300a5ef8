"""Reading a search box query: a name, a phone in any format, an email or a ticket number. Pure.

Each reading goes to its own index (identities by exact value, phones by their last digits,
emails by their beginning, ticket number, name words), so no search reads every customer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from contact_center.customers.identities import email_or_none, phone_or_none

TICKET_NUMBER = re.compile(r"^#?(\d{1,12})$")
PHONE_FRAGMENT = re.compile(r"[\d\s()+.\-]+")


@dataclass(frozen=True)
class CustomerQuery:
    phone_ending: str | None = None  # the last digits of a phone ("555 0134")
    email_start: str | None = None  # the beginning of an email ("rowan@")
    phones: list[str] = field(default_factory=list)  # E.164 numbers to match exactly
    emails: list[str] = field(default_factory=list)  # lower-cased emails to match exactly
    ticket_number: int | None = None
    name: str | None = None  # words that start words of the name (the name index)

    @property
    def empty(self) -> bool:
        return self == CustomerQuery()


def read_query(q: str | None, region: str) -> CustomerQuery:
    text = (q or "").strip()
    if not text:
        return CustomerQuery()
    emails = [text.lower()] if "@" in text else []
    phone = phone_or_none(text, region)
    digits = re.sub(r"\D", "", text)
    # "555 0134" should still find +15550134...: match the digits inside the stored E.164 value.
    phone_fragment = len(digits) >= 4 and PHONE_FRAGMENT.fullmatch(text) is not None
    # A whole phone or email goes to the exact index only; a part of one to an index of the
    # phones' endings or the emails' beginnings.
    whole = bool(phone) or (bool(emails) and email_or_none(text) is not None)
    number = TICKET_NUMBER.match(text)
    return CustomerQuery(
        phone_ending=digits if phone_fragment and not whole else None,
        email_start=text.lower() if emails and not whole else None,
        phones=[phone] if phone else [],
        emails=emails,
        ticket_number=int(number.group(1)) if number else None,
        name=None if phone_fragment or emails or number else text,
    )
