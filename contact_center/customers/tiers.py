"""The account facts other folders decide and customers stores: tiers and the key-account flag
written by the tier run, and finding the accounts an import names."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from contact_center import audit
from contact_center.audit import Actor
from contact_center.customers import tier_store
from contact_center.customers.identities import normalize_email, phone_or_none
from contact_center.db import Conn
from contact_center.errors import Invalid, NotFound


@dataclass(frozen=True)
class TierChange:
    organization_id: UUID
    old_tier: str | None
    new_tier: str | None
    was_key: bool
    is_key: bool
    account_manager_id: UUID | None


@dataclass(frozen=True)
class AccountFacts:
    id: UUID
    name: str
    tier: str | None
    is_key_account: bool
    account_manager_id: UUID | None
    lifecycle_stage: str
    personal: bool


async def set_account_tiers(
    conn: Conn,
    actor: Actor,
    wanted: Mapping[UUID, tuple[str | None, bool]],
    *,
    now: datetime,
) -> list[TierChange]:
    """Write each account's (tier, key account) in one statement, inside the caller's
    transaction; audited per changed account. Returns only the accounts that changed. Tickets
    follow through the database trigger on organizations."""
    if not wanted:
        return []
    ids = sorted(wanted, key=str)  # one lock order for concurrent runs
    rows = await tier_store.set_tiers(
        conn, ids, [wanted[i][0] for i in ids], [wanted[i][1] for i in ids]
    )
    changes = [
        TierChange(
            r["id"],
            r["old_tier"],
            r["tier"],
            r["old_key"],
            r["is_key_account"],
            r["account_manager_id"],
        )
        for r in rows
    ]
    await audit.record_changes(
        conn,
        actor,
        "organization",
        [
            (c.organization_id, "updated", {"tier": c.new_tier, "is_key_account": c.is_key})
            for c in changes
        ],
        befores=[{"tier": c.old_tier, "is_key_account": c.was_key} for c in changes],
        at=now,
    )
    return changes


async def account_facts(conn: Conn, ids: list[UUID]) -> dict[UUID, AccountFacts]:
    """Name, tier, key flag, manager and stage of these accounts (organizations or personal)."""
    rows = await tier_store.account_facts(conn, ids)
    return {r["id"]: AccountFacts(**dict(r)) for r in rows}


async def lock_account_facts(conn: Conn, org_id: UUID) -> AccountFacts:
    """The account's facts, locked until the caller's transaction ends (an edit reads what it
    changes under the same lock as it writes). NotFound for an unknown account."""
    row = await tier_store.lock_account_facts(conn, org_id)
    if row is None:
        raise NotFound("no such account")
    return AccountFacts(**dict(row))


async def resolve_accounts(conn: Conn, refs: list[str], *, region: str) -> dict[str, UUID | int]:
    """The account each reference names: an organization id, an organization's exact name
    (case aside), or a customer's phone or email (their account). Unknown ones are left out;
    a name or identity that matches more than one account maps to how many it matches (an
    import must not guess which one to credit)."""
    found: dict[str, UUID | int] = {}
    as_ids: dict[str, UUID] = {}
    for ref in refs:
        try:
            as_ids[ref] = UUID(ref)
        except ValueError:
            pass
    if as_ids:
        known = await tier_store.existing_ids(conn, list(set(as_ids.values())))
        found.update({ref: i for ref, i in as_ids.items() if i in known})
    rest = [ref for ref in refs if ref not in found]
    by_name = await tier_store.ids_by_name(conn, sorted({r.lower() for r in rest}))
    found.update({r: _one_or_count(by_name[r.lower()]) for r in rest if r.lower() in by_name})
    identities: dict[str, str] = {}
    for ref in (r for r in rest if r not in found):
        normal = _identity(ref, region)
        if normal:
            identities[ref] = normal
    if identities:
        by_identity = await tier_store.ids_by_identity(conn, sorted(set(identities.values())))
        found.update(
            {r: _one_or_count(by_identity[v]) for r, v in identities.items() if v in by_identity}
        )
    return found


def _one_or_count(ids: list[UUID]) -> UUID | int:
    return ids[0] if len(ids) == 1 else len(ids)


def _identity(ref: str, region: str) -> str | None:
    if "@" in ref:
        try:
            return normalize_email(ref)
        except Invalid:
            return None
    return phone_or_none(ref, region)


async def set_account_manager(
    conn: Conn, actor: Actor, org_id: UUID, manager_id: UUID | None, *, now: datetime
) -> bool:
    """Name the account's manager (an organization or a personal account), audited; returns
    whether the account is a key account. NotFound for an unknown account."""
    row = await tier_store.set_manager(conn, org_id, manager_id)
    if row is None:
        raise NotFound("no such account")
    if row["before"] != manager_id:
        await audit.record_change(
            conn,
            actor,
            "organization",
            org_id,
            "updated",
            before={"account_manager_id": row["before"]},
            after={"account_manager_id": manager_id},
            at=now,
        )
    return bool(row["is_key_account"])
