"""ABC cut-offs: cumulative share of value, ranked highest first. Pure."""

from __future__ import annotations

import itertools
from decimal import Decimal
from uuid import UUID, uuid4

from hypothesis import given
from hypothesis import strategies as st

from contact_center.accounts.tier_runs import window_of
from contact_center.accounts.tiering import TIER_ORDER, classify, key_account_after

A, B = 0.8, 0.95


def ids(n: int) -> list[UUID]:
    return sorted((uuid4() for _ in range(n)), key=str)


def test_the_account_crossing_a_cut_off_is_still_in_the_tier_below_it() -> None:
    # 50 + 30 = 80 reaches the A cut-off: the third account starts at 80% and is B.
    one, two, three, four, five = ids(5)
    values = {
        one: Decimal(50),
        two: Decimal(30),
        three: Decimal(15),
        four: Decimal(4),
        five: Decimal(1),
    }
    tiers = {o: p.tier for o, p in classify(values, a_share=A, b_share=B).items()}
    assert tiers == {one: "A", two: "A", three: "B", four: "C", five: "C"}


def test_one_big_account_is_a_and_the_rest_follow() -> None:
    big, small = ids(2)
    tiers = classify({big: Decimal(1000), small: Decimal(1)}, a_share=A, b_share=B)
    assert tiers[big].tier == "A" and tiers[small].tier == "C"


def test_zero_negative_and_empty_totals() -> None:
    pos, zero, neg = ids(3)
    tiers = classify({pos: Decimal(10), zero: Decimal(0), neg: Decimal(-5)}, a_share=A, b_share=B)
    assert [tiers[pos].tier, tiers[zero].tier, tiers[neg].tier] == ["A", "C", "C"]
    only = classify({zero: Decimal(0), neg: Decimal(-3)}, a_share=A, b_share=B)
    assert {p.tier for p in only.values()} == {"C"}
    assert classify({}, a_share=A, b_share=B) == {}


def test_ties_are_broken_by_id_whatever_the_input_order() -> None:
    accounts = ids(10)
    values = {o: Decimal(10) for o in accounts}
    first = classify(values, a_share=A, b_share=B)
    second = classify(dict(reversed(list(values.items()))), a_share=A, b_share=B)
    assert first == second
    assert [first[o].tier for o in accounts] == ["A"] * 8 + [
        "B",
        "B",
    ]  # 9th starts at 80%, 10th at 90%


amounts = st.lists(
    st.decimals(min_value=-100, max_value=10**6, places=2, allow_nan=False, allow_infinity=False),
    min_size=1,
    max_size=60,
)
shares = st.tuples(
    st.floats(min_value=0.05, max_value=0.9), st.floats(min_value=0.01, max_value=0.5)
).map(lambda t: (t[0], min(1.0, t[0] + t[1])))


@given(amounts, shares)
def test_every_account_gets_one_tier_and_higher_value_never_a_worse_tier(
    raw: list[Decimal], cut: tuple[float, float]
) -> None:
    values = dict(zip(ids(len(raw)), raw, strict=True))
    placed = classify(values, a_share=cut[0], b_share=cut[1])
    assert set(placed) == set(values)  # A ∪ B ∪ C = all, each once
    ranked = sorted(placed.values(), key=lambda p: (-p.value, str(p.organization_id)))
    for better, worse in itertools.pairwise(ranked):
        assert TIER_ORDER[better.tier] <= TIER_ORDER[worse.tier]
        assert better.share_before <= worse.share_before
    for p in placed.values():
        if p.value > 0:  # the boundary rule, account by account
            expected = (
                "A"
                if p.share_before < Decimal(str(cut[0]))
                else ("B" if p.share_before < Decimal(str(cut[1])) else "C")
            )
            assert p.tier == expected
        else:
            assert p.tier == "C"
    if any(v > 0 for v in raw):
        assert ranked[0].tier == "A"


def test_the_key_flag_follows_tier_a_unless_set_by_hand() -> None:
    assert key_account_after(tier="A", was_tier="B", was_key=False, by_hand=False)
    assert not key_account_after(tier="B", was_tier="A", was_key=True, by_hand=False)
    assert key_account_after(tier="B", was_tier="A", was_key=True, by_hand=True)
    assert key_account_after(tier="C", was_tier="B", was_key=True, by_hand=False)  # not the run's


def test_the_value_window_counts_whole_months_back_to_the_day() -> None:
    from datetime import date

    assert window_of(date(2026, 12, 5), 12) == (date(2025, 12, 6), date(2026, 12, 5))
    assert window_of(date(2026, 3, 31), 1) == (date(2026, 3, 1), date(2026, 3, 31))
    assert window_of(date(2024, 2, 29), 12) == (date(2023, 3, 1), date(2024, 2, 29))


def test_the_scheduled_run_is_due_once_per_month_or_week() -> None:
    from datetime import date

    from contact_center.accounts.tiering import run_due

    assert run_due("monthly", None, date(2026, 12, 1))
    assert not run_due("monthly", date(2026, 12, 1), date(2026, 12, 31))
    assert run_due("monthly", date(2026, 11, 30), date(2026, 12, 1))
    assert not run_due("weekly", date(2026, 11, 30), date(2026, 12, 6))  # Mon..Sun
    assert run_due("weekly", date(2026, 12, 6), date(2026, 12, 7))
    assert not run_due("manual", None, date(2026, 12, 7))
