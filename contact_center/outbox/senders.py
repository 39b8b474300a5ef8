"""The Sender port: one per channel, registered in app.py, called outside any transaction."""

from __future__ import annotations

from typing import Protocol

from contact_center.outbox.model import OutboundChannel, OutboundMessage, ProviderReceipt


class Sender(Protocol):
    """Sends one message through a provider.

    Raises TransientSendError when it surely did not send, AmbiguousSendError when it cannot
    tell, PermanentSendError when it never will. Retry policy stays in the outbox.
    """

    channel: OutboundChannel

    async def send(self, message: OutboundMessage) -> ProviderReceipt: ...


Senders = dict[OutboundChannel, Sender]
