"""Care messages as values: segments, broadcasts, their figures, and why a customer got none."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any
from uuid import UUID


class Skip(StrEnum):
    """Why a customer got no care message; spelled as the SQL CHECKs of 0040."""

    OPTED_OUT = "opted_out"  # sent STOP and has no other address
    CARE_OPTED_OUT = "care_opted_out"  # asked for no care messages (the card's flag)
    NO_ADDRESS = "no_address"  # no mobile number or email to reach them on
    CANCELLED = "cancelled"  # the broadcast was cancelled before their turn
    # Not the customer's doing: only SMS reaches them and the site has no SMS number to send
    # from (TWILIO_FROM_NUMBER). Never stored as a skip: the message waits for a later run.
    NO_SENDER = "no_sender"


# The skips a broadcast recipient row may hold (NO_SENDER waits in `held` instead).
STORED_SKIPS = frozenset(Skip) - {Skip.NO_SENDER}


class BroadcastState(StrEnum):
    SENDING = "sending"
    DONE = "done"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Segment:
    """Who a broadcast goes to. Each list given narrows the set (criteria combine with AND;
    values within one list with OR); an empty list does not narrow."""

    tiers: tuple[str, ...] = ()
    territories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()  # the customer's or its account's tags
    stages: tuple[str, ...] = ()  # lifecycle stages
    key_accounts_only: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "tiers": list(self.tiers),
            "territories": list(self.territories),
            "tags": list(self.tags),
            "stages": list(self.stages),
            "key_accounts_only": self.key_accounts_only,
        }


@dataclass(frozen=True)
class Reachable:
    """What the store knows about a customer to address a care message."""

    customer_id: UUID
    name: str
    language: str
    preferred_channel: str | None
    phones: tuple[str, ...]
    emails: tuple[str, ...]
    sms_opted_out: bool
    care_opted_out: bool
    birthday: date | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Address:
    channel: str  # sms | email
    to: str


@dataclass(frozen=True)
class Preview:
    count: int
    reachable: int
    opted_out: int  # sent STOP and have no other address
    no_address: int
    no_sender: int = 0  # reachable only by SMS, and no SMS number is configured
    care_opted_out: int = 0  # asked for no care messages (the card's flag)


@dataclass(frozen=True)
class Broadcast:
    id: UUID
    name: str  # the staff's label; never sent
    segment: Segment
    body_en: str
    body_zh: str
    subject_en: str  # the email subject, per language
    subject_zh: str
    channel: str | None
    state: BroadcastState
    created_by: UUID | None
    created_at: datetime
    next_batch_at: datetime
    finished_at: datetime | None
    figures: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Greeting:
    """A greeting due to one customer: the occasion key makes it once per occasion."""

    customer: Reachable
    occasion: str  # birthday:2027 | holiday:2027-02-17
    holiday: str = ""  # the holiday's name, for a holiday greeting
