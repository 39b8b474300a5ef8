from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient

from contact_center import users
from contact_center.timeutil import utc_now
from contact_center.users import Role
from tests.builders import PASSWORD, TEST_ACTOR, TEST_PASSWORDS, make_user, token_for
from tests.conftest import SingleConnectionPool

Client = TestClient[Any, Any]


class Browser:
    """Carries the session cookie by hand: aiohttp's client jar keeps Secure cookies for https."""

    def __init__(self, client: Client) -> None:
        self.client, self.cookie = client, ""

    async def log_in(self, email: str, password: str = PASSWORD) -> Any:
        response = await self.client.post(
            "/api/v1/auth/login", json={"email": email, "password": password}
        )
        if response.status == 200:
            self.cookie = response.headers["Set-Cookie"].split(";")[0]
        return response

    async def request(self, method: str, path: str, **headers: str) -> Any:
        return await self.client.request(
            method, path, headers={"Cookie": self.cookie, **headers}, json={}
        )


async def test_login_sets_a_host_only_http_only_cookie_and_logout_revokes_it(
    client: Client, db: SingleConnectionPool
) -> None:
    user = await make_user(db, Role.AGENT)
    browser = Browser(client)
    response = await browser.log_in(user.email.upper())
    assert response.status == 200
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-cc_session=")
    for attribute in ("HttpOnly", "Secure", "SameSite=Lax", "Path=/"):
        assert attribute in cookie
    csrf = (await response.json())["csrf_token"]
    assert (await browser.request("GET", "/api/v1/me")).status == 200
    refused = await browser.request("POST", "/api/v1/auth/logout")
    assert refused.status == 403  # a cookie-authenticated write needs the CSRF token
    done = await browser.request(
        "POST", "/api/v1/auth/logout", **{"X-CSRF-Token": csrf, "Origin": "http://localhost:8080"}
    )
    assert done.status == 204
    assert (await browser.request("GET", "/api/v1/me")).status == 401


async def test_cross_origin_writes_are_refused(client: Client, db: SingleConnectionPool) -> None:
    user = await make_user(db, Role.AGENT)
    browser = Browser(client)
    csrf = (await (await browser.log_in(user.email)).json())["csrf_token"]
    response = await browser.request(
        "POST", "/api/v1/tokens", **{"X-CSRF-Token": csrf, "Origin": "https://evil.example"}
    )
    assert response.status == 403
    same_site = await browser.request("POST", "/api/v1/tokens", **{"X-CSRF-Token": csrf})
    assert same_site.status == 201


async def test_wrong_and_unknown_logins_get_the_same_answer(
    client: Client, db: SingleConnectionPool
) -> None:
    user = await make_user(db, Role.AGENT)
    wrong = await Browser(client).log_in(user.email, "not the password")
    unknown = await Browser(client).log_in("nobody@example.com", "not the password")
    assert wrong.status == unknown.status == 401
    assert await wrong.json() == await unknown.json()


async def test_a_password_or_role_change_ends_sessions(
    client: Client, db: SingleConnectionPool
) -> None:
    user = await make_user(db, Role.AGENT)
    browser = Browser(client)
    await browser.log_in(user.email)
    assert (await browser.request("GET", "/api/v1/me")).status == 200
    await users.change_role(db, TEST_ACTOR, user.id, Role.SUPERVISOR, now=utc_now())
    assert (await browser.request("GET", "/api/v1/me")).status == 401
    await browser.log_in(user.email)
    assert (await (await browser.request("GET", "/api/v1/me")).json())["user"][
        "role"
    ] == "supervisor"
    await users.change_password(
        db, TEST_ACTOR, user.id, "a brand new password", now=utc_now(), passwords=TEST_PASSWORDS
    )
    assert (await browser.request("GET", "/api/v1/me")).status == 401
    assert (await browser.log_in(user.email)).status == 401
    assert (await browser.log_in(user.email, "a brand new password")).status == 200


async def test_repeated_failures_are_held_back_with_a_growing_retry_after(
    client: Client, db: SingleConnectionPool
) -> None:
    user = await make_user(db, Role.AGENT)
    browser = Browser(client)
    statuses = [(await browser.log_in(user.email, "guess")).status for _ in range(7)]
    assert statuses == [401] * 6 + [429]  # five free failures, then a one-second delay
    held = await browser.log_in(user.email)  # even the right password waits its turn
    assert held.status == 429 and "Set-Cookie" not in held.headers
    assert held.headers["Retry-After"] == "1"
    assert (await held.json())["error"]["code"] == "too_many_attempts"


async def test_held_back_answers_are_the_same_for_known_and_unknown_emails(
    client: Client, db: SingleConnectionPool
) -> None:
    user = await make_user(db, Role.AGENT)
    answers = []
    for email in (user.email, "nobody@example.com"):
        for _ in range(6):
            await Browser(client).log_in(email, "guess")
        answers.append(await Browser(client).log_in(email, "guess"))
    known, unknown = answers
    assert known.status == unknown.status == 429
    assert await known.json() == await unknown.json()


async def test_login_refuses_a_body_that_is_not_declared_json(
    client: Client, db: SingleConnectionPool
) -> None:
    user = await make_user(db, Role.AGENT)
    body = f'{{"email": "{user.email}", "password": "{PASSWORD}"}}'
    for content_type in ("text/plain", "application/x-www-form-urlencoded", ""):
        response = await client.post(
            "/api/v1/auth/login", data=body, headers={"Content-Type": content_type}
        )
        assert response.status == 415, content_type
        assert "Set-Cookie" not in response.headers


async def test_login_from_a_page_of_another_site_sets_no_cookie(
    client: Client, db: SingleConnectionPool
) -> None:
    user = await make_user(db, Role.AGENT)
    body = {"email": user.email, "password": PASSWORD}
    others = (
        "https://evil.example",
        "null",
        "http://localhost:8081",
        "http://127.0.0.1:8081",
        "https://127.0.0.1:8080",
        "http://127.0.0.2:8080",
        "http://localhost.evil.example:8080",
    )
    for origin in others:
        refused = await client.post("/api/v1/auth/login", json=body, headers={"Origin": origin})
        assert refused.status == 403, origin
        assert "Set-Cookie" not in refused.headers
    # The default set-up (PUBLIC_URL on localhost) is this machine by any of its loopback
    # names on the same port: a newcomer typing 127.0.0.1 can sign in.
    for origin in ("http://localhost:8080", "http://127.0.0.1:8080", "http://[::1]:8080"):
        ours = await client.post("/api/v1/auth/login", json=body, headers={"Origin": origin})
        assert ours.status == 200 and "Set-Cookie" in ours.headers, origin


async def test_loopback_names_are_one_origin_only_when_the_public_url_is_loopback() -> None:
    from urllib.parse import urlsplit

    from contact_center.web.auth import same_origin

    public = urlsplit("https://help.example.com")
    assert same_origin(urlsplit("https://help.example.com"), public)
    assert not same_origin(urlsplit("https://127.0.0.1"), public)
    assert not same_origin(urlsplit("https://localhost"), public)


async def test_tokens_can_be_created_listed_and_revoked(
    client: Client, db: SingleConnectionPool
) -> None:
    agent = await make_user(db, Role.AGENT)
    headers = await token_for(db, agent)
    created = await client.post("/api/v1/tokens", headers=headers, json={"name": "script"})
    token = (await created.json())["token"]
    assert (
        await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    ).status == 200
    other_headers = await token_for(db, await make_user(db, Role.AGENT))
    listed = (await (await client.get("/api/v1/tokens", headers=headers)).json())["tokens"]
    assert sorted(t["name"] for t in listed) == ["", "script"]  # not the other user's
    script = next(t for t in listed if t["name"] == "script")
    assert set(script) == {"id", "name", "created_at", "last_used_at"}
    assert script["last_used_at"] is not None  # it was just used for /me
    assert token not in str(listed)
    foreign = await client.delete(f"/api/v1/tokens/{script['id']}", headers=other_headers)
    assert foreign.status == 404
    assert (await client.delete(f"/api/v1/tokens/{script['id']}", headers=headers)).status == 204
    assert (
        await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    ).status == 401
    remaining = (await (await client.get("/api/v1/tokens", headers=headers)).json())["tokens"]
    assert [t["name"] for t in remaining] == [""]


async def test_only_admins_list_users(client: Client, db: SingleConnectionPool) -> None:
    for role, status in ((Role.AGENT, 403), (Role.SUPERVISOR, 403), (Role.ADMIN, 200)):
        headers = await token_for(db, await make_user(db, role))
        assert (await client.get("/api/v1/users", headers=headers)).status == status, role


async def test_admins_manage_users(client: Client, db: SingleConnectionPool) -> None:
    headers = await token_for(db, await make_user(db, Role.ADMIN))
    created = await client.post(
        "/api/v1/users",
        headers=headers,
        json={"email": "New.Agent@example.com", "role": "agent", "password": "long enough pw"},
    )
    assert created.status == 201
    body = await created.json()
    assert body["email"] == "new.agent@example.com" and "password_hash" not in body
    twin = await client.post(
        "/api/v1/users",
        headers=headers,
        json={"email": "new.agent@example.com", "role": "agent", "password": "long enough pw"},
    )
    assert twin.status == 409
    short = await client.post(
        "/api/v1/users",
        headers=headers,
        json={"email": "x@example.com", "role": "agent", "password": "short"},
    )
    assert short.status == 422 and (await short.json())["error"]["field"] == "password"
    promoted = await client.patch(
        f"/api/v1/users/{body['id']}", headers=headers, json={"role": "supervisor"}
    )
    assert (await promoted.json())["role"] == "supervisor"
