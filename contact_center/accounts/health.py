"""The four account health figures. Pure.

- satisfaction (0-100, None without scores): every 1-5 score of the window — the surveys of the
  account's complaints and the satisfaction recorded with its visits — averaged, mapped so
  that 1 is 0 and 5 is 100: (mean - 1) / 4 * 100.
- loyalty (0-100): tenure 40 (full at 5 years), repeat business 40 (the months of the last 12
  with an order), repeat contact 20 (tickets with contact in the last 12 months, full at 6).
- contribution (0-100): the account's share of all accounts' positive value in the window, in
  percent; its rank among accounts with positive value (1 = largest; ties by id).
- dependency (0-100, None = unknown): our share of the account's whole spend where the account
  total is known — the sum of our amounts of those entries over the sum of their account
  totals, capped at 100.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID

FIGURES = ("satisfaction", "loyalty", "contribution", "dependency")
TENURE_FULL_YEARS = 5
CONTACTS_FULL = 6
TREND_DAYS = (30, 90)


@dataclass(frozen=True)
class AccountFacts:
    organization_id: UUID
    since: date  # tenure: the account's first day with us (created, or first order if earlier)
    scores: tuple[int, ...] = ()  # 1-5: complaint surveys and visit outcomes in the window
    order_months: int = 0  # months of the last 12 with at least one order
    contacts: int = 0  # tickets with contact in or out in the last 12 months
    value: Decimal = Decimal(0)  # the account's value in the window
    known_amount: Decimal = Decimal(0)  # our amounts of entries that carry an account total
    known_total: Decimal = Decimal(0)  # the account totals of those entries


@dataclass(frozen=True)
class Health:
    organization_id: UUID
    satisfaction: float | None
    loyalty: float
    contribution: float
    contribution_rank: int | None
    dependency: float | None
    details: dict[str, object] = field(default_factory=dict)


def satisfaction(scores: tuple[int, ...]) -> float | None:
    valid = [s for s in scores if 1 <= s <= 5]
    if not valid:
        return None
    return round((sum(valid) / len(valid) - 1) / 4 * 100, 1)


def loyalty(facts: AccountFacts, today: date) -> float:
    years = max((today - facts.since).days, 0) / 365.25
    tenure = min(years / TENURE_FULL_YEARS, 1.0) * 40
    repeat = min(max(facts.order_months, 0), 12) / 12 * 40
    contact = min(max(facts.contacts, 0), CONTACTS_FULL) / CONTACTS_FULL * 20
    return round(tenure + repeat + contact, 1)


def dependency(known_amount: Decimal, known_total: Decimal) -> float | None:
    if known_total <= 0:
        return None
    share = max(known_amount, Decimal(0)) / known_total * 100
    return round(float(min(share, Decimal(100))), 1)


def contributions(facts: list[AccountFacts]) -> dict[UUID, tuple[float, int | None]]:
    """Each account's share (percent) of the positive value of all, and its rank."""
    positive = sorted(
        (f for f in facts if f.value > 0), key=lambda f: (-f.value, f.organization_id)
    )
    total = sum((f.value for f in positive), Decimal(0))
    shares: dict[UUID, tuple[float, int | None]] = {f.organization_id: (0.0, None) for f in facts}
    for rank, f in enumerate(positive, start=1):
        shares[f.organization_id] = (round(float(f.value / total * 100), 3), rank)
    return shares


def compute(facts: list[AccountFacts], *, today: date) -> list[Health]:
    """The four figures of each account on `today`, by id."""
    shares = contributions(facts)
    result = []
    for f in sorted(facts, key=lambda f: f.organization_id):
        share, rank = shares[f.organization_id]
        result.append(
            Health(
                organization_id=f.organization_id,
                satisfaction=satisfaction(f.scores),
                loyalty=loyalty(f, today),
                contribution=share,
                contribution_rank=rank,
                dependency=dependency(f.known_amount, f.known_total),
                details={
                    "scores": len(f.scores),
                    "order_months": f.order_months,
                    "contacts": f.contacts,
                    "tenure_days": max((today - f.since).days, 0),
                    "value": str(f.value),
                },
            )
        )
    return result


def trend(
    history: dict[date, float | None], figure_now: float | None, *, today: date, days: int
) -> float | None:
    """The change of a figure over `days`: now minus its value on the latest day of the history
    at or before today - days; None when either is unknown."""
    cutoff = today - timedelta(days=days)
    earlier = [d for d in history if d <= cutoff and history[d] is not None]
    if figure_now is None or not earlier:
        return None
    then = history[max(earlier)]
    assert then is not None
    return round(figure_now - then, 1)
