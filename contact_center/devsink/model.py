"""What the development sink keeps of one message it was given to "send"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID


@dataclass(frozen=True)
class SinkEntry:
    id: UUID
    outbound_id: UUID
    ticket_id: UUID | None  # None: a message of no ticket (reminder, greeting, broadcast)
    channel: str
    from_address: str
    to_address: str
    subject: str
    body_text: str
    headers: dict[str, Any]
    received_at: datetime
    purpose: str = "ticket"
