"""Twilio SMS: the inbound webhook, its fallback, delivery status callbacks, and the sender."""

from __future__ import annotations

import asyncio
import hashlib
from typing import Any
from uuid import UUID

import aiohttp
from aiohttp import web
from multidict import MultiDict
from twilio.base.exceptions import TwilioRestException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.rest import Client

from channels.twilio_auth import verified_form
from contact_center import delivery, tickets
from contact_center.config import Settings
from contact_center.outbox import (
    AmbiguousSendError,
    DeliveryStatusUpdate,
    OutboundChannel,
    OutboundMessage,
    PermanentSendError,
    ProviderReceipt,
    TransientSendError,
)
from contact_center.tickets import Channel, InboundContact
from contact_center.timeutil import utc_now
from contact_center.web.jsonio import BadRequest
from contact_center.web.keys import POOL, SETTINGS

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
STATUS_PATH = "/webhooks/twilio/sms/status"
MAX_MEDIA = 10
# Twilio sends these on every SMS webhook and status callback; checked with AccountSid.
SMS_IDS = ("MessageSid",)


def parse_inbound_sms(form: MultiDict[str]) -> InboundContact:
    """Twilio's documented form fields to an inbound contact. Raises BadRequest when the
    fields intake cannot do without are missing."""
    sid = form.get("MessageSid") or form.get("SmsSid") or ""
    sender = form.get("From", "")
    if not sid or not sender:
        raise BadRequest("MessageSid and From are required")
    count = int(form.get("NumMedia", "0") or 0) if (form.get("NumMedia") or "0").isdigit() else 0
    media = [
        {"url": form.get(f"MediaUrl{n}", ""), "content_type": form.get(f"MediaContentType{n}", "")}
        for n in range(min(count, MAX_MEDIA))
        if form.get(f"MediaUrl{n}")
    ]
    return InboundContact(
        channel=Channel.SMS,
        provider_id=sid,
        from_address=sender,
        to_address=form.get("To", ""),
        text=form.get("Body", "").replace("\x00", ""),
        attachments=media,
        payload={key: form.getall(key)[0] for key in form},
    )


def twiml() -> web.Response:
    return web.Response(text=EMPTY_TWIML, content_type="text/xml")


async def inbound_sms(request: web.Request) -> web.Response:
    form = await verified_form(request, ids=SMS_IDS)
    contact = parse_inbound_sms(form)
    settings = request.app[SETTINGS]
    await tickets.intake(
        request.app[POOL], contact, now=utc_now(), options=tickets.intake_options(settings)
    )
    return twiml()


async def fallback_sms(request: web.Request) -> web.Response:
    """For the number's fallback URL: whatever arrives is stored, parsed or raw."""
    form = await verified_form(request, ids=SMS_IDS)
    try:
        contact = parse_inbound_sms(form)
    except BadRequest as exc:
        raw = "&".join(f"{k}={v}" for k, v in form.items()).encode()
        sid = form.get("MessageSid") or "fallback-" + hashlib.sha256(raw).hexdigest()
        await tickets.keep_unparsed(
            request.app[POOL],
            channel=Channel.SMS,
            provider_id=sid,
            raw=raw,
            error=exc.message,
            now=utc_now(),
        )
        return twiml()
    await tickets.intake(
        request.app[POOL],
        contact,
        now=utc_now(),
        options=tickets.intake_options(request.app[SETTINGS]),
    )
    return twiml()


def parse_status(form: MultiDict[str], outbound_id: str) -> DeliveryStatusUpdate:
    try:
        target = UUID(outbound_id)
    except ValueError:
        raise BadRequest("the status callback URL carries no outbox id") from None
    status = form.get("MessageStatus") or form.get("SmsStatus") or ""
    if not status:
        raise BadRequest("MessageStatus is required")
    return DeliveryStatusUpdate(
        outbound_id=target,
        provider_id=form.get("MessageSid", ""),
        reported=status,
        error_code=form.get("ErrorCode") or None,
        payload={key: form.getall(key)[0] for key in form},
    )


async def sms_status(request: web.Request) -> web.Response:
    form = await verified_form(request, ids=SMS_IDS)
    update = parse_status(form, request.query.get("outbox", ""))
    await delivery.record_delivery_status(request.app[POOL], update, now=utc_now())
    return web.Response(status=204)


class TwilioSmsSender:
    """Sends SMS with the real twilio client (its async HTTP client), at TWILIO_API_BASE."""

    channel = OutboundChannel.SMS

    def __init__(self, settings: Settings, *, timeout: float = 15) -> None:
        self.settings = settings
        self.timeout = timeout
        self._client: Client | None = None

    def _twilio(self) -> Client:
        if self._client is None:
            http = AsyncTwilioHttpClient(timeout=self.timeout)
            self._client = Client(
                self.settings.twilio_account_sid,
                self.settings.twilio_auth_token.value,
                http_client=http,
            )
            self._client.api.base_url = self.settings.twilio_api_base
        return self._client

    async def send(self, message: OutboundMessage) -> ProviderReceipt:
        callback = f"{self.settings.public_url}{STATUS_PATH}?outbox={message.id}"
        try:
            # The twilio client passes no timeout to aiohttp of its own accord.
            async with asyncio.timeout(self.timeout):
                created = await self._twilio().messages.create_async(
                    to=message.to_address,
                    from_=message.from_address,
                    body=message.body_text,
                    status_callback=callback,
                )
        except TwilioRestException as exc:
            raise _classify(exc) from exc
        except (aiohttp.ClientConnectorError, ConnectionRefusedError) as exc:
            raise TransientSendError(f"cannot reach Twilio: {exc}") from exc
        except (TimeoutError, aiohttp.ClientError) as exc:
            raise AmbiguousSendError(f"no answer from Twilio: {exc!r}") from exc
        return ProviderReceipt(provider_id=str(created.sid))

    async def close(self) -> None:
        if self._client is not None:
            http: Any = self._client.http_client
            await http.close()


def _classify(exc: TwilioRestException) -> Exception:
    text = f"Twilio {exc.status}: {exc.msg}"
    code = str(exc.code) if exc.code else str(exc.status)
    if exc.status in (429, 503):
        return TransientSendError(text, code=code)
    if exc.status >= 500:
        return AmbiguousSendError(text, code=code)
    return PermanentSendError(text, code=code)
