"""Which sender serves each channel, decided from the settings, and how to say so at start.
Pure: `app.py` builds the senders this names."""

from __future__ import annotations

import logging
from enum import StrEnum

from contact_center.config import Settings
from contact_center.logs import mask
from contact_center.outbox.model import OutboundChannel

SINK_PAGE = "/dev/outbox"


class Route(StrEnum):
    PROVIDER = "provider"  # Twilio or the SMTP relay
    SINK = "sink"  # demo mode's development sink
    NONE = "none"  # nothing: messages wait as pending


def routes(settings: Settings) -> dict[OutboundChannel, Route]:
    """A configured provider always wins; in demo mode the development sink stands in for a
    missing one; otherwise the channel has no sender."""

    def route(configured: bool) -> Route:
        if configured:
            return Route.PROVIDER
        return Route.SINK if settings.demo else Route.NONE

    return {
        OutboundChannel.SMS: route(settings.twilio_configured),
        OutboundChannel.EMAIL: route(settings.smtp_configured),
    }


def report(settings: Settings) -> list[tuple[int, str]]:
    """Per channel, whether this service can send and where: (log level, line)."""
    chosen = routes(settings)
    sink = f"the development sink ({settings.public_url}{SINK_PAGE})"
    if chosen[OutboundChannel.SMS] is Route.PROVIDER:
        number = mask(settings.twilio_from_number) if settings.twilio_from_number else "none"
        sms = (
            logging.INFO,
            f"SMS: sending through Twilio account {settings.twilio_account_sid[:6]}… at "
            f"{settings.twilio_api_base} (default sender number: {number})",
        )
    elif chosen[OutboundChannel.SMS] is Route.SINK:
        sms = (logging.INFO, f"SMS: no Twilio account configured — outbound SMS go to {sink}")
    else:
        sms = (
            logging.WARNING,
            "SMS: no Twilio account configured (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN) — "
            "outbound SMS stay pending until one is",
        )
    if chosen[OutboundChannel.EMAIL] is Route.PROVIDER:
        tls = ", STARTTLS" if settings.smtp_starttls else ""
        email = (
            logging.INFO,
            f"email: relaying through {settings.smtp_host}:{settings.smtp_port}{tls} "
            f"as {settings.support_address}",
        )
    elif chosen[OutboundChannel.EMAIL] is Route.SINK:
        email = (logging.INFO, f"email: no mail relay configured — outbound mail goes to {sink}")
    else:
        email = (
            logging.WARNING,
            "email: no mail relay configured (SMTP_HOST) — outbound mail stays pending until "
            "one is",
        )
    return [sms, email]
