"""Accounts with values and contact, made for lifecycle and health tests."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from contact_center import accounts, customers, tickets
from contact_center.db import Pool
from tests.builders import TEST_ACTOR, make_customer, make_inbound_sms, unique_phone


async def key_account(pool: Pool, name: str, manager_id: UUID | None, **fields: Any) -> Any:
    return await customers.create_organization(
        pool,
        TEST_ACTOR,
        {
            "name": name,
            "tier": "A",
            "is_key_account": True,
            "account_manager_id": str(manager_id) if manager_id else None,
            **fields,
        },
    )


async def add_value(
    pool: Pool,
    organization_id: UUID,
    day: date,
    amount: str,
    *,
    source_id: str,
    account_total: str | None = None,
    now: datetime,
) -> None:
    """A value entry, through the value import."""
    item = {
        "source_id": source_id,
        "account": str(organization_id),
        "kind": "transaction",
        "amount": amount,
        "date": day.isoformat(),
    }
    if account_total is not None:
        item["account_total"] = account_total
    result = await accounts.import_items(pool, TEST_ACTOR, [item], region="US", now=now)
    assert result.created == 1, result.rejected


async def contact(pool: Pool, organization_id: UUID, *, now: datetime) -> UUID:
    """A customer of the account writes in: a ticket with one inbound SMS at `now`."""
    phone = unique_phone()
    await make_customer(pool, organization_id=str(organization_id), phones=[phone])
    result = await tickets.intake(pool, make_inbound_sms(from_address=phone), now=now)
    return result.ticket_id


async def visit_done(
    pool: Pool, organization_id: UUID, manager_id: UUID, day: date, satisfaction: int | None
) -> None:
    """A visit recorded done on `day` (as the visit record stores it)."""
    async with pool.acquire() as conn:
        await conn.execute(
            "INSERT INTO visits (organization_id, manager_id, day, kind, state, satisfaction,"
            " outcome_notes, created_at, updated_at)"
            " VALUES ($1, $2, $3, 'cadence', 'done', $4, 'Talked through the spring order',"
            " now(), now())",
            organization_id,
            manager_id,
            day,
            satisfaction,
        )
