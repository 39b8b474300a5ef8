"""Every webhook URL in one table; app.py mounts it. Webhooks authenticate by signature."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

from channels import twilio_sms, twilio_voice

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

WEBHOOKS: list[tuple[str, str, Handler]] = [
    ("POST", "/webhooks/twilio/sms", twilio_sms.inbound_sms),
    ("POST", "/webhooks/twilio/fallback", twilio_sms.fallback_sms),
    ("POST", twilio_sms.STATUS_PATH, twilio_sms.sms_status),
    ("POST", twilio_voice.VOICE_PATH, twilio_voice.inbound_call),
    ("POST", twilio_voice.MENU_PATH, twilio_voice.menu),
    ("POST", twilio_voice.WAIT_PATH, twilio_voice.wait),
    ("POST", twilio_voice.QUEUE_PATH, twilio_voice.queue_result),
    ("POST", twilio_voice.RECORDED_PATH, twilio_voice.recorded),
    ("POST", twilio_voice.TRANSCRIPTION_PATH, twilio_voice.transcription),
    ("POST", twilio_voice.DIAL_PATH, twilio_voice.dial_result),
    ("POST", twilio_voice.LEG_PATH, twilio_voice.agent_leg),
    ("POST", twilio_voice.STATUS_PATH, twilio_voice.call_status),
]


def add_webhooks(app: web.Application) -> None:
    for method, path, handler in WEBHOOKS:
        app.router.add_route(method, path, handler)
