"""Lifecycle stage rules (pure): prospect, active, dormant and lost by days without activity."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from hypothesis import given
from hypothesis import strategies as st

from contact_center.accounts.lifecycle import AccountActivity, stage_changes, stage_of
from contact_center.customers.model import LifecycleStage as S

TODAY = date(2026, 12, 5)


def stage(last: date | None, *, ordered: bool = True) -> S:
    return stage_of(
        ever_ordered=ordered, last_activity_on=last, today=TODAY, dormant_days=90, lost_days=365
    )


def test_boundary_days() -> None:
    assert stage(TODAY) is S.CUSTOMER
    assert stage(TODAY - timedelta(days=89)) is S.CUSTOMER
    assert stage(TODAY - timedelta(days=90)) is S.DORMANT
    assert stage(TODAY - timedelta(days=364)) is S.DORMANT
    assert stage(TODAY - timedelta(days=365)) is S.LOST
    assert stage(date(2019, 2, 28)) is S.LOST


def test_never_ordered_is_a_prospect_even_with_contact() -> None:
    assert stage(TODAY, ordered=False) is S.PROSPECT
    assert stage(None, ordered=False) is S.PROSPECT


def test_a_leap_year_counts_calendar_days() -> None:
    # 2028-02-29 exists: 90 days after 2028-01-01 is 2028-03-31.
    got = stage_of(
        ever_ordered=True,
        last_activity_on=date(2028, 1, 1),
        today=date(2028, 3, 31),
        dormant_days=90,
        lost_days=365,
    )
    assert got is S.DORMANT


@given(st.integers(min_value=0, max_value=2000), st.integers(min_value=1, max_value=400))
def test_stage_only_gets_worse_with_idle_days(idle: int, dormant: int) -> None:
    lost = dormant + 100
    order = [S.CUSTOMER, S.DORMANT, S.LOST]
    before = stage_of(
        ever_ordered=True,
        last_activity_on=TODAY - timedelta(days=idle),
        today=TODAY,
        dormant_days=dormant,
        lost_days=lost,
    )
    after = stage_of(
        ever_ordered=True,
        last_activity_on=TODAY - timedelta(days=idle + 1),
        today=TODAY,
        dormant_days=dormant,
        lost_days=lost,
    )
    assert order.index(after) >= order.index(before)


def test_changes_list_only_accounts_whose_stage_moves_and_back_to_active() -> None:
    a, b, c = UUID(int=3), UUID(int=1), UUID(int=2)
    accounts = [
        AccountActivity(a, S.CUSTOMER, True, TODAY - timedelta(days=120), True, UUID(int=9)),
        AccountActivity(b, S.CUSTOMER, True, TODAY - timedelta(days=3)),
        AccountActivity(c, S.LOST, True, TODAY),
    ]
    changes = stage_changes(accounts, today=TODAY, dormant_days=90, lost_days=365)
    assert [(x.organization_id, x.before, x.after) for x in changes] == [
        (c, S.LOST, S.CUSTOMER),
        (a, S.CUSTOMER, S.DORMANT),
    ]
    assert changes[1].became_dormant and changes[1].is_key_account
    assert changes[0].became_active
