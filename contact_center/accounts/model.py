"""Account economics as values: value entries, tier moves and overrides, lifecycle, health
figures, and account tasks. (The account's own row, the organization, belongs to customers.)"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from uuid import UUID


class TaskKind(StrEnum):
    ASSIGN_MANAGER = "assign_manager"  # a new key account has no account manager yet
    REACTIVATE = "reactivate"  # a key account went dormant: its manager wins it back


class TaskState(StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class AccountTask:
    id: UUID
    organization_id: UUID
    kind: TaskKind
    assignee_id: UUID | None  # None: any supervisor
    state: TaskState
    note: str
    due_at: datetime
    created_at: datetime
    closed_at: datetime | None
    closed_by: UUID | None
    account_name: str = ""


class ValueKind(StrEnum):
    TRANSACTION = "transaction"  # one order or invoice, on its day
    MONTHLY_REVENUE = "monthly_revenue"  # the revenue of a month, dated its first day


@dataclass(frozen=True)
class ValueEntry:
    """One imported figure of an account's value. `source_id` is the sender's own id for it:
    importing the same id again changes nothing (or updates the figure, never adds one)."""

    source_id: str
    organization_id: UUID
    kind: ValueKind
    amount: Decimal
    occurred_on: date
    # The account's whole spend on what we sell in that period, where known: our share of it
    # is the account's dependency on us.
    account_total: Decimal | None = None


@dataclass(frozen=True)
class StoredValue:
    """A value entry as stored: when it first came in and when an import last changed it."""

    id: int  # the row's own id: only the order of entries on one day
    source_id: str
    kind: ValueKind
    amount: Decimal
    account_total: Decimal | None
    occurred_on: date
    imported_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class RunStanding:
    """How a tier run counted one account with positive value: the run, the account's value
    and tier there, and the figures its share and rank follow from."""

    run_id: UUID
    ran_at: datetime
    window_from: date
    window_to: date
    tier: str
    value: Decimal  # the account's sum in the run's window, as the run counted it
    share_before: Decimal  # the share of the accounts ranked above it, as the run stored it
    accounts: int  # the run's accounts with positive value
    positive_total: Decimal  # their value together
    above: int  # those ranked before this account (more value, or equal and a lower id)
