"""The at-risk rule, counted in one place (pure): which accounts, with which complaints."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

from hypothesis import given
from hypothesis import strategies as st

from contact_center.workflows.risk import AccountComplaint, AtRiskRule, assess, risks_of

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
ACCOUNTS = [UUID(int=n) for n in range(1, 4)]


def complaint(account: UUID, days_ago: float, number: int) -> AccountComplaint:
    return AccountComplaint(
        account, UUID(int=1000 + number), number, "s", NOW - timedelta(days=days_ago)
    )


complaint_lists = st.lists(
    st.tuples(st.sampled_from(ACCOUNTS), st.floats(min_value=-5, max_value=120)), max_size=12
).map(lambda rows: [complaint(a, d, n) for n, (a, d) in enumerate(rows)])


@given(
    complaint_lists, st.integers(min_value=1, max_value=4), st.integers(min_value=1, max_value=100)
)
def test_the_listing_is_every_account_the_rule_finds_latest_complaint_first(
    complaints: list[AccountComplaint], threshold: int, days: int
) -> None:
    rule = AtRiskRule(complaints=threshold, days=days)
    listed = risks_of(complaints, rule, now=NOW)
    expected = {a: assess(a, complaints, rule, now=NOW) for a in ACCOUNTS}
    assert {r.account_id: r for r in listed} == {a: r for a, r in expected.items() if r}
    latest = [r.tickets[0].opened_at for r in listed]
    assert latest == sorted(latest, reverse=True)


def test_complaints_outside_the_window_or_after_now_do_not_count() -> None:
    account = ACCOUNTS[0]
    complaints = [complaint(account, 1, 1), complaint(account, 91, 2), complaint(account, -1, 3)]
    assert risks_of(complaints, AtRiskRule(complaints=2, days=90), now=NOW) == []
    [risk] = risks_of(complaints, AtRiskRule(complaints=1, days=90), now=NOW)
    assert [c.number for c in risk.tickets] == [1]
