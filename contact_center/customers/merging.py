"""The customer side of merging two cards, run inside the merge use case's transaction."""

from __future__ import annotations

from uuid import UUID

from contact_center.audit import Actor
from contact_center.customers import store
from contact_center.customers.model import Customer
from contact_center.db import Conn
from contact_center.errors import Conflict, NotFound


async def lock_pair(conn: Conn, survivor_id: UUID, merged_id: UUID) -> tuple[Customer, Customer]:
    """Lock both cards (in id order) and check that they can be merged."""
    if survivor_id == merged_id:
        raise Conflict("a customer cannot be merged into itself", field="merge_id")
    found = {c.id: c for c in await store.lock_customers(conn, [survivor_id, merged_id])}
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


async def move_card(conn: Conn, survivor: Customer, merged: Customer) -> list[UUID]:
    """Move identities to the survivor and mark the other card merged; returns moved identities."""
    identity_ids = await store.move_identities(conn, merged.id, survivor.id)
    await store.mark_merged(conn, merged.id, survivor.id)
    return identity_ids


async def record_merge(
    conn: Conn,
    actor: Actor,
    survivor: Customer,
    merged: Customer,
    identity_ids: list[UUID],
    ticket_ids: list[UUID],
) -> UUID:
    return await store.insert_merge(
        conn,
        survivor_id=survivor.id,
        merged_id=merged.id,
        identity_ids=identity_ids,
        ticket_ids=ticket_ids,
        actor_id=actor.user_id,
    )


async def undo_card_move(conn: Conn, merged_id: UUID) -> tuple[UUID, list[UUID], list[UUID]]:
    """Give the merged card back its identities; returns (survivor id, identity ids, ticket ids)."""
    record = await store.find_merge(conn, merged_id)
    if record is None:
        raise NotFound("this customer has no merge to undo")
    survivor, merged = await lock_any_pair(conn, record["survivor_id"], merged_id)
    if merged.merged_into_id != survivor.id:
        raise Conflict("this merge was already undone")
    await store.restore_identities(conn, list(record["moved_identity_ids"]), merged_id)
    await store.unmark_merged(conn, merged_id)
    return survivor.id, list(record["moved_identity_ids"]), list(record["moved_ticket_ids"])


async def lock_any_pair(conn: Conn, a: UUID, b: UUID) -> tuple[Customer, Customer]:
    found = {c.id: c for c in await store.lock_customers(conn, [a, b])}
    return found[a], found[b]
