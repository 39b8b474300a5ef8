"""Driving a call through the voice webhooks as Twilio would, and reading the TwiML back."""

from __future__ import annotations

import secrets
import xml.etree.ElementTree as ET
from typing import Any
from urllib.parse import urlsplit

from aiohttp.test_utils import TestClient

from tests.standins.twilio_api import ACCOUNT_SID, AUTH_TOKEN
from tests.twilio_signing import load_payload, post_twilio

Client = TestClient[Any, Any]
VOICE = "/webhooks/twilio/voice"
SERVICE_NUMBER = "+12025550100"


def new_call_sid() -> str:
    return "CA" + secrets.token_hex(16)


def call_form(call_sid: str, caller: str, **extra: str) -> dict[str, str]:
    return load_payload("voice_inbound", CallSid=call_sid, From=caller, To=SERVICE_NUMBER, **extra)


async def post_voice(client: Client, url: str, form: dict[str, str]) -> ET.Element:
    """POST a signed voice webhook to `url` (absolute, as TwiML names it, or a path) and
    parse the TwiML answer."""
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    response = await post_twilio(client, path, form, token=AUTH_TOKEN)
    assert response.status == 200, await response.text()
    assert response.content_type == "text/xml"
    root = ET.fromstring(await response.text())
    assert root.tag == "Response"
    return root


async def post_status(client: Client, call_sid: str, status: str, **extra: str) -> int:
    form = {
        "AccountSid": ACCOUNT_SID,
        "CallSid": call_sid,
        "CallStatus": status,
        "ApiVersion": "2010-04-01",
        **extra,
    }
    response = await post_twilio(client, "/webhooks/twilio/voice/status", form, token=AUTH_TOKEN)
    return int(response.status)


def said(root: ET.Element) -> str:
    return " ".join(say.text or "" for say in root.iter("Say"))


def only(root: ET.Element, tag: str) -> ET.Element:
    found = list(root.iter(tag))
    assert len(found) == 1, f"expected one <{tag}> in {ET.tostring(root, 'unicode')}"
    return found[0]
