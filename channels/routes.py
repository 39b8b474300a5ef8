"""Every webhook URL in one table; app.py mounts it. Webhooks authenticate by signature."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

from channels import twilio_sms

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

WEBHOOKS: list[tuple[str, str, Handler]] = [
    ("POST", "/webhooks/twilio/sms", twilio_sms.inbound_sms),
    ("POST", "/webhooks/twilio/fallback", twilio_sms.fallback_sms),
    ("POST", twilio_sms.STATUS_PATH, twilio_sms.sms_status),
]


def add_webhooks(app: web.Application) -> None:
    for method, path, handler in WEBHOOKS:
        app.router.add_route(method, path, handler)
