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


# Fields of the account part of a card, shared by organizations and customers.
ACCOUNT_FIELDS = (
    "area",
    "company_size",
    "potential",
    "business_status",
    "transaction_status",
    "address",
    "notes",
    "tags",
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
    *ACCOUNT_FIELDS,
)
ORGANIZATION_FIELDS = ("name", *ACCOUNT_FIELDS)


@dataclass(frozen=True)
class Identity:
    id: UUID
    kind: IdentityKind
    value: str
    bouncing_since: datetime | None = None  # mail to this address bounced since then


@dataclass(frozen=True)
class Customer:
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
    tier: str | None
    is_key_account: bool
    account_manager_id: UUID | None
    route_territory: str
    route_weekday: int | None
    latitude: float | None
    longitude: float | None
    lifecycle_stage: str
    sms_opted_out: bool
    merged_into_id: UUID | None
    created_at: datetime
    updated_at: datetime
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
        """A short digest of everything an edit form shows (fields, phones, emails): an editor
        sends back the version it was opened at, and a card changed since is not overwritten."""
        shown = {**self.card(), "phones": self.phones, "emails": self.emails}
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

    def card(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in ORGANIZATION_FIELDS}


@dataclass(frozen=True)
class NewCustomer:
    """A customer to create: card fields plus raw phones and emails (normalized on create)."""

    name: str
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    fields: dict[str, Any] = field(default_factory=dict)


# The rule of a customer's account lives in SQL, in the functions cc_account_key and
# cc_account_tier of migration 0025: the triggers that copy each ticket's account onto the
# ticket call them too, so the rule is written once. These fragments only name the columns.
def account_key_sql(customer: str, organization: str) -> str:
    """The one rule for "key account", in SQL: the customer is one, or its organization is.
    `customer` and `organization` are the aliases of the joined rows (organization may be NULL)."""
    return f"cc_account_key({customer}.is_key_account, {organization}.is_key_account)"


def account_tier_sql(customer: str, organization: str) -> str:
    """A customer's tier, in SQL: its own, else its organization's."""
    return f"cc_account_tier({customer}.tier, {organization}.tier)"


@dataclass(frozen=True)
class Account:
    """The account a customer belongs to, as routing, tiering and visits read it
    (`customers.account_of`)."""

    organization_id: UUID | None
    tier: str | None
    key_account: bool
    account_manager_id: UUID | None
    route_territory: str
    route_weekday: int | None
    latitude: float | None
    longitude: float | None
    lifecycle_stage: str


@dataclass(frozen=True)
class AccountFacts:
    """A customer's account as the console shows it, and which facts its organization gave."""

    tier: str | None
    key_account: bool
    account_manager_id: UUID | None
    route_territory: str
    route_weekday: int | None
    tier_inherited: bool
    manager_inherited: bool
    route_inherited: bool


def account_facts(customer: Customer, organization: Organization | None) -> AccountFacts:
    """The organization's tier, account manager and route stand in for those the customer's
    card lacks; either one being a key account makes the customer one (the SQL side of the
    same rule is `cc_account_tier` / `cc_account_key`, migration 0025)."""
    org = organization
    own_route = bool(customer.route_territory or customer.route_weekday is not None)
    route_from: Customer | Organization = customer if own_route or org is None else org
    manager_id = customer.account_manager_id or (org.account_manager_id if org else None)
    return AccountFacts(
        tier=customer.tier or (org.tier if org else None),
        key_account=customer.is_key_account or bool(org and org.is_key_account),
        account_manager_id=manager_id,
        route_territory=route_from.route_territory,
        route_weekday=route_from.route_weekday,
        tier_inherited=not customer.tier and bool(org and org.tier),
        manager_inherited=manager_id is not None and not customer.account_manager_id,
        route_inherited=route_from is not customer,
    )
