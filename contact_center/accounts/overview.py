"""What account managers and supervisors read: key accounts with their tier, stage and open
tasks, an account's tier (computed, override, hand flag) and its moves, the last run."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from contact_center.accounts import store
from contact_center.db import Pool
from contact_center.errors import NotFound


@dataclass(frozen=True)
class TierMove:
    organization_id: UUID
    account_name: str
    from_tier: str | None
    to_tier: str | None
    reason: str
    actor_name: str | None
    moved_at: datetime


@dataclass(frozen=True)
class KeyAccount:
    id: UUID
    name: str
    personal: bool  # a customer's own account: reached through the customer, not /organizations
    tier: str | None
    computed_tier: str | None
    override_tier: str | None
    key_by_hand: bool
    lifecycle_stage: str
    account_manager_id: UUID | None
    manager_name: str | None
    open_tasks: int


@dataclass(frozen=True)
class AccountTier:
    organization_id: UUID
    tier: str | None  # what the account is now: the override, else the last run's
    computed_tier: str | None
    override_tier: str | None
    override_reason: str
    override_by: str | None
    override_at: datetime | None
    is_key_account: bool
    key_by_hand: bool
    moves: list[TierMove]


@dataclass(frozen=True)
class Manager:
    id: UUID
    name: str


def _move(r: Any) -> TierMove:
    return TierMove(
        r["organization_id"],
        r["account_name"],
        r["from_tier"],
        r["to_tier"],
        r["reason"],
        r["actor_name"],
        r["moved_at"],
    )


@dataclass(frozen=True)
class KeyAccountPage:
    accounts: list[KeyAccount]
    total: int  # key accounts in all (of this manager, or everyone's)
    offset: int
    next_offset: int | None  # where the next page starts; None on the last page


async def key_accounts(
    pool: Pool, *, manager_id: UUID | None, limit: int = 50, offset: int = 0
) -> KeyAccountPage:
    """One page of key accounts, best tier first: one manager's, or (None) all."""
    async with pool.acquire() as conn:
        rows, total = await store.key_accounts(conn, manager_id, limit, offset)
    found = [KeyAccount(**{k: v for k, v in dict(r).items() if k != "total"}) for r in rows]
    more = offset + len(found) < total
    return KeyAccountPage(found, total, offset, offset + len(found) if more else None)


async def tier_moves(
    pool: Pool,
    *,
    organization_id: UUID | None = None,
    manager_id: UUID | None = None,
    limit: int = 50,
) -> list[TierMove]:
    """Moves up and down, newest first: one account's, one manager's accounts', or all."""
    async with pool.acquire() as conn:
        rows = await store.moves(
            conn, organization_id=organization_id, manager_id=manager_id, limit=limit
        )
    return [_move(r) for r in rows]


async def account_tier(pool: Pool, org_id: UUID) -> AccountTier:
    async with pool.acquire() as conn:
        row = await store.tier_card(conn, org_id)
        if row is None:
            raise NotFound("no such account")
        moves = await store.moves(conn, organization_id=org_id, manager_id=None, limit=50)
    return AccountTier(
        organization_id=row["id"],
        tier=row["tier"],
        computed_tier=row["computed_tier"],
        override_tier=row["override_tier"],
        override_reason=row["override_reason"] or "",
        override_by=row["override_by_name"],
        override_at=row["override_at"],
        is_key_account=row["is_key_account"],
        key_by_hand=row["key_by_hand"],
        moves=[_move(m) for m in moves],
    )


async def account_managers(pool: Pool) -> list[Manager]:
    async with pool.acquire() as conn:
        return [Manager(r["id"], r["name"]) for r in await store.managers(conn)]
