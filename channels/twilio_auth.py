"""Checking X-Twilio-Signature: a request that fails it gets 403 and is never looked at further.

The URL signed is always PUBLIC_URL plus the path and query Twilio called, never the URL
this process sees: behind a TLS-terminating proxy the scheme and host differ, which is the
first cause Twilio lists for signature failures (error 57012).

A valid signature is not enough: Twilio signs names and values concatenated without separators,
so a captured request re-split into other parameters (`MessageSid=SMx…NumMedia0NumSegments1`)
still verifies. Every id Twilio sends is therefore checked against its fixed shape, and the
account against ours, before anything is stored.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import parse_qsl

from aiohttp import web
from multidict import MultiDict
from twilio.request_validator import RequestValidator

from contact_center.config import Settings
from contact_center.errors import Forbidden
from contact_center.web.jsonio import BadRequest, UnsupportedMediaType
from contact_center.web.keys import SETTINGS

log = logging.getLogger("channels.twilio")

SIGNATURE_HEADER = "X-Twilio-Signature"
FORM = "application/x-www-form-urlencoded"
_HEX32 = "[0-9a-fA-F]{32}"
# The shapes of the ids Twilio sends (two letters naming the kind, then 32 hex digits). A
# re-split id is longer or shorter, so a fixed length is what catches it.
ID_SHAPES: dict[str, re.Pattern[str]] = {
    "AccountSid": re.compile(f"AC{_HEX32}"),
    "MessageSid": re.compile(f"(?:SM|MM){_HEX32}"),
    "SmsSid": re.compile(f"(?:SM|MM){_HEX32}"),
    "SmsMessageSid": re.compile(f"(?:SM|MM){_HEX32}"),
    "MessagingServiceSid": re.compile(f"MG{_HEX32}"),
    "CallSid": re.compile(f"CA{_HEX32}"),
    "ParentCallSid": re.compile(f"CA{_HEX32}"),
    "RecordingSid": re.compile(f"RE{_HEX32}"),
    "TranscriptionSid": re.compile(f"TR{_HEX32}"),
    "QueueSid": re.compile(f"QU{_HEX32}"),
}


def signed_url(settings: Settings, request: web.Request) -> str:
    return settings.public_url + request.rel_url.raw_path_qs


def form_of(body: bytes) -> MultiDict[str]:
    return MultiDict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))


def stored_form(form: MultiDict[str]) -> MultiDict[str]:
    """The form with NUL characters removed: PostgreSQL text and jsonb cannot hold them."""
    return MultiDict((k.replace("\x00", ""), v.replace("\x00", "")) for k, v in form.items())


def check_ids(form: MultiDict[str], account_sid: str, required: tuple[str, ...]) -> None:
    """Raise BadRequest naming the field unless the ids Twilio always sends are present, every
    id has its shape, and the account is ours. With no TWILIO_ACCOUNT_SID configured, any
    well-formed account is taken: the auth token already ties the signature to one account."""
    for name in ("AccountSid", *required):
        if not form.get(name):
            raise BadRequest(f"{name} is required", field=name)
    for name, shape in ID_SHAPES.items():
        if not all(shape.fullmatch(value) for value in form.getall(name, [])):
            raise BadRequest(f"{name} is not a Twilio id", field=name)
    if account_sid and form["AccountSid"] != account_sid:
        raise BadRequest("AccountSid is not this service's Twilio account", field="AccountSid")


def is_valid(
    settings: Settings,
    url: str,
    body: bytes,
    signature: str,
    *,
    json_body: bool,
    form: MultiDict[str] | None = None,
) -> bool:
    token = settings.twilio_auth_token.value
    if not token or not signature:
        return False
    validator = RequestValidator(token)
    if json_body:
        # JSON webhooks sign the URL (which carries bodySHA256) and hash the raw body.
        return bool(validator.validate(url, body.decode("utf-8", "replace"), signature))
    return bool(validator.validate(url, form if form is not None else form_of(body), signature))


async def verified_form(request: web.Request, *, ids: tuple[str, ...]) -> MultiDict[str]:
    """The request's form fields, once its signature checks out (else Forbidden, 403), it is a
    form (else UnsupportedMediaType, 415) and the ids in `ids` and AccountSid are present and
    well formed (else BadRequest, 400). Refusals after the signature are logged: they mean a
    tampered or replayed request signed with our token."""
    settings = request.app[SETTINGS]
    body = await request.read()
    form = form_of(body)
    signature = request.headers.get(SIGNATURE_HEADER, "")
    url = signed_url(settings, request)
    if not is_valid(settings, url, body, signature, json_body=False, form=form):
        raise Forbidden("missing or wrong Twilio signature")
    try:
        if request.content_type != FORM:
            raise UnsupportedMediaType(f"a Twilio webhook must be {FORM}")
        check_ids(form, settings.twilio_account_sid, ids)
    except (BadRequest, UnsupportedMediaType) as exc:
        log.warning(
            "security: signed webhook %s refused: %s (%s)",
            request.path,
            exc.message,
            exc.field or "content type",
        )
        raise
    return stored_form(form)
