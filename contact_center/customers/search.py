"""Reading a search box query: a name, a phone in any format, an email, a ticket number or
words written on the customer's tickets. Pure.

Each reading goes to its own index (identities by exact value, phones by their last digits,
emails by their beginning, ticket number, name words, ticket words), so no search reads every
customer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from contact_center.customers.identities import email_or_none, phone_or_none

TICKET_NUMBER = re.compile(r"^#?(\d{1,12})$")
PHONE_FRAGMENT = re.compile(r"[\d\s()+.\-]+")
MIN_NATIONAL_DIGITS = 7
CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


@dataclass(frozen=True)
class CustomerQuery:
    phone_ending: str | None = None  # the last digits of a phone ("555 0134")
    email_start: str | None = None  # the beginning of an email ("rowan@")
    phones: list[str] = field(default_factory=list)  # E.164 numbers to match exactly
    emails: list[str] = field(default_factory=list)  # lower-cased emails to match exactly
    ticket_number: int | None = None
    name: str | None = None  # words that start words of the name (the name index)
    words: str | None = None  # words of the customer's tickets (the tickets' full-text index)

    @property
    def empty(self) -> bool:
        return self == CustomerQuery()


def read_query(q: str | None, region: str) -> CustomerQuery:
    text = (q or "").strip()
    if not text:
        return CustomerQuery()
    emails = [text.lower()] if "@" in text else []
    phone = phone_or_none(text, region)
    digits = phone_digits(text)
    # "555 0134" should still find +15550134...: match the digits inside the stored E.164 value.
    phone_fragment = len(digits) >= 4 and PHONE_FRAGMENT.fullmatch(text) is not None
    # A whole phone or email goes to the exact index only; a part of one to an index of the
    # phones' endings or the emails' beginnings.
    whole = bool(phone) or (bool(emails) and email_or_none(text) is not None)
    number = TICKET_NUMBER.match(text)
    words = None if phone_fragment or emails or number else text
    return CustomerQuery(
        phone_ending=digits if phone_fragment and not whole else None,
        email_start=text.lower() if emails and not whole else None,
        phones=[phone] if phone else [],
        emails=emails,
        ticket_number=int(number.group(1)) if number else None,
        name=name_words(words) if words else None,
        words=words,
    )


def name_words(text: str) -> str:
    """A name query in which each Chinese character stands alone: names are written with and
    without a space between family and given name (`李伟`, `李 伟`), and the name index holds
    every character of a name, so the characters find it either way."""
    return CJK_RUN.sub(lambda run: " " + " ".join(run.group()) + " ", text).strip()


def phone_digits(text: str) -> str:
    """The digits to find at the end of a stored E.164 number.

    A national number written with its trunk prefix (`013800138000`, `(010) 6552 9988`) or an
    international one with `00` (`0086 138 0013 8000`) is stored without those zeros, and a
    full number is long enough that dropping them still names one phone. A short fragment
    (`0134`) keeps its zeros: they are digits of the number.
    """
    digits = re.sub(r"\D", "", text)
    national = digits.lstrip("0")
    return national if len(national) >= MIN_NATIONAL_DIGITS else digits
