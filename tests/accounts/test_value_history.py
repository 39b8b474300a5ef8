"""The month strip of an account's values: every month the tier window touches, cut to it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from contact_center.accounts.tier_runs import window_of
from contact_center.accounts.value_history import months_of


def test_a_window_ending_mid_month_has_thirteen_months_cut_at_both_ends() -> None:
    since, until = window_of(date(2026, 12, 5), 12)
    months = months_of(since, until, {date(2026, 3, 1): Decimal("12.50")})
    assert len(months) == 13
    assert (months[0].month, months[0].first_day, months[0].last_day) == (
        date(2025, 12, 1),
        date(2025, 12, 6),
        date(2025, 12, 31),
    )
    assert (months[-1].first_day, months[-1].last_day) == (date(2026, 12, 1), date(2026, 12, 5))
    assert [m.amount for m in months].count(Decimal("0.00")) == 12
    assert months[3].amount == Decimal("12.50")


def test_a_window_ending_on_a_months_last_day_has_whole_months() -> None:
    since, until = window_of(date(2026, 2, 28), 12)
    months = months_of(since, until, {})
    assert len(months) == 12
    assert all(m.first_day == m.month for m in months)
    assert (months[0].month, months[-1].last_day) == (date(2025, 3, 1), date(2026, 2, 28))
