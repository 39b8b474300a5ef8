"""Acting on live calls through Twilio's REST API (the real `twilio` client, at
TWILIO_API_BASE): redirect a call to new TwiML, place an outbound call."""

from __future__ import annotations

import asyncio
from typing import Any

from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.rest import Client

from channels.twilio_voice import STATUS_PATH, render
from contact_center.calls import VoiceAnswer
from contact_center.config import Settings


class TwilioCallControl:
    """`calls.CallControl` on Twilio: `calls(sid).update(twiml=…)` and `calls.create(…)`."""

    def __init__(self, settings: Settings, *, timeout: float = 15) -> None:
        self.settings = settings
        self.timeout = timeout
        self._client: Client | None = None

    def _twilio(self) -> Client:
        if self._client is None:
            self._client = Client(
                self.settings.twilio_account_sid,
                self.settings.twilio_auth_token.value,
                http_client=AsyncTwilioHttpClient(timeout=self.timeout),
            )
            self._client.api.base_url = self.settings.twilio_api_base
        return self._client

    async def redirect(self, call_sid: str, answer: VoiceAnswer) -> None:
        async with asyncio.timeout(self.timeout):
            await self._twilio().calls(call_sid).update_async(twiml=render(answer, self.settings))

    async def place(self, *, to: str, from_: str, answer: VoiceAnswer) -> str:
        async with asyncio.timeout(self.timeout):
            created = await self._twilio().calls.create_async(
                to=to,
                from_=from_,
                twiml=render(answer, self.settings),
                status_callback=self.settings.public_url + STATUS_PATH,
                status_callback_method="POST",
                status_callback_event=["initiated", "ringing", "answered", "completed"],
            )
        return str(created.sid)

    async def close(self) -> None:
        if self._client is not None:
            http: Any = self._client.http_client
            await http.close()
