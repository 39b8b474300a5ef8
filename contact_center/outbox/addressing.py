"""Which channel an answer goes on and which of our numbers or addresses sends it. Pure."""

from __future__ import annotations

from contact_center.outbox.model import Origin, OutboundChannel, OutboundRefused


def channel_of(ticket_channel: str) -> OutboundChannel:
    """A ticket channel to the outbound channel that serves it; voice, notes and web forms
    have no way to send a written answer."""
    try:
        return OutboundChannel(ticket_channel)
    except ValueError:
        raise OutboundRefused(
            f"messages cannot be sent on the {ticket_channel} channel", reason="channel"
        ) from None


def sender_for(channel: OutboundChannel, reply_from: str, origin: Origin) -> str:
    """An SMS answers from the number the customer wrote to, else our configured number; an
    email always comes from the support address (replies come back through Reply-To)."""
    if channel is OutboundChannel.EMAIL:
        return origin.email_from
    sender = reply_from or origin.sms_from
    if not sender:
        raise OutboundRefused(
            "no SMS number to send from is configured (TWILIO_FROM_NUMBER)", reason="no_sender"
        )
    return sender
