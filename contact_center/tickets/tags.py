"""Ticket tags as agents type them, made comparable: trimmed, lower-case, no repeats."""

from __future__ import annotations

from collections.abc import Iterable

MAX_TAG_LENGTH = 50
MAX_TAGS = 20


def normalize_tags(raw: Iterable[str]) -> list[str]:
    """Tags in the order first given, each trimmed, lower-cased, inner spaces collapsed and cut
    to MAX_TAG_LENGTH characters; empty ones and repeats dropped, at most MAX_TAGS kept."""
    found: list[str] = []
    for value in raw:
        tag = " ".join(value.replace("\x00", "").split()).lower()[:MAX_TAG_LENGTH].strip()
        if tag and tag not in found:
            found.append(tag)
    return found[:MAX_TAGS]
