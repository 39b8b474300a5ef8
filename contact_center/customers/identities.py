"""Normalizing phones to E.164 and emails to lower case. Pure."""

import functools

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from contact_center.errors import Invalid

# RFC 5321 allows 64 + 1 + 255 characters; longer input is refused before it is parsed.
MAX_EMAIL_CHARS = 320


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


def display_phone(e164: str) -> str:
    """A stored number as people read it (`+86 139 0021 7788`); the value itself if unparsable."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


# What takes an SMS: a mobile, or a number whose plan cannot tell mobile from landline (as in
# North America, where a landline would then fail at the provider, not here).
SMS_TYPES = frozenset(
    {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}
)


def takes_sms(e164: str) -> bool:
    """Whether a stored number can take an SMS (a mobile, or a number that may be one)."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.number_type(number) in SMS_TYPES


def normalize_email(raw: str, *, field: str = "email") -> str:
    """An address our mailer can send to, lower-cased, its domain in ASCII (IDNA), or Invalid.

    One local part without quotes, spaces or control characters, one domain with a dot and no
    IP literal: an address that becomes an identity is one that an answer can reach.
    """
    value = raw.strip()
    if len(value) > MAX_EMAIL_CHARS:
        raise Invalid(f"not a valid email address: {value[:40]!r}… is too long", field=field)
    try:
        # `.test` (RFC 2606) is kept, as `.example` is: test setups and their tools use it.
        checked = validate_email(value, check_deliverability=False, test_environment=True)
    except EmailNotValidError as exc:
        raise Invalid(f"not a valid email address: {raw!r} ({exc})", field=field) from None
    if "." not in checked.ascii_domain:  # `test_environment` would let a bare `@test` in
        raise Invalid(f"not a valid email address: {raw!r} (no dot in the domain)", field=field)
    return f"{checked.local_part}@{checked.ascii_domain}".lower()


def email_or_none(raw: str) -> str | None:
    """normalize_email, or None when `raw` is not an address an answer could reach."""
    try:
        return normalize_email(raw)
    except Invalid:
        return None
