"""Twenty submits of one draft at once, on a real pool: one message, one outbound row."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
import pytest

from contact_center import tickets
from contact_center.config import Settings
from contact_center.timeutil import utc_now
from contact_center.users import Role
from tests.builders import make_inbound_sms, make_user, token_for
from tests.conftest import client_for

pytestmark = pytest.mark.commits


async def test_twenty_concurrent_sends_of_one_draft_make_one_reply(
    settings: Settings, pool: asyncpg.Pool[Any]
) -> None:
    headers = await token_for(pool, await make_user(pool, Role.AGENT))
    sms = await tickets.intake(pool, make_inbound_sms(), now=utc_now())
    body = {"channel": "sms", "text": "Sent once.", "draft_key": "draft-race-0001"}
    async with client_for(settings, pool) as client:
        answers = await asyncio.gather(
            *(
                client.post(f"/api/v1/tickets/{sms.ticket_id}/replies", headers=headers, json=body)
                for _ in range(20)
            )
        )
        statuses = sorted(a.status for a in answers)
        ids = {(await a.json())["id"] for a in answers}
    assert statuses == [200] * 19 + [201]
    assert len(ids) == 1
    async with pool.acquire() as conn:
        messages = await conn.fetchval(
            "SELECT count(*) FROM messages WHERE ticket_id = $1 AND direction = 'outbound'",
            sms.ticket_id,
        )
        outbound = await conn.fetchval(
            "SELECT count(*) FROM outbound_messages WHERE ticket_id = $1", sms.ticket_id
        )
    assert (messages, outbound) == (1, 1)
