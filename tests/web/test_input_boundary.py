"""The input boundary: text PostgreSQL cannot store, absurd sizes and non-JSON bodies are
cleaned or refused before a handler sees them, never a 500."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from contact_center.users import Role
from tests.builders import PASSWORD, make_user, token_for
from tests.conftest import SingleConnectionPool

Client = TestClient[Any, Any]


async def admin_headers(db: SingleConnectionPool) -> dict[str, str]:
    return await token_for(db, await make_user(db, Role.ADMIN))


async def post_raw(client: Client, db: SingleConnectionPool, path: str, text: str) -> Any:
    """POST `text` exactly as the body (lone surrogates as JSON escapes), typed as JSON."""
    headers = {**await admin_headers(db), "Content-Type": "application/json"}
    return await client.post(path, headers=headers, data=text.encode())


async def error_of(response: Any) -> dict[str, Any]:
    body = await response.json()
    error: dict[str, Any] = body["error"]
    return error


# -- NUL characters are removed, in query parameters and in JSON strings alike


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/v1/tickets", {"q": "refund\x00"}),
        ("/api/v1/tickets", {"queue": "billing\x00"}),
        ("/api/v1/customers", {"q": "a\x00b"}),
        ("/api/v1/organizations", {"q": "\x00"}),
    ],
)
async def test_a_nul_in_a_query_parameter_is_removed(
    client: Client, db: SingleConnectionPool, path: str, params: dict[str, str]
) -> None:
    response = await client.get(path, params=params, headers=await admin_headers(db))
    assert response.status == 200, await response.text()


async def test_a_nul_in_emails_and_tags_is_removed_before_storage(
    client: Client, db: SingleConnectionPool
) -> None:
    response = await client.post(
        "/api/v1/customers",
        headers=await admin_headers(db),
        json={"name": "Nul\x00 Case", "emails": ["nul\x00@example.org"], "tags": ["vip\x00"]},
    )
    assert response.status == 201, await response.text()
    body = await response.json()
    assert (body["name"], body["emails"], body["tags"]) == (
        "Nul Case",
        ["nul@example.org"],
        ["vip"],
    )


async def test_a_nul_in_a_ticket_queue_is_removed(client: Client, db: SingleConnectionPool) -> None:
    headers = await admin_headers(db)
    customer = await (
        await client.post("/api/v1/customers", headers=headers, json={"name": "Queue Case"})
    ).json()
    ticket = await (
        await client.post(
            "/api/v1/tickets",
            headers=headers,
            json={"customer_id": customer["id"], "subject": "s"},
        )
    ).json()
    response = await client.patch(
        f"/api/v1/tickets/{ticket['id']}", headers=headers, json={"queue": "complaint\x00"}
    )
    assert response.status == 200, await response.text()
    assert (await response.json())["queue"] == "complaint"


async def test_a_nul_in_the_login_email_is_an_ordinary_failed_login(
    client: Client, db: SingleConnectionPool
) -> None:
    user = await make_user(db, Role.AGENT)
    response = await client.post(
        "/api/v1/auth/login", json={"email": user.email + "\x00x", "password": PASSWORD}
    )
    assert response.status == 401


async def test_a_nul_in_a_token_name_is_removed(client: Client, db: SingleConnectionPool) -> None:
    response = await client.post(
        "/api/v1/tokens", headers=await admin_headers(db), json={"name": "ci\x00 runner"}
    )
    assert response.status == 201, await response.text()


# -- text that cannot be stored at all is refused, naming the field


async def test_a_lone_surrogate_in_a_name_is_refused_naming_it(
    client: Client, db: SingleConnectionPool
) -> None:
    response = await post_raw(
        client, db, "/api/v1/customers", '{"name": "Ana \\ud800 Lee", "tags": ["ok"]}'
    )
    assert response.status == 422
    error = await error_of(response)
    assert error["field"] == "name"
    assert "\ud800" not in json.dumps(error)


async def test_a_lone_surrogate_in_a_field_name_is_refused(
    client: Client, db: SingleConnectionPool
) -> None:
    response = await post_raw(client, db, "/api/v1/customers", '{"name": "x", "\\udc80": 1}')
    assert response.status == 422
    assert (await error_of(response))["field"] == "\\udc80"


@pytest.mark.parametrize("depth", [40, 100_000])
async def test_deeply_nested_json_is_refused_naming_the_field(
    client: Client, db: SingleConnectionPool, depth: int
) -> None:
    body = '{"name": "x", "tags": ' + "[" * depth + "]" * depth + "}"
    response = await post_raw(client, db, "/api/v1/customers", body)
    assert response.status == 400
    error = await error_of(response)
    assert error["field"].startswith("tags")
    assert "nested" in error["message"]


@pytest.mark.parametrize(
    ("path", "field", "body"),
    [
        ("/api/v1/users", "email", {"role": "agent", "password": "long enough"}),
        ("/api/v1/auth/login", "email", {"password": "x"}),
        ("/api/v1/customers", "emails[0]", {"name": "x"}),
    ],
)
async def test_a_huge_email_address_is_refused_and_not_echoed(
    client: Client, db: SingleConnectionPool, path: str, field: str, body: dict[str, Any]
) -> None:
    huge = "a" * 900_000 + "@example.org"
    if field == "emails[0]":
        body = {**body, "emails": [huge]}
    else:
        body = {**body, "email": huge}
    response = await client.post(path, headers=await admin_headers(db), json=body)
    assert response.status == 422
    error = await error_of(response)
    assert error["field"] == field
    assert len(error["message"]) < 300


async def test_an_over_long_query_parameter_is_refused_naming_it(
    client: Client, db: SingleConnectionPool
) -> None:
    response = await client.get(
        "/api/v1/tickets", params={"q": "x" * 5000}, headers=await admin_headers(db)
    )
    assert response.status == 422
    assert (await error_of(response))["field"] == "q"


# -- JSON endpoints take JSON only


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]
)
async def test_a_json_endpoint_refuses_other_content_types_with_415(
    client: Client, db: SingleConnectionPool, content_type: str
) -> None:
    response = await client.post(
        "/api/v1/customers",
        headers={**await admin_headers(db), "Content-Type": content_type},
        data=b'{"name": "Plain Text"}',
    )
    assert response.status == 415
    assert response.content_type == "application/json"
    assert (await error_of(response))["code"] == "unsupported_media_type"


async def test_login_with_a_text_plain_body_is_a_415(
    client: Client, db: SingleConnectionPool
) -> None:
    user = await make_user(db, Role.AGENT)
    response = await client.post(
        "/api/v1/auth/login",
        data=json.dumps({"email": user.email, "password": PASSWORD}),
        headers={"Content-Type": "text/plain"},
    )
    assert response.status == 415
    assert "Set-Cookie" not in response.headers


async def test_json_with_a_charset_parameter_is_taken(
    client: Client, db: SingleConnectionPool
) -> None:
    response = await client.post(
        "/api/v1/customers",
        headers={**await admin_headers(db), "Content-Type": "application/json; charset=utf-8"},
        data=b'{"name": "Charset Case"}',
    )
    assert response.status == 201
