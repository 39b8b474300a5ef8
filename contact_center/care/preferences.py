"""A customer's "no care messages" flag (greetings and broadcasts), and what care sent them."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from contact_center import audit
from contact_center.audit import Actor
from contact_center.care import store
from contact_center.db import Conn, Pool, transaction


async def care_opt_out(pool: Pool, customer_id: UUID) -> datetime | None:
    """Since when the customer wants no care messages; None: they get them."""
    async with pool.acquire() as conn:
        return await store.get_opt_out(conn, customer_id)


async def set_care_opt_out(
    pool: Pool, actor: Actor, customer_id: UUID, opted_out: bool, *, now: datetime
) -> datetime | None:
    """Set or clear the flag (audited on the customer). Not announced as a card change: the
    card page reloads on one, and only the switch that made the change shows the flag."""
    async with transaction(pool) as conn:
        before = await store.get_opt_out(conn, customer_id)
        if (before is not None) != opted_out:
            await store.set_opt_out(conn, customer_id, opted_out, by=actor.user_id, at=now)
            await audit.record_change(
                conn,
                actor,
                "customer",
                customer_id,
                "care_opt_out",
                before={"care_opted_out": before is not None},
                after={"care_opted_out": opted_out},
                at=now,
            )
        return await store.get_opt_out(conn, customer_id)


async def customer_care(conn: Conn, customer_id: UUID) -> dict[str, Any]:
    """What care holds about one customer, for the privacy export (one statement)."""
    found = await store.customer_care(conn, customer_id)
    since = next((r["at"] for r in found if r["kind"] == "opted_out"), None)
    return {
        "care_opted_out_since": since,
        "care_messages": [r for r in found if r["kind"] != "opted_out"],
    }
