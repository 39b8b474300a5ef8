"""Normalizing phones to E.164 and emails to lower case. Pure."""

import functools
import re

import phonenumbers

from contact_center.errors import Invalid

# Deliberately simple: the part before @ free of spaces and @, a dotted domain after it.
EMAIL = re.compile(
    r"^[^@\s<>()\[\],;:\"]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$"
)


def normalize_phone(raw: str, region: str, *, field: str = "phone") -> str:
    """E.164 form of a phone written in any common way; numbers without a country code are
    read in `region`. Raises Invalid naming `field` when it is not a possible number."""
    text = raw.strip()
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        raise Invalid(f"not a phone number: {raw!r}", field=field) from None
    if not phonenumbers.is_possible_number(number) or not phonenumbers.is_valid_number(number):
        raise Invalid(f"not a valid phone number: {raw!r}", field=field)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@functools.lru_cache(maxsize=8192)
def phone_or_none(raw: str, region: str) -> str | None:
    """E.164, or None when not a valid number. Cached: every inbound SMS and call asks."""
    try:
        return normalize_phone(raw, region)
    except Invalid:
        return None


def normalize_email(raw: str, *, field: str = "email") -> str:
    value = raw.strip().lower()
    if len(value) > 254 or not EMAIL.match(value):
        raise Invalid(f"not a valid email address: {raw!r}", field=field)
    return value
