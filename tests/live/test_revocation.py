"""A live stream lasts only as long as its session or token: logout, a revoked token, a password
or role change end it, on the next tick or at once when `user.updated` names its user."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest
import pytest_asyncio
from aiohttp.test_utils import TestClient

from contact_center import users
from contact_center.config import Settings
from contact_center.timeutil import utc_now
from contact_center.users import Role, User
from contact_center.web.console import live as live_page
from tests.builders import PASSWORD, TEST_ACTOR, make_user, token_for
from tests.live.conftest import WAIT, EventReader, event_stream, web_process

pytestmark = pytest.mark.commits
Client = TestClient[Any, Any]
LONG = 3600.0  # a tick that never comes during a test: only `user.updated` can end the stream


@pytest_asyncio.fixture
async def client(
    settings: Settings, pool: asyncpg.Pool[Any], database_dsn: str
) -> AsyncIterator[Client]:
    async with web_process(settings, pool, database_dsn) as process:
        yield process


async def signed_in(client: Client, user: User) -> tuple[dict[str, str], str]:
    """Cookie headers of a fresh console session, and its CSRF token."""
    login = await client.post(
        "/api/v1/auth/login", json={"email": user.email, "password": PASSWORD}
    )
    assert login.status == 200, await login.text()
    cookie = login.headers["Set-Cookie"].split(";")[0]
    return {"Cookie": cookie}, (await login.json())["csrf_token"]


async def opened(stream: EventReader) -> None:
    assert (await stream.next()).retry == 2000
    assert (await stream.next()).event == "hello"


async def ended(stream: EventReader) -> str:
    """The reason of the stream's last message, a reload; the stream is over after it."""
    async with asyncio.timeout(WAIT):  # keep-alives alone would keep next_event waiting
        message = await stream.next_event()
    assert message.event == "reload"
    with pytest.raises(EOFError):
        await stream.next_event()
    reason: str = message.data["reason"]
    return reason


async def test_logging_out_ends_an_open_stream_within_the_tick(
    client: Client, pool: asyncpg.Pool[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(live_page, "KEEP_ALIVE_SECONDS", 0.2)
    cookie, csrf = await signed_in(client, await make_user(pool, Role.AGENT))
    async with event_stream(client, cookie) as stream:
        await opened(stream)
        logout = await client.post("/api/v1/auth/logout", headers={**cookie, "X-CSRF-Token": csrf})
        assert logout.status == 204
        assert await ended(stream) == "signed_out"


async def test_revoking_the_token_ends_its_stream_within_the_tick(
    client: Client, pool: asyncpg.Pool[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(live_page, "KEEP_ALIVE_SECONDS", 0.2)
    agent = await make_user(pool, Role.AGENT)
    headers = await token_for(pool, agent)
    (token,) = await users.list_api_tokens(pool, agent)
    async with event_stream(client, headers) as stream:
        await opened(stream)
        await users.revoke_api_token(pool, TEST_ACTOR, agent, token.id, now=utc_now())
        assert await ended(stream) == "signed_out"


async def test_a_stream_that_still_stands_keeps_going_past_its_ticks(
    client: Client, pool: asyncpg.Pool[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(live_page, "KEEP_ALIVE_SECONDS", 0.05)
    headers = await token_for(pool, await make_user(pool, Role.AGENT))
    async with event_stream(client, headers) as stream:
        await opened(stream)
        for _ in range(3):
            assert (await stream.next()).comment == "keep-alive"


async def test_demoting_an_admin_ends_their_token_stream_at_once(
    client: Client, pool: asyncpg.Pool[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A token outlives a role change, but the stream's admin filter must not."""
    monkeypatch.setattr(live_page, "KEEP_ALIVE_SECONDS", LONG)
    admin = await make_user(pool, Role.ADMIN)
    headers = await token_for(pool, admin)
    async with event_stream(client, headers) as stream:
        await opened(stream)
        await users.change_role(pool, TEST_ACTOR, admin.id, Role.AGENT, now=utc_now())
        assert await ended(stream) == "role_changed"


async def test_a_password_change_ends_the_users_other_streams_at_once(
    client: Client, pool: asyncpg.Pool[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(live_page, "KEEP_ALIVE_SECONDS", LONG)
    agent = await make_user(pool, Role.AGENT)
    cookie, _ = await signed_in(client, agent)
    async with event_stream(client, cookie) as stream:
        await opened(stream)
        await users.change_password(
            pool, TEST_ACTOR, agent.id, "another password 123", now=utc_now()
        )
        assert await ended(stream) == "signed_out"


async def test_a_queue_change_is_announced_to_the_user_and_admins_only(
    client: Client, pool: asyncpg.Pool[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(live_page, "KEEP_ALIVE_SECONDS", LONG)
    agent, other = await make_user(pool, Role.AGENT), await make_user(pool, Role.AGENT)
    admin = await make_user(pool, Role.ADMIN)
    async with (
        event_stream(client, await token_for(pool, agent)) as own,
        event_stream(client, await token_for(pool, admin)) as admins,
        event_stream(client, await token_for(pool, other)) as others,
    ):
        for stream in (own, admins, others):
            await opened(stream)
        await users.set_queues(pool, TEST_ACTOR, agent.id, ["complaint"])
        await users.set_queues(pool, TEST_ACTOR, other.id, ["complaint"])
        # The agent's stream still stands: it gets the event and carries on.
        first = await own.next_event()
        assert (first.event, first.data["user_id"]) == ("user.updated", str(agent.id))
        seen = [(await admins.next_event()).data["user_id"] for _ in range(2)]
        assert seen == [str(agent.id), str(other.id)]
        assert (await others.next_event()).data["user_id"] == str(other.id)
