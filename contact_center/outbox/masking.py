"""Phone numbers and email addresses as they may appear in logs: enough to tell them apart,
not enough to contact anyone. Pure."""

from __future__ import annotations


def mask(address: str) -> str:
    """`+12025550143` → `+1202*****43`; `rowan.hale@example.org` → `ro***@example.org`."""
    if "@" in address:
        local, _, domain = address.rpartition("@")
        return f"{local[:2]}***@{domain}"
    if len(address) <= 6:
        return "*" * len(address)
    return address[:5] + "*" * (len(address) - 7) + address[-2:]
