"""Canned replies: shared answers agents pick in the composer, and how their variables fill."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID


class CannedChannel(StrEnum):
    ANY = "any"
    SMS = "sms"
    EMAIL = "email"


@dataclass(frozen=True)
class CannedReply:
    id: UUID
    title: str
    body: str
    channel: CannedChannel
    language: str
    created_by: UUID | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class Rendered:
    text: str
    unknown: list[str]  # variables with no value, left visible in `text` for the agent to fix


CANNED_FIELDS = ("title", "body", "channel", "language")
VARIABLES = ("customer_name", "ticket_number", "agent_name")
# `{name}` only: a brace that does not wrap a plain name is ordinary text, left as written.
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]{0,40})\}")


def render(body: str, values: dict[str, Any]) -> Rendered:
    """Fill `{customer_name}`, `{ticket_number}`, `{agent_name}` (or any key of `values`).
    A variable with no value stays as written and is reported; nothing here raises."""
    unknown: list[str] = []

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        value = values.get(name)
        if value is None or value == "":
            if name not in unknown:
                unknown.append(name)
            return match.group(0)
        return str(value)

    return Rendered(PLACEHOLDER.sub(fill, body), unknown)
