"""Phone numbers and email addresses as they may appear in logs: enough to tell them apart,
not enough to contact anyone. Pure."""

from __future__ import annotations

import re

# Anything that looks like an email address or a phone number inside free text.
EMAIL_LIKE = re.compile(r"[^\s<>'\"(),;:]*@[\w.-]+")
PHONE_LIKE = re.compile(r"\+\d[\d\s().-]{6,}\d|\b\d{10,}\b")


def mask(address: str) -> str:
    """`+12025550143` → `+1202*****43`; `rowan.hale@example.org` → `ro***@example.org`."""
    if "@" in address:
        local, _, domain = address.rpartition("@")
        return f"{local[:2]}***@{domain}"
    if len(address) <= 6:
        return "*" * len(address)
    return address[:5] + "*" * (len(address) - 7) + address[-2:]


def mask_text(text: str) -> str:
    """A provider's error message with every address and number in it masked."""
    text = EMAIL_LIKE.sub(lambda m: mask(m.group()), text)
    return PHONE_LIKE.sub(lambda m: mask(m.group()), text)
