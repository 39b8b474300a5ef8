"""Composition root: builds the aiohttp application, the senders and the mail server, and wires
channels to services. The only module of contact_center allowed to import `channels`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable

from aiohttp import web

from channels.email_inbound import start_smtp_server
from channels.email_outbound import SmtpSender
from channels.routes import add_webhooks
from channels.twilio_sms import TwilioSmsSender
from channels.twilio_voice_control import TwilioCallControl
from contact_center.calls import CallControl
from contact_center.calls.devcontrol import LoggingCallControl
from contact_center.config import Settings
from contact_center.db import Pool
from contact_center.devsink import DevSinkSender
from contact_center.live import Hub, Listener
from contact_center.outbox import OutboundChannel, Sender, Senders
from contact_center.outbox.providers import Route, report, routes
from contact_center.web.console.pages import setup_pages
from contact_center.web.keys import HUB, POOL, SETTINGS
from contact_center.web.middleware import MIDDLEWARES, add_security_headers
from contact_center.web.routes import ROUTES, add_routes

MAX_BODY_BYTES = 1024 * 1024

log = logging.getLogger("contact_center.senders")


def create_app(settings: Settings, pool: Pool, *, live_dsn: str | None = None) -> web.Application:
    """The web application. With `live_dsn` it runs this process's live event listener on a
    connection of its own; without (tests on one rolled-back connection) `/live/events`
    answers 503."""
    app = web.Application(middlewares=MIDDLEWARES, client_max_size=MAX_BODY_BYTES)
    app[SETTINGS] = settings
    app[POOL] = pool
    app[HUB] = Hub()
    app.on_response_prepare.append(add_security_headers)
    setup_pages(app, settings)
    add_routes(app, ROUTES)
    add_webhooks(app)
    if live_dsn is not None:
        app.cleanup_ctx.append(live_listener(live_dsn))
    app.on_shutdown.append(end_live_streams)
    return app


def live_listener(dsn: str) -> Callable[[web.Application], AsyncIterator[None]]:
    """The listener runs from application start-up to clean-up (aiohttp `cleanup_ctx`)."""

    async def listening(app: web.Application) -> AsyncIterator[None]:
        listener = Listener(dsn, app[HUB])
        await listener.start()
        try:
            yield
        finally:
            await listener.stop()

    return listening


async def end_live_streams(app: web.Application) -> None:
    """Open event streams would keep shutdown waiting: tell them to end (browsers reconnect
    to another process, or to this one once it is back, with Last-Event-ID)."""
    app[HUB].drop_all("shutdown")


def build_senders(settings: Settings, pool: Pool) -> Senders:
    """The outbox's sender registry: one sender per channel that has somewhere to send to
    (a provider, or in demo mode the development sink; see `outbox.providers`)."""
    providers: dict[OutboundChannel, Callable[[], Sender]] = {
        OutboundChannel.SMS: lambda: TwilioSmsSender(settings),
        OutboundChannel.EMAIL: lambda: SmtpSender(settings),
    }
    senders: Senders = {}
    for channel, route in routes(settings).items():
        if route is Route.PROVIDER:
            senders[channel] = providers[channel]()
        elif route is Route.SINK:
            senders[channel] = DevSinkSender(pool, channel)
    return senders


def build_call_control(settings: Settings) -> CallControl | None:
    """What acts on live calls (connects accepted calls, places callbacks): Twilio's REST API
    with a real account, the logging stand-in in demo mode, else nothing (said at start)."""
    if settings.twilio_configured:
        return TwilioCallControl(settings)
    if settings.demo:
        log.info("calls: demo mode, call control is the development stand-in (logs only)")
        return LoggingCallControl()
    log.warning(
        "calls: no Twilio account (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN): accepted calls "
        "cannot be connected and callbacks cannot be dialled"
    )
    return None


async def close_call_control(control: CallControl | None) -> None:
    close = getattr(control, "close", None)
    if close is not None:
        await close()


def report_senders(settings: Settings) -> None:
    """Say at start, per channel, whether and where this service sends."""
    for level, line in report(settings):
        log.log(level, line)


async def close_senders(senders: Senders) -> None:
    for sender in senders.values():
        close = getattr(sender, "close", None)
        if close is not None:
            await close()


async def create_smtp_server(settings: Settings, pool: Pool) -> asyncio.Server:
    """The inbound mail server, listening on INBOUND_SMTP_HOST:INBOUND_SMTP_PORT."""
    return await start_smtp_server(pool, settings)
