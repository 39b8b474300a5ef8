"""Composition root: builds the aiohttp application, the senders and the mail server, and wires
channels to services. The only module of contact_center allowed to import `channels`.
"""

from __future__ import annotations

import asyncio

from aiohttp import web

from channels.email_inbound import start_smtp_server
from channels.email_outbound import SmtpSender
from channels.routes import add_webhooks
from channels.twilio_sms import TwilioSmsSender
from contact_center.config import Settings
from contact_center.db import Pool
from contact_center.outbox import OutboundChannel, Senders
from contact_center.web.keys import POOL, SETTINGS
from contact_center.web.middleware import MIDDLEWARES, add_security_headers
from contact_center.web.routes import ROUTES, add_routes

MAX_BODY_BYTES = 1024 * 1024


def create_app(settings: Settings, pool: Pool) -> web.Application:
    app = web.Application(middlewares=MIDDLEWARES, client_max_size=MAX_BODY_BYTES)
    app[SETTINGS] = settings
    app[POOL] = pool
    app.on_response_prepare.append(add_security_headers)
    add_routes(app, ROUTES)
    add_webhooks(app)
    return app


def build_senders(settings: Settings) -> Senders:
    """The outbox's sender registry: one sender per channel."""
    return {
        OutboundChannel.SMS: TwilioSmsSender(settings),
        OutboundChannel.EMAIL: SmtpSender(settings),
    }


async def close_senders(senders: Senders) -> None:
    for sender in senders.values():
        close = getattr(sender, "close", None)
        if close is not None:
            await close()


async def create_smtp_server(settings: Settings, pool: Pool) -> asyncio.Server:
    """The inbound mail server, listening on INBOUND_SMTP_HOST:INBOUND_SMTP_PORT."""
    return await start_smtp_server(pool, settings)
