"""The voice options of a site, read from its Settings."""

from __future__ import annotations

from datetime import timedelta

from contact_center.calls.model import VoiceOptions
from contact_center.config import Settings

# Demo mode without a Twilio account dials through the logging stand-in: a made-up service
# number (a reserved 555 one) keeps "dial" usable there.
DEMO_FROM_NUMBER = "+12025550199"


def _from_number(settings: Settings) -> str:
    if settings.twilio_from_number or settings.twilio_configured or not settings.demo:
        return settings.twilio_from_number
    return DEMO_FROM_NUMBER


def voice_options(settings: Settings) -> VoiceOptions:
    return VoiceOptions(
        site_timezone=settings.site_timezone,
        texts={name: dict(texts) for name, texts in settings.voice_texts.items()},
        hold_audio_url=settings.hold_audio_url,
        place_back_window=timedelta(minutes=settings.place_back_minutes),
        callback_hours=settings.callback_business_hours,
        key_account_callback_hours=settings.key_account_callback_hours,
        voicemail_seconds=settings.voicemail_seconds,
        from_number=_from_number(settings),
        calls_per_second=settings.calls_per_second,
    )
