"""Driving a call through the voice webhooks as Twilio would, and reading the TwiML back."""

from __future__ import annotations

import secrets
import xml.etree.ElementTree as ET
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

from aiohttp.test_utils import TestClient

from contact_center import routing, site
from contact_center.audit import Actor
from contact_center.routing import Presence
from contact_center.timeutil import utc_now
from contact_center.users import Role
from tests.builders import TEST_ACTOR, make_user
from tests.conftest import SingleConnectionPool
from tests.standins.twilio_api import ACCOUNT_SID, AUTH_TOKEN
from tests.twilio_signing import load_payload, post_twilio

Client = TestClient[Any, Any]
VOICE = "/webhooks/twilio/voice"
SERVICE_NUMBER = "+12025550100"
ALWAYS = {day: [["00:00", "24:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


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


async def set_hours(db: SingleConnectionPool, hours: dict[str, Any]) -> None:
    """Every queue's hours; open all hours means no public holidays either, so these tests
    pass on whatever day they run (the site calendar closes queues on its holidays)."""
    for name in ("general", "complaint", "order"):
        await routing.update_queue(db, TEST_ACTOR, name, {"hours": hours}, now=utc_now())
    if hours == ALWAYS:
        async with db.acquire() as conn:
            version = (await site.load(conn)).versions[site.SettingKey.HOLIDAYS]
        value = {"country": None, "subdivision": None}
        await site.update_setting(db, TEST_ACTOR, "holidays", value, version=version, now=utc_now())


async def available(db: SingleConnectionPool, role: Role = Role.AGENT) -> UUID:
    user = await make_user(db, role)
    await routing.set_presence(
        db, Actor(label=user.email, user_id=user.id), user.id, Presence.AVAILABLE, "", now=utc_now()
    )
    return user.id


async def call_row(db: SingleConnectionPool, call_sid: str) -> dict[str, Any]:
    async with db.acquire() as conn:
        row = await conn.fetchrow("SELECT * FROM calls WHERE call_sid = $1", call_sid)
    assert row is not None
    return dict(row)


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def leg_form(leg_sid: str, parent_sid: str, status: str) -> dict[str, str]:
    """The dialled agent's leg reporting its status, as Twilio posts it."""
    return {
        "AccountSid": ACCOUNT_SID,
        "CallSid": leg_sid,
        "ParentCallSid": parent_sid,
        "CallStatus": status,
        "ApiVersion": "2010-04-01",
    }
