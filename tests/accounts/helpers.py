"""Accounts with values and contact, made for lifecycle and health tests."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from contact_center import customers, tickets
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
    """A value entry as the import stores it (the import itself belongs to the tiering)."""
    async with pool.acquire() as conn:
        await conn.execute(
            "INSERT INTO account_values (source_id, organization_id, kind, amount,"
            " account_total, occurred_on, imported_at, updated_at)"
            " VALUES ($1, $2, 'transaction', $3, $4, $5, $6, $6)",
            source_id,
            organization_id,
            Decimal(amount),
            Decimal(account_total) if account_total else None,
            day,
            now,
        )


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
