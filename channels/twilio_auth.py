"""Checking X-Twilio-Signature: a request that fails it gets 403 and is never looked at further.

The URL signed is always PUBLIC_URL plus the path and query Twilio called, never the URL
this process sees: behind a TLS-terminating proxy the scheme and host differ, which is the
first cause Twilio lists for signature failures (error 57012).
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from aiohttp import web
from multidict import MultiDict
from twilio.request_validator import RequestValidator

from contact_center.config import Settings
from contact_center.errors import Forbidden
from contact_center.web.keys import SETTINGS

SIGNATURE_HEADER = "X-Twilio-Signature"


def signed_url(settings: Settings, request: web.Request) -> str:
    return settings.public_url + request.rel_url.raw_path_qs


def form_of(body: bytes) -> MultiDict[str]:
    return MultiDict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))


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


async def verified_form(request: web.Request) -> MultiDict[str]:
    """The request's form fields, once its signature checks out; Forbidden (403) otherwise."""
    settings = request.app[SETTINGS]
    body = await request.read()
    json_body = "bodySHA256" in request.query
    form = MultiDict[str]() if json_body else form_of(body)
    signature = request.headers.get(SIGNATURE_HEADER, "")
    url = signed_url(settings, request)
    if not is_valid(settings, url, body, signature, json_body=json_body, form=form):
        raise Forbidden("missing or wrong Twilio signature")
    return form
