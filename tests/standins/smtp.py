"""A real SMTP server (aiosmtpd) that captures what we send. Recipients starting with
`busy` get 451 (try later), `nobody` get 550 (refused); mail to `rejected…` is refused after
its data with 554 (a permanent refusal of the message itself)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session


@dataclass
class SmtpCapture:
    messages: list[EmailMessage] = field(default_factory=list)
    port: int = 0

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if address.startswith("busy"):
            return "451 4.3.0 Mailbox busy, try later"
        if address.startswith("nobody"):
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if any(rcpt.startswith("rejected") for rcpt in envelope.rcpt_tos):
            return "554 5.7.1 Message refused by policy"
        parsed: Any = message_from_bytes(envelope.original_content or b"", policy=policy.default)
        self.messages.append(parsed)
        return "250 OK"


@asynccontextmanager
async def running_smtp() -> AsyncIterator[SmtpCapture]:
    capture = SmtpCapture()
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(capture), "127.0.0.1", 0)
    capture.port = server.sockets[0].getsockname()[1]
    try:
        yield capture
    finally:
        server.close()
        await server.wait_closed()
