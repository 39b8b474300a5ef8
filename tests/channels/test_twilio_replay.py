"""Replays of signed webhooks: a captured request re-split into new parameters verifies (Twilio
signs names and values concatenated without separators), so ids and the account are checked."""

from __future__ import annotations

import dataclasses
import logging
import secrets
import uuid
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlencode

import pytest
import pytest_asyncio
from aiohttp.test_utils import TestClient

from contact_center.config import Secret, Settings
from tests.conftest import SingleConnectionPool, client_for
from tests.standins.twilio_api import ACCOUNT_SID, AUTH_TOKEN
from tests.twilio_signing import load_payload, post_twilio, signature

Client = TestClient[Any, Any]
SMS = "/webhooks/twilio/sms"
URL = "http://localhost:8080" + SMS


@pytest.fixture
def twilio_settings(settings: Settings) -> Settings:
    return dataclasses.replace(
        settings,
        twilio_auth_token=Secret(AUTH_TOKEN),
        twilio_account_sid=ACCOUNT_SID,
        twilio_from_number="+12025550100",
    )


@pytest_asyncio.fixture
async def sms_client(twilio_settings: Settings, db: SingleConnectionPool) -> AsyncIterator[Client]:
    async with client_for(twilio_settings, db) as client:
        yield client


async def count(db: SingleConnectionPool, sql: str) -> int:
    async with db.acquire() as conn:
        return int(await conn.fetchval(sql))


async def rows(db: SingleConnectionPool) -> tuple[int, int]:
    return (
        await count(db, "SELECT count(*) FROM messages"),
        await count(db, "SELECT count(*) FROM inbound_contacts"),
    )


def recorded() -> dict[str, str]:
    sid = "SM" + secrets.token_hex(16)
    return load_payload("sms_inbound_basic", MessageSid=sid, SmsSid=sid, SmsMessageSid=sid)


def resplit(payload: dict[str, str], name: str, absorbed: list[str]) -> dict[str, str]:
    """`name`'s value swallows the names and values of `absorbed`, which disappear."""
    changed = dict(payload)
    for other in absorbed:
        changed[name] += other + changed.pop(other)
    return changed


RESPLITS = [
    ("MessageSid", ["NumMedia", "NumSegments"]),
    ("SmsSid", ["SmsStatus"]),
    ("AccountSid", ["ApiVersion"]),
]


@pytest.mark.parametrize(("name", "absorbed"), RESPLITS, ids=[n for n, _ in RESPLITS])
async def test_a_resplit_replay_verifies_but_is_refused_and_stores_nothing(
    sms_client: Client,
    db: SingleConnectionPool,
    caplog: pytest.LogCaptureFixture,
    name: str,
    absorbed: list[str],
) -> None:
    original = recorded()
    assert (await post_twilio(sms_client, SMS, original, token=AUTH_TOKEN)).status == 200
    before = await rows(db)
    replay = resplit(original, name, absorbed)
    # The attack works at the signature level: the captured signature fits the new form.
    assert signature(AUTH_TOKEN, URL, replay) == signature(AUTH_TOKEN, URL, original)
    with caplog.at_level(logging.WARNING):
        response = await post_twilio(
            sms_client, SMS, replay, token=AUTH_TOKEN, sign_params=original
        )
    assert response.status == 400
    assert (await response.json())["error"]["field"] == name
    assert await rows(db) == before
    assert any("refused" in r.getMessage() and name in r.getMessage() for r in caplog.records)


async def test_a_message_sid_folded_into_another_field_is_refused(
    sms_client: Client, db: SingleConnectionPool
) -> None:
    original = recorded()
    await post_twilio(sms_client, SMS, original, token=AUTH_TOKEN)
    before = await rows(db)
    # FromZip swallows MessageSid; SmsSid and SmsMessageSid fold into NumSegments.
    replay = resplit(original, "FromZip", ["MessageSid"])
    replay = resplit(replay, "NumSegments", ["SmsMessageSid", "SmsSid"])
    for path in (SMS, "/webhooks/twilio/fallback"):
        response = await post_twilio(
            sms_client, path, replay, token=AUTH_TOKEN, sign_params=original
        )
        assert response.status == 400, path
    assert await rows(db) == before


async def test_another_account_is_refused(sms_client: Client, db: SingleConnectionPool) -> None:
    before = await rows(db)
    payload = {**recorded(), "AccountSid": "AC" + "1" * 32}
    response = await post_twilio(sms_client, SMS, payload, token=AUTH_TOKEN)
    assert response.status == 400
    assert (await response.json())["error"]["field"] == "AccountSid"
    assert await rows(db) == before


async def test_without_a_configured_account_any_well_formed_account_is_taken(
    twilio_settings: Settings, db: SingleConnectionPool
) -> None:
    unset = dataclasses.replace(twilio_settings, twilio_account_sid="")
    async with client_for(unset, db) as client:
        payload = {**recorded(), "AccountSid": "AC" + "1" * 32}
        assert (await post_twilio(client, SMS, payload, token=AUTH_TOKEN)).status == 200
        broken = {**recorded(), "AccountSid": "AC1"}
        assert (await post_twilio(client, SMS, broken, token=AUTH_TOKEN)).status == 400


async def test_a_signed_webhook_that_is_not_a_form_is_a_415(
    sms_client: Client, db: SingleConnectionPool
) -> None:
    before = await rows(db)
    payload = recorded()
    for content_type in ("text/plain", "application/json", "multipart/form-data"):
        response = await sms_client.post(
            SMS,
            data=urlencode(payload),
            headers={
                "Content-Type": content_type,
                "X-Twilio-Signature": signature(AUTH_TOKEN, URL, payload),
            },
        )
        assert response.status == 415, content_type
    assert await rows(db) == before


async def test_a_resplit_status_callback_is_refused(sms_client: Client) -> None:
    path = f"/webhooks/twilio/sms/status?outbox={uuid.uuid4()}"
    original = load_payload("sms_status_delivered")
    replay = resplit(original, "MessageSid", ["MessageStatus"])
    response = await post_twilio(sms_client, path, replay, token=AUTH_TOKEN, sign_params=original)
    assert response.status == 400
    assert (await response.json())["error"]["field"] == "MessageSid"


async def test_a_nul_in_a_signed_field_is_dropped_before_storage(
    sms_client: Client, db: SingleConnectionPool
) -> None:
    payload = {**recorded(), "FromCity": "WASH\x00INGTON", "Body": "hi\x00there"}
    assert (await post_twilio(sms_client, SMS, payload, token=AUTH_TOKEN)).status == 200
    async with db.acquire() as conn:
        city = await conn.fetchval(
            "SELECT payload->>'FromCity' FROM inbound_contacts WHERE provider_id = $1",
            payload["MessageSid"],
        )
    assert city == "WASHINGTON"
