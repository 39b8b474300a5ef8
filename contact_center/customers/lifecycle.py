"""Accounts' lifecycle stages as the organization row keeps them: read for the daily stage job,
written many at once (audited per account)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from contact_center import audit
from contact_center.audit import Actor
from contact_center.customers import lifecycle_store
from contact_center.customers.model import LifecycleStage
from contact_center.db import Conn


@dataclass(frozen=True)
class AccountStage:
    organization_id: UUID
    stage: LifecycleStage
    is_key_account: bool
    account_manager_id: UUID | None
    created_at: datetime


async def account_stages(conn: Conn) -> list[AccountStage]:
    """Every account's stored stage, key-account flag, manager and creation time, by id."""
    return [
        AccountStage(
            organization_id=row["id"],
            stage=LifecycleStage(row["lifecycle_stage"]),
            is_key_account=row["is_key_account"],
            account_manager_id=row["account_manager_id"],
            created_at=row["created_at"],
        )
        for row in await lifecycle_store.accounts(conn)
    ]


async def set_lifecycle_stages(
    conn: Conn, actor: Actor, stages: dict[UUID, LifecycleStage], *, now: datetime
) -> dict[UUID, tuple[LifecycleStage, LifecycleStage]]:
    """Inside the caller's transaction: write the accounts' stages in one statement and audit
    each account that really changed; returns {id: (before, after)} of those."""
    ids = sorted(stages)
    changed = await lifecycle_store.set_stages(conn, ids, [stages[i].value for i in ids], now)
    await audit.record_changes(
        conn,
        actor,
        "organization",
        [(org, "lifecycle", {"lifecycle_stage": after}) for org, _, after in changed],
        befores=[{"lifecycle_stage": before} for _, before, _ in changed],
        at=now,
    )
    return {org: (LifecycleStage(before), LifecycleStage(after)) for org, before, after in changed}
