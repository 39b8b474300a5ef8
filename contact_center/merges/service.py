"""Merge and unmerge use cases. They span customers and tickets, so they live above both."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from contact_center import audit, customers, live, tickets
from contact_center.audit import Actor
from contact_center.customers import Customer, merging
from contact_center.db import Pool, transaction
from contact_center.live import Event
from contact_center.merges.rules import may_undo_merge
from contact_center.timeutil import utc_now


async def merge_customers(pool: Pool, actor: Actor, survivor_id: UUID, merged_id: UUID) -> Customer:
    """Move the other customer's identities and tickets to the survivor, in one transaction.

    Nothing is deleted: the merged card stays, pointing at its survivor, and a merge record
    lists what moved so that `unmerge_customer` can put it back. Empty fields of the survivor
    take the other card's values (customers/merge_plan.py); `preview_merge` shows the same.
    """
    async with transaction(pool) as conn:
        survivor, merged = await merging.lock_pair(conn, survivor_id, merged_id)
        identity_ids, filled = await merging.move_card(conn, survivor, merged)
        ticket_ids = await tickets.move_customer_tickets(conn, merged.id, survivor.id)
        merge_id = await merging.record_merge(
            conn, actor, survivor, merged, identity_ids, ticket_ids, filled
        )
        detail = {
            "merge_id": str(merge_id),
            "survivor_id": str(survivor.id),
            "merged_id": str(merged.id),
            "identities": [*merged.phones, *merged.emails],
            "ticket_ids": [str(t) for t in ticket_ids],
            "filled_fields": filled,
        }
        await audit.record_change(conn, actor, "customer", survivor.id, "merged_in", after=detail)
        await audit.record_change(conn, actor, "customer", merged.id, "merged_away", after=detail)
        await live.publish(conn, Event.CUSTOMER_MERGED, detail)
        return await customers.load_customer(conn, survivor.id)


async def unmerge_customer(
    pool: Pool,
    actor: Actor,
    merged_id: UUID,
    *,
    any_merge: bool,
    now: datetime | None = None,
) -> Customer:
    """Undo the latest merge of this customer: its identities and tickets go back to it.

    With `any_merge` false (an agent), only the actor's own merge of the last day
    (`rules.may_undo_merge`); otherwise Forbidden.
    """
    moment = now or utc_now()

    def allowed(merged_by: UUID | None, merged_at: datetime) -> bool:
        return any_merge or (
            actor.user_id is not None
            and may_undo_merge(
                any_merge=any_merge,
                user_id=actor.user_id,
                merged_by=merged_by,
                merged_at=merged_at,
                now=moment,
            )
        )

    async with transaction(pool) as conn:
        survivor_id, identity_ids, ticket_ids, restored = await merging.undo_card_move(
            conn, merged_id, allowed
        )
        await tickets.restore_customer_tickets(conn, ticket_ids, merged_id)
        detail = {
            "survivor_id": str(survivor_id),
            "merged_id": str(merged_id),
            "identity_ids": [str(i) for i in identity_ids],
            "ticket_ids": [str(t) for t in ticket_ids],
            "restored_fields": restored,
        }
        await audit.record_change(conn, actor, "customer", merged_id, "unmerged", after=detail)
        await audit.record_change(
            conn, actor, "customer", survivor_id, "unmerged_out", after=detail
        )
        await live.publish(conn, Event.CUSTOMER_UPDATED, {"customer_id": merged_id})
        await live.publish(conn, Event.CUSTOMER_UPDATED, {"customer_id": survivor_id})
        return await customers.load_customer(conn, merged_id)


async def latest_merge(pool: Pool, merged_id: UUID) -> tuple[UUID | None, datetime] | None:
    """(who merged this card away, when), for showing an Undo button to whoever may use it."""
    async with pool.acquire() as conn:
        return await merging.latest_merge(conn, merged_id)
