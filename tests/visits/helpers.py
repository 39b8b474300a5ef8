"""Builders for visit tests: a manager with key accounts, visits written straight to the plan."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from contact_center.db import Pool
from contact_center.users import Role, User
from contact_center.visits import visit_store
from tests.builders import make_organization, make_user

NOW = datetime(2026, 3, 4, 2, 0, tzinfo=UTC)  # a Wednesday; the site zone is UTC in tests


async def manager_with_accounts(
    pool: Pool, count: int = 2, **fields: Any
) -> tuple[User, list[Any]]:
    manager = await make_user(pool, Role.ACCOUNT_MANAGER)
    orgs = []
    for n in range(count):
        values: dict[str, Any] = {
            "tier": "A",
            "is_key_account": True,
            "account_manager_id": str(manager.id),
            "route_weekday": 3,
            "latitude": 31.23 + n / 100,
            "longitude": 121.47 + n / 100,
            "address": f"{n} Bund Road",
        }
        orgs.append(await make_organization(pool, f"账户 Account {n}", **{**values, **fields}))
    return manager, orgs


async def put_visit(pool: Pool, org_id: UUID, manager_id: UUID, day: date) -> UUID:
    async with pool.acquire() as conn:
        made = await visit_store.insert_many(
            conn, [(org_id, manager_id, day, "cadence", None)], NOW
        )
    return made[0][0]


def freeze(monkeypatch: Any, at: datetime = NOW) -> None:
    """The API's clock stands at `at`."""
    from contact_center.web.api import visit_managers, visits

    monkeypatch.setattr(visits, "utc_now", lambda: at)
    monkeypatch.setattr(visit_managers, "utc_now", lambda: at)
