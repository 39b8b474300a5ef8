"""The four health figures (pure): formulas, bounds, unknowns and trend."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID

from hypothesis import given
from hypothesis import strategies as st

from contact_center.accounts import health
from contact_center.accounts.health import AccountFacts

TODAY = date(2026, 12, 5)


def test_satisfaction_maps_one_to_zero_and_five_to_hundred() -> None:
    assert health.satisfaction(()) is None
    assert health.satisfaction((1,)) == 0.0
    assert health.satisfaction((5, 5)) == 100.0
    assert health.satisfaction((4, 5, 3)) == 75.0  # mean 4 → 75


def test_loyalty_parts() -> None:
    new = AccountFacts(UUID(int=1), since=TODAY)
    assert health.loyalty(new, TODAY) == 0.0
    old = AccountFacts(
        UUID(int=1), since=TODAY - timedelta(days=365 * 10), order_months=12, contacts=40
    )
    assert health.loyalty(old, TODAY) == 100.0
    half = AccountFacts(UUID(int=1), since=date(2024, 6, 5), order_months=6, contacts=3)
    # 2.5 years of 5 → 20, 6 of 12 months → 20, 3 of 6 contacts → 10
    assert health.loyalty(half, TODAY) == 50.0


def test_dependency_unknown_without_account_total_and_capped() -> None:
    assert health.dependency(Decimal(100), Decimal(0)) is None
    assert health.dependency(Decimal(1250), Decimal(5000)) == 25.0
    assert health.dependency(Decimal(900), Decimal(600)) == 100.0


def test_contribution_share_and_rank_ties_by_id() -> None:
    a, b, c, d = (UUID(int=i) for i in (4, 2, 3, 1))
    facts = [
        AccountFacts(a, TODAY, value=Decimal(500)),
        AccountFacts(b, TODAY, value=Decimal(250)),
        AccountFacts(c, TODAY, value=Decimal(250)),
        AccountFacts(d, TODAY, value=Decimal(-40)),  # a credit note: no share, no rank
    ]
    got = {
        h.organization_id: (h.contribution, h.contribution_rank)
        for h in health.compute(facts, today=TODAY)
    }
    assert got == {a: (50.0, 1), b: (25.0, 2), c: (25.0, 3), d: (0.0, None)}


def test_nothing_of_value_anywhere_gives_zero_shares() -> None:
    facts = [AccountFacts(UUID(int=1), TODAY), AccountFacts(UUID(int=2), TODAY)]
    assert all(h.contribution == 0.0 for h in health.compute(facts, today=TODAY))


@given(st.lists(st.integers(min_value=-1000, max_value=10**9), min_size=1, max_size=30))
def test_shares_stay_within_bounds_and_sum_to_hundred(values: list[int]) -> None:
    facts = [AccountFacts(UUID(int=i + 1), TODAY, value=Decimal(v)) for i, v in enumerate(values)]
    shares = [h.contribution for h in health.compute(facts, today=TODAY)]
    assert all(0 <= s <= 100 for s in shares)
    if any(v > 0 for v in values):
        assert abs(sum(shares) - 100) < 0.01 * len(values)


def test_trend_compares_with_the_latest_day_at_or_before_the_cutoff() -> None:
    history = {
        TODAY - timedelta(days=100): 40.0,
        TODAY - timedelta(days=35): 50.0,
        TODAY - timedelta(days=10): None,
    }
    assert health.trend(history, 62.5, today=TODAY, days=30) == 12.5
    assert health.trend(history, 62.5, today=TODAY, days=90) == 22.5
    assert health.trend(history, 62.5, today=TODAY, days=120) is None
    assert health.trend(history, None, today=TODAY, days=30) is None
