"""Demo account values: a year of monthly revenue per demo organization (a long tail, as real
books have), a few single orders, one small account growing fast, then one tier run and one
override so the accounts page shows moves, an override and an account waiting for a manager."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from contact_center import accounts
from contact_center.audit import Actor
from contact_center.config import Settings
from contact_center.db import Pool
from contact_center.timeutil import utc_now

GROWER = 44  # a tier C account whose orders took off: it becomes a key account without a manager


def _months_back(today: date, count: int) -> list[date]:
    first = today.replace(day=1)
    months = []
    for _ in range(count):
        months.append(first)
        first = (first - timedelta(days=1)).replace(day=1)
    return months


def value_rows(orgs: list[Any], *, seed: int, today: date) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    rows: list[dict[str, Any]] = []
    for n, org in enumerate(orgs):
        base = 60_000 / (n + 1)
        for m, month in enumerate(_months_back(today, 12)):
            amount = base * rng.uniform(0.7, 1.3)
            if n == GROWER:
                amount = 2_000 + (12 - m) ** 2 * 900 if m < 4 else 800
            rows.append(
                {
                    "source_id": f"demo-rev-{n}-{month:%Y-%m}",
                    "account": str(org.id),
                    "kind": "monthly_revenue",
                    "amount": f"{amount:,.2f}",
                    "month": f"{month:%Y-%m}",
                    "account_total": f"{amount * rng.uniform(1.5, 4):.2f}" if n % 3 == 0 else None,
                }
            )
        if n % 4 == 1:
            day = today - timedelta(days=rng.randint(3, 60))
            rows.append(
                {
                    "source_id": f"demo-order-{n}",
                    "account": str(org.id),
                    "kind": "transaction",
                    "amount": round(base * 0.4, 2),
                    "date": day.isoformat(),
                }
            )
    return rows


async def load_demo_accounts(pool: Pool, actor: Actor, settings: Settings, orgs: list[Any]) -> None:
    now = utc_now()
    await accounts.import_items(
        pool,
        actor,
        value_rows(orgs, seed=11, today=now.date()),
        region=settings.default_phone_region,
        now=now,
    )
    await accounts.run_tiers(pool, actor, trigger="scheduled", now=now)
    if len(orgs) > 20:
        await accounts.set_override(
            pool,
            actor,
            orgs[20].id,
            tier="A",
            reason="strategic partner: new framework contract",
            now=now,
        )
