"""ABC tiering: cumulative-share cut-offs over account values. Pure.

Accounts are ranked by value, highest first (ties by id, so the same values always give the
same tiers). An account is A while the share of total value *before* it is below `a_share`,
then B while below `b_share`, else C: the top account is always A, and the account that crosses
a cut-off still belongs to the tier below the cut-off. Accounts with zero or negative value add
nothing to the total and are C; when no account has a positive value all are C.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID

TIER_ORDER = {"A": 0, "B": 1, "C": 2}


@dataclass(frozen=True)
class Placement:
    organization_id: UUID
    tier: str
    value: Decimal
    share_before: Decimal  # the share of total value of the accounts ranked above this one


def classify(
    values: Mapping[UUID, Decimal], *, a_share: float, b_share: float
) -> dict[UUID, Placement]:
    """Each account's tier from its value in the window."""
    ranked = sorted(values.items(), key=lambda item: (-item[1], str(item[0])))
    total = sum((v for v in values.values() if v > 0), Decimal(0))
    a_cut, b_cut = Decimal(str(a_share)), Decimal(str(b_share))
    placed: dict[UUID, Placement] = {}
    before = Decimal(0)
    for org_id, value in ranked:
        if total <= 0 or value <= 0:
            share, tier = (before / total if total > 0 else Decimal(1)), "C"
        else:
            share = before / total
            tier = "A" if share < a_cut else "B" if share < b_cut else "C"
            before += value
        placed[org_id] = Placement(org_id, tier, value, share)
    return placed


def effective_tier(computed: str | None, override: str | None) -> str | None:
    """An override wins over every run until removed."""
    return override if override is not None else computed


def is_move_up(before: str | None, after: str | None) -> bool:
    """Whether the account moved to a better tier (no tier counts as below C)."""
    return TIER_ORDER.get(after or "", 3) < TIER_ORDER.get(before or "", 3)


def key_account_after(
    *, tier: str | None, was_tier: str | None, was_key: bool, by_hand: bool
) -> bool:
    """Key account = tier A or flagged by hand; leaving A clears a flag only the run set."""
    if tier == "A" or by_hand:
        return True
    if was_tier == "A":
        return False
    return was_key


def run_due(every: str, last_run_on: date | None, today: date) -> bool:
    """Whether the scheduled run is due on this site day: monthly once per calendar month,
    weekly once per ISO week, manual never."""
    if every == "manual":
        return False
    if last_run_on is None:
        return True
    if every == "weekly":
        return last_run_on.isocalendar()[:2] != today.isocalendar()[:2]
    return (last_run_on.year, last_run_on.month) != (today.year, today.month)
