"""Customer info cards, organizations and identities as values."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any
from uuid import UUID


class IdentityKind(StrEnum):
    PHONE = "phone"
    EMAIL = "email"


class Tier(StrEnum):
    A = "A"
    B = "B"
    C = "C"


class LifecycleStage(StrEnum):
    PROSPECT = "prospect"
    CUSTOMER = "customer"
    DORMANT = "dormant"
    LOST = "lost"


# Facts a card tells about a customer or an organization; each keeps its own.
CARD_FIELDS = (
    "area",
    "company_size",
    "potential",
    "business_status",
    "transaction_status",
    "address",
    "notes",
    "tags",
)
# The account's facts: they belong to the account (an organization, or a customer's personal
# account) and never to a customer (docs/architecture.md, "Accounts").
ACCOUNT_FIELDS = (
    "tier",
    "is_key_account",
    "account_manager_id",
    "route_territory",
    "route_weekday",
    "latitude",
    "longitude",
    "lifecycle_stage",
)
CUSTOMER_FIELDS = (
    "name",
    "organization_id",
    "job_title",
    "birthday",
    "preferences",
    "preferred_channel",
    "language",
    *CARD_FIELDS,
)
ORGANIZATION_FIELDS = ("name", *CARD_FIELDS, *ACCOUNT_FIELDS)


@dataclass(frozen=True)
class Account:
    """The account a customer belongs to, as routing, tiering, visits and every screen read it
    (`customers.account_of`). `organization_id` is the account's own row: the organization, or
    the customer's personal account (`personal`, named after the customer)."""

    organization_id: UUID
    tier: str | None
    key_account: bool
    account_manager_id: UUID | None
    route_territory: str
    route_weekday: int | None
    latitude: float | None
    longitude: float | None
    lifecycle_stage: str
    personal: bool = False
    name: str = ""

    def fields(self) -> dict[str, Any]:
        """The account's editable facts under their organization column names."""
        return {
            "tier": self.tier,
            "is_key_account": self.key_account,
            "account_manager_id": self.account_manager_id,
            "route_territory": self.route_territory,
            "route_weekday": self.route_weekday,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "lifecycle_stage": self.lifecycle_stage,
        }


@dataclass(frozen=True)
class Identity:
    id: UUID
    kind: IdentityKind
    value: str
    bouncing_since: datetime | None = None  # mail to this address bounced since then


@dataclass(frozen=True)
class Customer:
    """A person's info card. `organization_id` names the real organization the customer belongs
    to (None for a customer with a personal account); `account` is the account either way."""

    id: UUID
    name: str
    organization_id: UUID | None
    job_title: str
    address: str
    area: str
    company_size: str
    potential: str
    business_status: str
    transaction_status: str
    birthday: date | None
    preferences: str
    preferred_channel: str | None
    language: str
    notes: str
    tags: list[str]
    sms_opted_out: bool
    merged_into_id: UUID | None
    created_at: datetime
    updated_at: datetime
    account: Account
    identities: list[Identity] = field(default_factory=list)

    @property
    def phones(self) -> list[str]:
        return [i.value for i in self.identities if i.kind is IdentityKind.PHONE]

    @property
    def emails(self) -> list[str]:
        return [i.value for i in self.identities if i.kind is IdentityKind.EMAIL]

    def card(self) -> dict[str, Any]:
        """The editable fields, as stored; used for audit before/after."""
        return {name: getattr(self, name) for name in CUSTOMER_FIELDS}

    def version(self) -> str:
        """A short digest of everything an edit form shows (fields, phones, emails, the account's
        facts): an editor sends back the version it was opened at, and a card changed since is
        not overwritten."""
        shown = {
            **self.card(),
            "phones": self.phones,
            "emails": self.emails,
            "account": self.account.fields(),
        }
        text = json.dumps(shown, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Organization:
    id: UUID
    name: str
    area: str
    company_size: str
    potential: str
    business_status: str
    transaction_status: str
    address: str
    notes: str
    tags: list[str]
    tier: str | None
    is_key_account: bool
    account_manager_id: UUID | None
    route_territory: str
    route_weekday: int | None
    latitude: float | None
    longitude: float | None
    lifecycle_stage: str
    created_at: datetime
    updated_at: datetime
    personal: bool = False

    def card(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in ORGANIZATION_FIELDS}


@dataclass(frozen=True)
class NewCustomer:
    """A customer to create: card fields plus raw phones and emails (normalized on create)."""

    name: str
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    fields: dict[str, Any] = field(default_factory=dict)
