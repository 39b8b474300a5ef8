"""The development sink: in demo mode, the sender registered in place of Twilio or an SMTP
relay that has not been configured. It keeps what would have been sent, for people to read
on `/dev/outbox` and `/api/v1/dev/sink`, the way mail catchers such as MailHog do."""

from __future__ import annotations

from datetime import datetime

from contact_center.db import Pool
from contact_center.devsink import store
from contact_center.devsink.model import SinkEntry
from contact_center.outbox import OutboundChannel, OutboundMessage, ProviderReceipt
from contact_center.timeutil import utc_now


async def keep(pool: Pool, message: OutboundMessage, *, now: datetime) -> SinkEntry:
    """Store one "sent" message (once per outbound message); returns what is kept."""
    async with pool.acquire() as conn:
        entry_id = await store.insert_entry(
            conn,
            {
                "outbound_id": message.id,
                "ticket_id": message.ticket_id,
                "purpose": str(message.purpose),
                "channel": str(message.channel),
                "from_address": message.from_address,
                "to_address": message.to_address,
                "subject": message.subject,
                "body_text": message.body_text,
                "headers": message.headers,
            },
            at=now,
        )
        return await store.get_entry(conn, entry_id)


async def list_sent(pool: Pool, *, channel: str | None = None, limit: int = 50) -> list[SinkEntry]:
    """What the sink was given, newest first."""
    async with pool.acquire() as conn:
        return await store.list_entries(conn, channel=channel, limit=limit)


async def count_sent(pool: Pool) -> dict[str, int]:
    async with pool.acquire() as conn:
        return await store.count_entries(conn)


class DevSinkSender:
    """A Sender for one channel that "delivers" into the sink. Always succeeds."""

    def __init__(self, pool: Pool, channel: OutboundChannel) -> None:
        self.pool = pool
        self.channel = channel

    async def send(self, message: OutboundMessage) -> ProviderReceipt:
        entry = await keep(self.pool, message, now=utc_now())
        if message.channel is OutboundChannel.EMAIL and message.headers.get("Message-ID"):
            return ProviderReceipt(str(message.headers["Message-ID"]))
        return ProviderReceipt(f"devsink-{entry.id}")
