"""Inbound SMS webhooks, signed like Twilio signs them (recorded payload shapes)."""

from __future__ import annotations

import asyncio
import dataclasses
import secrets
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest
import pytest_asyncio
from aiohttp.test_utils import TestClient

from contact_center import customers
from contact_center.config import Secret, Settings
from tests.conftest import SingleConnectionPool, client_for
from tests.standins.twilio_api import AUTH_TOKEN
from tests.twilio_signing import load_payload, post_twilio

Client = TestClient[Any, Any]
SMS = "/webhooks/twilio/sms"


@pytest.fixture
def twilio_settings(settings: Settings) -> Settings:
    return dataclasses.replace(
        settings, twilio_auth_token=Secret(AUTH_TOKEN), twilio_from_number="+12025550100"
    )


@pytest_asyncio.fixture
async def sms_client(twilio_settings: Settings, db: SingleConnectionPool) -> AsyncIterator[Client]:
    async with client_for(twilio_settings, db) as client:
        yield client


async def count(db: SingleConnectionPool, sql: str, *args: Any) -> int:
    async with db.acquire() as conn:
        return int(await conn.fetchval(sql, *args))


def fresh(name: str) -> dict[str, str]:
    sid = "SM" + secrets.token_hex(16)
    return load_payload(name, MessageSid=sid, SmsSid=sid, SmsMessageSid=sid)


@pytest.mark.parametrize(
    "name",
    [
        "sms_inbound_basic",
        "sms_inbound_unicode",
        "sms_inbound_media",
        "sms_inbound_messaging_service",
    ],
)
async def test_signed_sms_becomes_a_message_and_gets_empty_twiml(
    sms_client: Client, db: SingleConnectionPool, name: str
) -> None:
    payload = fresh(name)
    response = await post_twilio(sms_client, SMS, payload, token=AUTH_TOKEN)
    assert response.status == 200
    assert response.content_type == "text/xml"
    assert "<Response></Response>" in await response.text()
    assert (
        await count(
            db, "SELECT count(*) FROM messages WHERE provider_id = $1", payload["MessageSid"]
        )
        == 1
    )
    body = await count(
        db,
        "SELECT count(*) FROM messages WHERE provider_id = $1 AND body_text = $2",
        payload["MessageSid"],
        payload["Body"],
    )
    assert body == 1


async def test_media_urls_are_kept_on_the_message(
    sms_client: Client, db: SingleConnectionPool
) -> None:
    payload = fresh("sms_inbound_media")
    await post_twilio(sms_client, SMS, payload, token=AUTH_TOKEN)
    async with db.acquire() as conn:
        attachments = await conn.fetchval(
            "SELECT attachments FROM messages WHERE provider_id = $1", payload["MessageSid"]
        )
    assert [a["content_type"] for a in attachments] == ["image/jpeg", "image/png"]


FORGERIES: list[tuple[str, dict[str, Any]]] = [
    ("unsigned", {"signed": False}),
    ("wrong token", {"token": "not-the-token"}),
    ("signed for another host", {"sign_url": "http://attacker.example/webhooks/twilio/sms"}),
    (
        "https signed but http configured",
        {"sign_url": "https://localhost:8080/webhooks/twilio/sms"},
    ),
    ("one parameter changed after signing", {"mutate": True}),
]


@pytest.mark.parametrize(("case", "how"), FORGERIES, ids=[c for c, _ in FORGERIES])
async def test_forged_requests_are_refused_and_store_nothing(
    sms_client: Client, db: SingleConnectionPool, case: str, how: dict[str, Any]
) -> None:
    payload = fresh("sms_inbound_basic")
    before = await count(db, "SELECT count(*) FROM inbound_contacts")
    sign_params = dict(payload) if how.get("mutate") else None
    if how.get("mutate"):
        payload["Body"] = "Please send the refund to account 1234"
    response = await post_twilio(
        sms_client,
        SMS,
        payload,
        token=how.get("token", AUTH_TOKEN),
        signed=how.get("signed", True),
        sign_url=how.get("sign_url"),
        sign_params=sign_params,
    )
    assert response.status == 403
    assert await count(db, "SELECT count(*) FROM inbound_contacts") == before


async def test_query_strings_and_a_tls_proxy_validate(
    twilio_settings: Settings, db: SingleConnectionPool
) -> None:
    # Behind a proxy the app is reached over http, but Twilio signed the public https URL.
    public = dataclasses.replace(twilio_settings, public_url="https://support.example.com")
    async with client_for(public, db) as client:
        payload = fresh("sms_inbound_basic")
        response = await post_twilio(
            client,
            SMS + "?source=main-number",
            payload,
            token=AUTH_TOKEN,
            public_url="https://support.example.com",
        )
        assert response.status == 200


async def test_a_retried_webhook_stores_one_message_and_sends_one_ack(
    sms_client: Client, db: SingleConnectionPool
) -> None:
    payload = fresh("sms_inbound_basic")
    payload["From"] = "+12025550188"
    for _ in range(4):
        assert (await post_twilio(sms_client, SMS, payload, token=AUTH_TOKEN)).status == 200
    assert (
        await count(
            db, "SELECT count(*) FROM messages WHERE provider_id = $1", payload["MessageSid"]
        )
        == 1
    )
    acks = await count(
        db, "SELECT count(*) FROM outbound_messages WHERE to_address = '+12025550188' AND automatic"
    )
    assert acks == 1


async def test_stop_and_start_set_and_clear_the_opt_out(
    sms_client: Client, db: SingleConnectionPool
) -> None:
    phone = "+12025550199"
    await post_twilio(
        sms_client,
        SMS,
        {**fresh("sms_inbound_basic"), "From": phone, "Body": "Hello"},
        token=AUTH_TOKEN,
    )
    await post_twilio(
        sms_client,
        SMS,
        {**fresh("sms_inbound_basic"), "From": phone, "Body": " stop "},
        token=AUTH_TOKEN,
    )
    found = await customers.search_customers(db, phone, region="US")
    assert found[0].sms_opted_out
    await post_twilio(
        sms_client,
        SMS,
        {**fresh("sms_inbound_basic"), "From": phone, "Body": "订阅"},
        token=AUTH_TOKEN,
    )
    assert not (await customers.search_customers(db, phone, region="US"))[0].sms_opted_out


async def test_an_opted_out_number_gets_no_acknowledgement(
    sms_client: Client, db: SingleConnectionPool
) -> None:
    phone = "+12025550198"
    await post_twilio(
        sms_client,
        SMS,
        {**fresh("sms_inbound_basic"), "From": phone, "Body": "UNSUBSCRIBE"},
        token=AUTH_TOKEN,
    )
    await post_twilio(
        sms_client,
        SMS,
        {**fresh("sms_inbound_basic"), "From": phone, "Body": "new question"},
        token=AUTH_TOKEN,
    )
    assert (
        await count(db, "SELECT count(*) FROM outbound_messages WHERE to_address = $1", phone) == 0
    )


async def test_the_fallback_url_stores_what_it_gets(
    sms_client: Client, db: SingleConnectionPool
) -> None:
    payload = fresh("sms_inbound_basic")
    assert (
        await post_twilio(sms_client, "/webhooks/twilio/fallback", payload, token=AUTH_TOKEN)
    ).status == 200
    assert (
        await count(
            db, "SELECT count(*) FROM messages WHERE provider_id = $1", payload["MessageSid"]
        )
        == 1
    )
    # Twilio always sends the ids; what the fallback keeps raw is a form missing the rest.
    broken = {
        "MessageSid": "SM" + secrets.token_hex(16),
        "AccountSid": payload["AccountSid"],
        "Body": "no sender",
    }
    assert (
        await post_twilio(sms_client, "/webhooks/twilio/fallback", broken, token=AUTH_TOKEN)
    ).status == 200
    kept = await count(
        db,
        "SELECT count(*) FROM inbound_contacts WHERE provider_id = $1 AND parse_error IS NOT NULL",
        broken["MessageSid"],
    )
    assert kept == 1


async def test_a_malformed_payload_is_a_400(sms_client: Client) -> None:
    response = await post_twilio(sms_client, SMS, {"Body": "no sid, no sender"}, token=AUTH_TOKEN)
    assert response.status == 400


@pytest.mark.commits
async def test_concurrent_retries_store_one_message(
    twilio_settings: Settings, pool: asyncpg.Pool[Any]
) -> None:
    payload = fresh("sms_inbound_basic")
    payload["From"] = "+12025550187"
    async with client_for(twilio_settings, pool) as client:
        responses = await asyncio.gather(
            *(post_twilio(client, SMS, payload, token=AUTH_TOKEN) for _ in range(20))
        )
    assert {r.status for r in responses} == {200}
    async with pool.acquire() as conn:
        stored = await conn.fetchval(
            "SELECT count(*) FROM messages WHERE provider_id = $1", payload["MessageSid"]
        )
        acks = await conn.fetchval(
            "SELECT count(*) FROM outbound_messages WHERE to_address = $1", payload["From"]
        )
    assert stored == 1 and acks == 1


async def test_help_is_answered_with_how_to_reach_us(
    sms_client: Client, db: SingleConnectionPool
) -> None:
    phone = "+12025550196"
    payload = {**fresh("sms_inbound_basic"), "From": phone, "Body": "帮助"}
    assert (await post_twilio(sms_client, SMS, payload, token=AUTH_TOKEN)).status == 200
    async with db.acquire() as conn:
        texts = await conn.fetch(
            "SELECT body_text FROM outbound_messages WHERE to_address = $1", phone
        )
    assert [r["body_text"] for r in texts] == [texts[0]["body_text"]]
    assert "退订" in texts[0]["body_text"]


async def test_a_readable_retry_places_what_the_fallback_kept_raw(
    sms_client: Client, db: SingleConnectionPool
) -> None:
    payload = fresh("sms_inbound_basic")
    broken = {key: payload[key] for key in ("MessageSid", "AccountSid", "Body")}
    assert (
        await post_twilio(sms_client, "/webhooks/twilio/fallback", broken, token=AUTH_TOKEN)
    ).status == 200
    assert (await post_twilio(sms_client, SMS, payload, token=AUTH_TOKEN)).status == 200
    assert (await post_twilio(sms_client, SMS, payload, token=AUTH_TOKEN)).status == 200
    placed = (
        "SELECT count(*) FROM inbound_contacts WHERE provider_id = $1 AND message_id IS NOT NULL"
    )
    assert await count(db, placed, payload["MessageSid"]) == 1
    assert (
        await count(
            db, "SELECT count(*) FROM messages WHERE provider_id = $1", payload["MessageSid"]
        )
        == 1
    )
