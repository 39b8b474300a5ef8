"""A person's edit of an account (on an organization's or a personal account's card, or through
the API), with what follows from it, in one transaction: the account's tier, key flag and
manager are supervisors' and admins' to change; a tier set on the card is an override (kept as a
move with its reason); a ticked key flag is kept through tier runs; a key account without a
manager gets the assignment task, and a new manager takes over the account's open tasks."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from contact_center import customers
from contact_center.accounts import store, tasks
from contact_center.accounts.model import TaskKind, TaskState
from contact_center.accounts.tier_runs import ASSIGN_DUE, override_in, remove_override_in
from contact_center.audit import Actor
from contact_center.customers import AccountFacts, Customer, Organization
from contact_center.db import Conn, Pool, transaction
from contact_center.errors import Forbidden

CARD_TIER_REASON = "set on the card"
# What only supervisors and admins change: they decide the tier history and who looks after
# the account.
OVERSEEN_FIELDS = ("tier", "is_key_account", "account_manager_id")


def _current(facts: AccountFacts, name: str) -> Any:
    return {
        "tier": facts.tier,
        "is_key_account": facts.is_key_account,
        "account_manager_id": facts.account_manager_id,
    }[name]


def _wanted(name: str, value: Any) -> Any:
    """The value as the account stores it ("" is none; an id string is an id)."""
    if name == "is_key_account":
        return bool(value)
    if not value:
        return None
    if name == "account_manager_id" and not isinstance(value, UUID):
        try:
            return UUID(str(value))
        except ValueError:
            return value  # customers refuses it with its field
    return value


def settle_overseen(changes: dict[str, Any], facts: AccountFacts, *, overseer: bool) -> set[str]:
    """Drop the overseen fields the edit leaves as they are (a form sends every field) and
    return those it changes; Forbidden, naming the field, when the editor may not."""
    changed: set[str] = set()
    for name in OVERSEEN_FIELDS:
        if name not in changes:
            continue
        if _wanted(name, changes[name]) == _current(facts, name):
            del changes[name]
        elif not overseer:
            raise Forbidden(f"only supervisors and admins change {name}", field=name)
        else:
            changed.add(name)
    return changed


async def _before_edit(
    conn: Conn,
    actor: Actor,
    facts: AccountFacts,
    changes: dict[str, Any],
    *,
    overseer: bool,
    now: datetime,
) -> None:
    """Check the overseen fields and apply the tier and key flag the account's way: a tier is an
    override (taken out of `changes`; no tier removes the override), the key flag a hand flag
    kept through runs."""
    changed = settle_overseen(changes, facts, overseer=overseer)
    if "is_key_account" in changed:
        await store.set_hand_flag(conn, facts.id, bool(changes["is_key_account"]))
    if "tier" in changed:
        tier = _wanted("tier", changes.pop("tier"))
        if tier is None:  # no tier by hand: back to what the runs decide
            await remove_override_in(conn, actor, facts.id, now=now)
        else:
            await override_in(conn, actor, facts.id, tier=tier, reason=CARD_TIER_REASON, now=now)


async def edit_organization(
    pool: Pool,
    actor: Actor,
    org_id: UUID,
    changes: dict[str, Any],
    *,
    overseer: bool,
    now: datetime,
) -> Organization:
    """`customers.update_organization` with its account consequences, in one transaction."""
    async with transaction(pool) as conn:
        if "tier" in changes:
            await store.lock_runs(conn)  # before the row lock, in the order a tier run takes
        before = await customers.lock_account_facts(conn, org_id)
        await _before_edit(conn, actor, before, changes, overseer=overseer, now=now)
        updated = await customers.edit_organization(conn, actor, org_id, changes)
        await _account_edited(
            conn,
            actor,
            org_id,
            is_key=updated.is_key_account,
            manager_id=updated.account_manager_id,
            manager_before=before.account_manager_id,
            now=now,
        )
        return updated


async def edit_customer(
    pool: Pool,
    actor: Actor,
    customer_id: UUID,
    changes: dict[str, Any],
    *,
    region: str,
    expected_version: str | None,
    overseer: bool,
    now: datetime,
) -> Customer:
    """`customers.update_customer` with its account consequences, in one transaction. Only a
    personal account is edited on a customer's card (a member's is its organization's, which
    customers refuses to change there)."""
    async with transaction(pool) as conn:
        if "tier" in changes:
            await store.lock_runs(conn)
        account = await customers.account_of(conn, customer_id)
        before = await customers.lock_account_facts(conn, account.organization_id)
        if before.personal:
            await _before_edit(conn, actor, before, changes, overseer=overseer, now=now)
        else:
            # A member's account is edited on its organization, which customers says below
            # (409); someone who may not change these fields there either hears that first.
            settle_overseen(dict(changes), before, overseer=overseer)
        updated = await customers.edit_customer(
            conn, actor, customer_id, changes, region=region, expected_version=expected_version
        )
        after = updated.account
        if after.personal and after.organization_id == before.id:
            await _account_edited(
                conn,
                actor,
                after.organization_id,
                is_key=after.key_account,
                manager_id=after.account_manager_id,
                manager_before=before.account_manager_id,
                now=now,
            )
        return updated


async def _account_edited(
    conn: Conn,
    actor: Actor,
    org_id: UUID,
    *,
    is_key: bool,
    manager_id: UUID | None,
    manager_before: UUID | None,
    now: datetime,
) -> None:
    """A person changed the account: a key account without a manager gets the assignment task,
    naming a manager closes it, and a new (or no) manager takes over the account's open
    reactivation task. (A ticked key flag is kept by `_before_edit`.)"""
    if manager_id != manager_before:
        await tasks.reassign_open_tasks(
            conn, actor, org_id, TaskKind.REACTIVATE, manager_id, now=now
        )
    if manager_id is not None:
        for task in await tasks.list_tasks(conn, organization_id=org_id):
            if task.kind is TaskKind.ASSIGN_MANAGER:
                await tasks.close_task(conn, actor, task.id, TaskState.DONE, now=now)
    elif is_key:
        await tasks.open_task(
            conn,
            actor,
            organization_id=org_id,
            kind=TaskKind.ASSIGN_MANAGER,
            assignee_id=None,
            due_at=now + ASSIGN_DUE,
            note="",
            now=now,
        )


async def assign_manager(
    pool: Pool, actor: Actor, org_id: UUID, manager_id: UUID, *, now: datetime
) -> None:
    """A supervisor names the account manager; the assignment task is done and the account's
    open tasks go to the manager."""
    async with transaction(pool) as conn:
        before = await customers.lock_account_facts(conn, org_id)
        is_key = await customers.set_account_manager(conn, actor, org_id, manager_id, now=now)
        await _account_edited(
            conn,
            actor,
            org_id,
            is_key=is_key,
            manager_id=manager_id,
            manager_before=before.account_manager_id,
            now=now,
        )
