"""What an account's imported values say: its value and month totals in the tier window now
(the run's own window, summed from the account's own rows), how the last tier run counted it
(its value, share of all accounts' value and rank there), and the entries themselves, newest
first, a page at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from uuid import UUID

from contact_center import site
from contact_center.accounts import store
from contact_center.accounts.model import RunStanding, StoredValue
from contact_center.accounts.tier_runs import tier_window
from contact_center.db import Pool


@dataclass(frozen=True)
class MonthTotal:
    month: date  # its first day
    first_day: date  # the part of the month inside the window: the first and last month are
    last_day: date  # cut at the window's ends
    amount: Decimal  # 0 for a month without entries


@dataclass(frozen=True)
class LastRun:
    """How the last tier run counted the account (it had positive value there)."""

    ran_at: datetime
    window_from: date
    window_to: date
    tier: str  # what the run computed (an override may have kept another)
    value: Decimal  # the account's value in the run's window
    share: float  # of the value of the run's accounts with positive value, 0-1
    rank: int  # among those, 1 = largest
    accounts: int  # the run's accounts with positive value: the rank is "of" these
    share_before: float  # the share of the accounts ranked above: what the cut-offs read


@dataclass(frozen=True)
class AccountValues:
    organization_id: UUID
    window_from: date  # the tier window now: the next run's
    window_to: date
    value: Decimal  # the account's value in it now (live)
    months: list[MonthTotal]
    last_run: LastRun | None  # None: no run yet, or the last gave the account no positive value
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


def _last_run(standing: RunStanding | None) -> LastRun | None:
    if standing is None:
        return None
    return LastRun(
        ran_at=standing.ran_at,
        window_from=standing.window_from,
        window_to=standing.window_to,
        tier=standing.tier,
        value=standing.value,
        share=round(float(standing.value / standing.positive_total), 6),
        rank=standing.above + 1,
        accounts=standing.accounts,
        share_before=round(float(standing.share_before), 6),
    )


async def account_values(
    pool: Pool,
    organization_id: UUID,
    *,
    now: datetime,
    limit: int = 50,
    after: tuple[date, int] | None = None,
) -> AccountValues:
    """The account's value and months in the tier window at `now` (live, from its own rows),
    how the last tier run counted it, and one page of its entries (all of them, not only the
    window's) after `after`. The caller has checked that the account exists and may be read
    (an unknown id reads as an account with no values)."""
    async with pool.acquire() as conn:
        since, until = tier_window(await site.load(conn), now)
        sums = await store.month_sums(conn, organization_id, since, until)
        standing = await store.last_run_standing(conn, organization_id)
        entries = await store.value_entries(conn, organization_id, limit=limit + 1, after=after)
    page = entries[:limit]
    more = len(entries) > limit
    return AccountValues(
        organization_id=organization_id,
        window_from=since,
        window_to=until,
        value=sum(sums.values(), Decimal("0.00")),
        months=months_of(since, until, sums),
        last_run=_last_run(standing),
        entries=page,
        next_after=(page[-1].occurred_on, page[-1].id) if more else None,
    )
