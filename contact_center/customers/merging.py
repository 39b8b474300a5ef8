"""The customer side of merging two cards, run inside the merge use case's transaction."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID

from contact_center.audit import Actor
from contact_center.customers import store
from contact_center.customers.fields import clean_customer_fields, clean_organization_fields
from contact_center.customers.merge_plan import CardPlan, FieldConflict, plan_card
from contact_center.customers.model import ACCOUNT_FIELDS, Customer
from contact_center.db import Conn
from contact_center.errors import Conflict, Forbidden, NotFound

__all__ = [
    "CardPlan",
    "FieldConflict",
    "check_pair",
    "lock_pair",
    "move_card",
    "plan",
    "record_merge",
    "undo_card_move",
]


async def lock_pair(conn: Conn, survivor_id: UUID, merged_id: UUID) -> tuple[Customer, Customer]:
    """Lock both cards (in id order) and check that they can be merged."""
    return await check_pair(conn, survivor_id, merged_id, lock=True)


async def check_pair(
    conn: Conn, survivor_id: UUID, merged_id: UUID, *, lock: bool
) -> tuple[Customer, Customer]:
    """Both cards, if they can be merged; locked (in id order) for a merge, not for a preview."""
    if survivor_id == merged_id:
        raise Conflict("a customer cannot be merged into itself", field="merge_id")
    load = store.lock_customers if lock else store.list_customers_by_id
    found = {c.id: c for c in await load(conn, [survivor_id, merged_id])}
    if survivor_id not in found:
        raise NotFound("no such customer")
    if merged_id not in found:
        raise NotFound("no such customer to merge", field="merge_id")
    survivor, merged = found[survivor_id], found[merged_id]
    if survivor.merged_into_id is not None:
        raise Conflict("the surviving customer was itself merged away", field="id")
    if merged.merged_into_id is not None:
        raise Conflict("that customer is already merged", field="merge_id")
    return survivor, merged


def plan(survivor: Customer, merged: Customer) -> CardPlan:
    """What the merge does to the surviving card (merge_plan.py); the preview shows the same."""
    return plan_card(survivor, merged)


def _plain(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


async def move_card(
    conn: Conn, survivor: Customer, merged: Customer
) -> tuple[list[UUID], dict[str, Any]]:
    """Move identities to the survivor, fill its empty fields from the other card and mark that
    one merged; returns (moved identity ids, {field: {"before", "after"}} filled in)."""
    card = plan(survivor, merged)
    identity_ids = await store.move_identities(conn, merged.id, survivor.id)
    await store.update_customer(conn, survivor.id, changes=card.fills)
    await store.mark_merged(conn, merged.id, survivor.id)
    filled = {
        name: {"before": _plain(getattr(survivor, name)), "after": _plain(value)}
        for name, value in card.fills.items()
    }
    return identity_ids, filled


async def record_merge(
    conn: Conn,
    actor: Actor,
    survivor: Customer,
    merged: Customer,
    identity_ids: list[UUID],
    ticket_ids: list[UUID],
    filled: dict[str, Any] | None = None,
) -> UUID:
    return await store.insert_merge(
        conn,
        survivor_id=survivor.id,
        merged_id=merged.id,
        identity_ids=identity_ids,
        ticket_ids=ticket_ids,
        actor_id=actor.user_id,
        filled_fields=filled or {},
    )


async def latest_merge(conn: Conn, merged_id: UUID) -> tuple[UUID | None, datetime] | None:
    """(who merged this card away, when) for its latest merge, or None."""
    record = await store.find_merge(conn, merged_id)
    return None if record is None else (record["actor_id"], record["merged_at"])


async def undo_card_move(
    conn: Conn,
    merged_id: UUID,
    allowed: Callable[[UUID | None, datetime], bool] = lambda merged_by, merged_at: True,
) -> tuple[UUID, list[UUID], list[UUID], dict[str, Any]]:
    """Give the merged card back its identities and clear what the merge filled in on the
    survivor; returns (survivor id, identity ids, ticket ids, {field: value restored}).
    `allowed(merged_by, merged_at)` decides whether this actor may undo that merge."""
    record = await store.find_merge(conn, merged_id)
    if record is None:
        raise NotFound("this customer has no merge to undo")
    if not allowed(record["actor_id"], record["merged_at"]):
        raise Forbidden("only a supervisor, or whoever merged it within a day, may undo this merge")
    survivor, merged = await lock_any_pair(conn, record["survivor_id"], merged_id)
    if merged.merged_into_id != survivor.id:
        raise Conflict("this merge was already undone")
    await store.restore_identities(conn, list(record["moved_identity_ids"]), merged_id)
    await store.unmark_merged(conn, merged_id)
    restored = await _clear_filled(conn, survivor, record["filled_fields"])
    return (
        survivor.id,
        list(record["moved_identity_ids"]),
        list(record["moved_ticket_ids"]),
        restored,
    )


async def _clear_filled(conn: Conn, survivor: Customer, filled: dict[str, Any]) -> dict[str, Any]:
    """Give the survivor back the values it had before the merge filled them in, except where
    someone changed the field since: that later change stays.

    Merges made before accounts had one owner (migration 0027) also filled account fields;
    those values now sit on the survivor's account, and are given back there only when it is
    the survivor's personal account (an organization's account is the organization's)."""
    account = survivor.account.fields() if survivor.account.personal else {}
    card = _plain({**survivor.card(), **account})
    restore = {
        name: values["before"]
        for name, values in filled.items()
        if name in card and card[name] == values["after"]
    }
    own = {k: v for k, v in restore.items() if k not in ACCOUNT_FIELDS}
    await store.update_customer(conn, survivor.id, changes=clean_customer_fields(own))
    if len(own) < len(restore):
        account_restore = {k: v for k, v in restore.items() if k in ACCOUNT_FIELDS}
        await store.update_organization(
            conn,
            survivor.account.organization_id,
            changes=clean_organization_fields(account_restore),
        )
    return restore


async def lock_any_pair(conn: Conn, a: UUID, b: UUID) -> tuple[Customer, Customer]:
    found = {c.id: c for c in await store.lock_customers(conn, [a, b])}
    return found[a], found[b]
