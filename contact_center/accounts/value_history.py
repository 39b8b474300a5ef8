"""What an account's imported values say: its value in the tier window (the run's own window
and sum), its share of all accounts' value and its rank there, its month totals over the
window, and the entries themselves, newest first, a page at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from uuid import UUID

from contact_center import site
from contact_center.accounts import store
from contact_center.accounts.model import StoredValue, WindowFigures
from contact_center.accounts.tier_runs import tier_window
from contact_center.db import Pool


@dataclass(frozen=True)
class MonthTotal:
    month: date  # its first day
    first_day: date  # the part of the month inside the window: the first and last month are
    last_day: date  # cut at the window's ends
    amount: Decimal  # 0 for a month without entries


@dataclass(frozen=True)
class AccountValues:
    organization_id: UUID
    window_from: date
    window_to: date
    value: Decimal
    share: float  # of the value of all accounts with positive value, 0-1 (0 when none)
    rank: int | None  # 1 = largest value; None when the account has no positive value
    accounts: int  # accounts with positive value in the window: the rank is "of" these
    share_before: float | None  # the share of the accounts ranked above: what the cut-offs read
    months: list[MonthTotal]
    entries: list[StoredValue]
    next_after: tuple[date, int] | None  # where the next page of entries starts; None: last


def months_of(since: date, until: date, sums: dict[date, Decimal]) -> list[MonthTotal]:
    """Every calendar month the window touches, oldest first, each cut to the window."""
    found = []
    month = since.replace(day=1)
    while month <= until:
        following = (month + timedelta(days=32)).replace(day=1)
        found.append(
            MonthTotal(
                month,
                max(month, since),
                min(following - timedelta(days=1), until),
                sums.get(month, Decimal("0.00")),
            )
        )
        month = following
    return found


def _standing(figures: WindowFigures) -> tuple[float, int | None, float | None]:
    """Share, rank and the share ranked above, as the tier run ranks (tiering.classify)."""
    if figures.value <= 0 or figures.positive_total <= 0:
        return 0.0, None, None
    return (
        round(float(figures.value / figures.positive_total), 6),
        figures.above + 1,
        round(float(figures.value_above / figures.positive_total), 6),
    )


async def account_values(
    pool: Pool,
    organization_id: UUID,
    *,
    now: datetime,
    limit: int = 50,
    after: tuple[date, int] | None = None,
) -> AccountValues:
    """The account's values as the tier run at `now` would see them, and one page of its
    entries (all of them, not only the window's) after `after`. The caller has checked that
    the account exists and may be read (an unknown id reads as an account with no values)."""
    async with pool.acquire() as conn:
        since, until = tier_window(await site.load(conn), now)
        figures = await store.standing(conn, organization_id, since, until)
        entries = await store.value_entries(conn, organization_id, limit=limit + 1, after=after)
    share, rank, before = _standing(figures)
    page = entries[:limit]
    more = len(entries) > limit
    return AccountValues(
        organization_id=organization_id,
        window_from=since,
        window_to=until,
        value=figures.value,
        share=share,
        rank=rank,
        accounts=figures.accounts,
        share_before=before,
        months=months_of(since, until, figures.months),
        entries=page,
        next_after=(page[-1].occurred_on, page[-1].id) if more else None,
    )
