"""0036: a message of no ticket must name its customer, so the reference may not null itself."""

from __future__ import annotations

from contact_center.db import Pool


async def test_deleting_a_customer_never_nulls_an_outbound_message_reference(db: Pool) -> None:
    async with db.acquire() as conn:
        action = await conn.fetchval(
            "SELECT confdeltype::text FROM pg_constraint c"
            " JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey)"
            " WHERE c.conrelid = 'outbound_messages'::regclass AND c.contype = 'f'"
            " AND a.attname = 'customer_id'"
        )
    # 'a' no action / 'r' restrict: a delete is refused by the reference, never turned into a
    # row that breaks outbound_messages_named_customer.
    assert action in {"a", "r"}
