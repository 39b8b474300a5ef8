"""The SMTP protocol as we run it: aiosmtpd with an idle timeout, a cap on concurrent
connections per client address, long lines accepted, and one log line per mail.

- Idle timeout: a connection that sends nothing for INBOUND_SMTP_IDLE_SECONDS gets
  `421 4.4.2` and is closed. Every byte received restarts the clock, so a large message on a
  slow link is never cut while it is still arriving.
- Per-address limit: beyond INBOUND_SMTP_CONNECTIONS_PER_ADDRESS open connections from one
  address, a new one gets `421 4.7.0` and is closed at once, before any work is done for it.
  Other addresses are not affected, so real mail still arrives during a flood from one source.
- Long lines: RFC 5322 caps lines at 998 bytes; real senders exceed it and common MTAs accept
  them, so lines up to INBOUND_SMTP_MAX_LINE_BYTES are taken. MAX_MAIL_BYTES still caps the
  whole message (552).
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from typing import Any

from aiosmtpd.smtp import SMTP

from contact_center.config import Settings
from contact_center.logs import mask

log = logging.getLogger("channels.smtp")


class ConnectionLimits:
    """Open connections per client address, shared by every session of one server."""

    def __init__(self, per_address: int) -> None:
        self.per_address = per_address
        self.open: Counter[str] = Counter()
        self.refused: Counter[str] = Counter()

    def admit(self, address: str) -> bool:
        if self.open[address] >= self.per_address:
            if not self.refused[address]:
                log.warning(
                    "SMTP: %s has %s open connections (the limit); refusing more with 421",
                    address,
                    self.open[address],
                )
            self.refused[address] += 1
            return False
        self.open[address] += 1
        return True

    def release(self, address: str) -> None:
        self.open[address] -= 1
        if self.open[address] <= 0:
            del self.open[address]
            refused = self.refused.pop(address, 0)
            if refused:
                log.warning("SMTP: %s refused %s connection(s) over the limit", address, refused)


class InboundSMTP(SMTP):
    def __init__(
        self, handler: Any, settings: Settings, limits: ConnectionLimits, **options: Any
    ) -> None:
        # Read by SMTP.__init__ to size its stream reader, so it is set first.
        self.line_length_limit = settings.inbound_smtp_max_line_bytes + 2
        super().__init__(handler, timeout=settings.inbound_smtp_idle_seconds, **options)
        self.limits = limits
        self.client_address = ""
        self.refused = False
        self.data_bytes = 0
        self.last_status = ""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        peer = transport.get_extra_info("peername")
        address = str(peer[0]) if peer else ""
        if not self.client_address and not self.limits.admit(address):
            self.refused = True
            assert isinstance(transport, asyncio.WriteTransport)
            transport.write(b"421 4.7.0 Too many connections from your address, try later\r\n")
            transport.close()
            return
        self.client_address = address
        super().connection_made(transport)

    def connection_lost(self, error: Exception | None) -> None:
        if self.refused:
            return  # never started: nothing of aiosmtpd's to tear down
        self.limits.release(self.client_address)
        super().connection_lost(error)

    def data_received(self, data: bytes) -> None:
        self._reset_timeout()
        self.data_bytes += len(data)
        super().data_received(data)

    def _timeout_cb(self) -> None:
        if isinstance(self.transport, asyncio.WriteTransport):
            self.transport.write(b"421 4.4.2 Idle too long, closing connection\r\n")
        super()._timeout_cb()  # type: ignore[no-untyped-call]

    async def push(self, status: Any) -> None:
        self.last_status = status.decode() if isinstance(status, bytes) else str(status)
        await super().push(status)

    async def smtp_DATA(self, arg: str) -> None:
        envelope = self.envelope
        assert envelope is not None
        sender, recipients = envelope.mail_from or "", list(envelope.rcpt_tos)
        self.data_bytes = 0
        await super().smtp_DATA(arg)
        if not recipients or self.last_status.startswith(("503", "501")):
            return  # no mail was sent; the client sees why
        outcome = self.last_status
        log.log(
            logging.INFO if outcome.startswith("2") else logging.WARNING,
            "mail from %s to %s (%s bytes, client %s): %s",
            mask(sender),
            mask(", ".join(recipients)),
            self.data_bytes,
            self.client_address,
            outcome,
            extra={
                "mail_from": mask(sender),
                "rcpt_to": [mask(r) for r in recipients],
                "bytes": self.data_bytes,
                "client": self.client_address,
                "outcome": outcome,
            },
        )


async def serve_smtp(handler: Any, settings: Settings) -> asyncio.Server:
    """Listen on INBOUND_SMTP_HOST:INBOUND_SMTP_PORT with one session per connection."""
    limits = ConnectionLimits(settings.inbound_smtp_connections_per_address)

    def protocol() -> InboundSMTP:
        return InboundSMTP(
            handler,
            settings,
            limits,
            data_size_limit=settings.max_mail_bytes,
            enable_SMTPUTF8=True,
            hostname=settings.mail_domain,
            ident="contact-center",
        )

    loop = asyncio.get_running_loop()
    # A deep accept queue, so that a burst of connections is answered (421 or 220) rather
    # than left half-open by the kernel.
    return await loop.create_server(
        protocol, settings.inbound_smtp_host, settings.inbound_smtp_port, backlog=1024
    )
