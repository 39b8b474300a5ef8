"""Export of everything stored about one customer, as plain JSON-ready data."""

from __future__ import annotations

import dataclasses
from typing import Any
from uuid import UUID

from contact_center import audit, care, customers, outbox, tickets
from contact_center.audit import Actor
from contact_center.db import Pool, transaction
from contact_center.timeutil import utc_now


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: _plain(v) for k, v in dataclasses.asdict(value).items()}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, bytes):
        # Raw mail as received; bytes that are not UTF-8 show as U+FFFD rather than being lost.
        return value.decode("utf-8", errors="replace")
    return str(value)


async def export_customer(pool: Pool, actor: Actor, customer_id: UUID) -> dict[str, Any]:
    """The info card, identities, organization, tickets, messages, raw inbound copies, the
    messages sent to the customer outside tickets, care messages and the audit trail of one
    customer. The export itself is recorded in the audit trail."""
    async with transaction(pool) as conn:
        customer = await customers.load_customer(conn, customer_id)
        history = await tickets.customer_history(conn, customer_id)
        trail = await audit.list_entries(conn, "customer", [str(customer_id)])
        named = await outbox.list_for_customer(conn, customer_id)
        cared = await care.customer_care(conn, customer_id)
        await audit.record_change(conn, actor, "customer", customer_id, "exported")
    export: dict[str, Any] = _plain(
        {
            "exported_at": utc_now(),
            "customer": customer,
            "tickets": history["tickets"],
            "inbound_contacts": history["inbound"],
            # Messages to the customer outside any ticket (greetings, broadcasts, reminders).
            "outbound_messages": named,
            "care": cared,
            "audit": trail,
        }
    )
    return export


async def erase_outbound(pool: Pool, actor: Actor, customer_id: UUID) -> int:
    """Erase what the outbound messages naming this customer said and where they went (the
    rows stay, blank, for the delivery figures); recorded in the audit trail. Returns how many
    messages were erased."""
    now = utc_now()
    async with transaction(pool) as conn:
        await customers.load_customer(conn, customer_id)  # NotFound for an unknown customer
        erased = await outbox.erase_for_customer(conn, customer_id, now=now)
        await audit.record_change(
            conn, actor, "customer", customer_id, "outbound_erased", after={"messages": erased}
        )
    return erased
