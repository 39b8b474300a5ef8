"""Reading a search box query: a name, a phone in any format, an email or a ticket number. Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass

from contact_center.customers.identities import phone_or_none
from contact_center.db.like import contains_pattern

TICKET_NUMBER = re.compile(r"^#?(\d{1,12})$")


@dataclass(frozen=True)
class CustomerQuery:
    pattern: str | None  # ILIKE pattern for names and identity values
    exact_values: list[str]  # normalized phone/email to match exactly
    ticket_number: int | None


def read_query(q: str | None, region: str) -> CustomerQuery:
    text = (q or "").strip()
    if not text:
        return CustomerQuery(pattern=None, exact_values=[], ticket_number=None)
    exact = [text.lower()] if "@" in text else []
    phone = phone_or_none(text, region)
    if phone:
        exact.append(phone)
    digits = re.sub(r"\D", "", text)
    # "555 0134" should still find +15550134...: match the digits inside the stored E.164 value.
    fragment = digits if len(digits) >= 4 and re.fullmatch(r"[\d\s()+.\-]+", text) else text
    number = TICKET_NUMBER.match(text)
    return CustomerQuery(
        pattern=contains_pattern(fragment),
        exact_values=exact,
        ticket_number=int(number.group(1)) if number else None,
    )
