"""Pure shaping of report figures."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from contact_center.reports.figures import every_day, pareto


def test_quiet_days_count_zero_and_every_day_is_listed() -> None:
    days = every_day(date(2026, 2, 27), date(2026, 3, 2), {date(2026, 3, 1): 4})
    assert days == [
        {"day": "2026-02-27", "count": 0},
        {"day": "2026-02-28", "count": 0},
        {"day": "2026-03-01", "count": 4},
        {"day": "2026-03-02", "count": 0},
    ]


def test_pareto_orders_by_count_with_shares_and_cumulative_shares() -> None:
    table = pareto(
        [
            {"category": "billing", "count": 1},
            {"category": "delivery", "count": 6},
            {"category": "staff", "count": 3},
        ]
    )
    assert [(r["category"], r["share"], r["cumulative_share"]) for r in table] == [
        ("delivery", 0.6, 0.6),
        ("staff", 0.3, 0.9),
        ("billing", 0.1, 1.0),
    ]


@given(st.lists(st.integers(min_value=1, max_value=1000), min_size=1, max_size=20))
def test_cumulative_share_rises_to_one(counts: list[int]) -> None:
    table = pareto([{"category": str(i), "count": c} for i, c in enumerate(counts)])
    shares = [r["cumulative_share"] for r in table]
    assert shares == sorted(shares) and shares[-1] == 1.0
