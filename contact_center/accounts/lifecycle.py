"""Lifecycle stages from activity. Pure.

An account that never ordered is a `prospect`. One that did is a `customer` (shown as
"Active") while its last activity — an order (a value entry), a contact in or out on one of its
tickets, or a visit done — is less than `dormant_days` old; `dormant` from `dormant_days`
days without activity; `lost` from `lost_days`. New activity makes it a `customer` again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from contact_center.customers.model import LifecycleStage


@dataclass(frozen=True)
class AccountActivity:
    """What the daily job knows of one account: its stored stage and its activity."""

    organization_id: UUID
    stage: LifecycleStage
    ever_ordered: bool
    last_activity_on: date | None  # the site day of the last order, contact or visit done
    is_key_account: bool = False
    account_manager_id: UUID | None = None


@dataclass(frozen=True)
class StageChange:
    organization_id: UUID
    before: LifecycleStage
    after: LifecycleStage
    last_activity_on: date | None
    is_key_account: bool
    account_manager_id: UUID | None

    @property
    def became_dormant(self) -> bool:
        return self.after is LifecycleStage.DORMANT

    @property
    def became_active(self) -> bool:
        return self.after is LifecycleStage.CUSTOMER


def stage_of(
    *,
    ever_ordered: bool,
    last_activity_on: date | None,
    today: date,
    dormant_days: int,
    lost_days: int,
) -> LifecycleStage:
    """The stage the activity calls for on `today` (a site day). `dormant_days` after the last
    activity day the account is dormant: activity on day D, dormant_days 90 → dormant from
    D + 90 (90 days without activity), still a customer on D + 89."""
    if not ever_ordered or last_activity_on is None:
        return LifecycleStage.PROSPECT
    idle = (today - last_activity_on).days
    if idle >= lost_days:
        return LifecycleStage.LOST
    if idle >= dormant_days:
        return LifecycleStage.DORMANT
    return LifecycleStage.CUSTOMER


def stage_changes(
    accounts: list[AccountActivity], *, today: date, dormant_days: int, lost_days: int
) -> list[StageChange]:
    """The accounts whose stored stage differs from what their activity calls for, by id."""
    changes = []
    for account in sorted(accounts, key=lambda a: a.organization_id):
        after = stage_of(
            ever_ordered=account.ever_ordered,
            last_activity_on=account.last_activity_on,
            today=today,
            dormant_days=dormant_days,
            lost_days=lost_days,
        )
        if after is not account.stage:
            changes.append(
                StageChange(
                    organization_id=account.organization_id,
                    before=account.stage,
                    after=after,
                    last_activity_on=account.last_activity_on,
                    is_key_account=account.is_key_account,
                    account_manager_id=account.account_manager_id,
                )
            )
    return changes


def latest(*days: date | None) -> date | None:
    """The latest of the given days (None when none is known)."""
    known = [d for d in days if d is not None]
    return max(known) if known else None
