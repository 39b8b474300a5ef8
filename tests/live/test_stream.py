"""GET /live/events with two web processes on one database: live delivery across processes,
resume with Last-Event-ID, reload when the gap is too old, filtering by user."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any
from uuid import uuid4

import asyncpg
import pytest
import pytest_asyncio
from aiohttp import ClientSession
from aiohttp.test_utils import TestClient

from contact_center import live, tickets
from contact_center.config import Settings
from contact_center.db import transaction
from contact_center.live import Event
from contact_center.runtime import open_database, start_web
from contact_center.timeutil import utc_now
from contact_center.users import Role
from contact_center.web.keys import HUB
from tests.builders import PASSWORD, make_inbound_sms, make_user, token_for
from tests.live.conftest import WAIT, EventReader, event_stream, web_process

pytestmark = pytest.mark.commits
Client = TestClient[Any, Any]


@pytest_asyncio.fixture
async def processes(
    settings: Settings, pool: asyncpg.Pool[Any], database_dsn: str
) -> AsyncIterator[tuple[Client, Client]]:
    async with (
        web_process(settings, pool, database_dsn) as first,
        web_process(settings, pool, database_dsn) as second,
    ):
        yield first, second


async def ticket_id(pool: asyncpg.Pool[Any]) -> str:
    result = await tickets.intake(pool, make_inbound_sms(), now=utc_now())
    return str(result.ticket_id)


async def activity(client: Client, headers: dict[str, str], ticket: str, state: str) -> int:
    response = await client.post(
        f"/api/v1/tickets/{ticket}/activity", json={"state": state}, headers=headers
    )
    assert response.status == 200, await response.text()
    body = await response.json()
    assert body["state"] == state
    event_id: int = body["event_id"]
    return event_id


async def test_an_event_raised_through_one_process_reaches_a_stream_on_the_other(
    processes: tuple[Client, Client], pool: asyncpg.Pool[Any]
) -> None:
    first, second = processes
    agent = await make_user(pool, Role.AGENT)
    headers = await token_for(pool, agent)
    ticket = await ticket_id(pool)
    async with event_stream(second, headers) as stream:
        response = stream.response
        assert response.headers["Content-Type"] == "text/event-stream"
        assert response.headers["Cache-Control"] == "no-store"
        assert (await stream.next()).retry == 2000
        hello = await stream.next()
        # The id is what EventSource resumes from if the stream drops before any event.
        assert hello.event == "hello" and hello.id == hello.data["last_event_id"]
        event_id = await activity(first, headers, ticket, "typing")
        message = await stream.next_event()
        # The ticket's own events can reach the second process's listener after the stream
        # opened (its notifications are handled asynchronously): they come first, in order.
        while message.id is not None and message.id < event_id:
            message = await stream.next_event()
    assert hello.data["last_event_id"] < event_id
    assert (message.id, message.event) == (event_id, "ticket.activity")
    assert message.data["id"] == event_id and message.data["event"] == "ticket.activity"
    assert message.data["ticket_id"] == ticket
    assert message.data["user_id"] == str(agent.id)
    assert message.data["state"] == "typing"
    assert message.data["name"]
    assert "T" in message.data["at"]


async def test_resuming_replays_exactly_what_was_missed_then_continues_live(
    processes: tuple[Client, Client], pool: asyncpg.Pool[Any]
) -> None:
    first, second = processes
    agent = await make_user(pool, Role.AGENT)
    headers = await token_for(pool, agent)
    ticket = await ticket_id(pool)
    async with event_stream(second, headers) as stream:
        await stream.next()
        seen = (await stream.next()).data["last_event_id"]
    missed = [await activity(first, headers, ticket, state) for state in ("viewing", "typing")]
    async with transaction(pool) as conn:  # about another user: not for this agent's eyes
        await live.publish(conn, Event.USER_UPDATED, {"user_id": uuid4()})
    missed.append(await activity(first, headers, ticket, "idle"))
    async with event_stream(second, {**headers, "Last-Event-ID": str(seen)}) as stream:
        assert (await stream.next()).retry == 2000
        replayed = [await stream.next_event() for _ in missed]
        live_one = await activity(first, headers, ticket, "left")
        after = await stream.next_event()
    assert [m.id for m in replayed] == missed
    assert [m.data["state"] for m in replayed] == ["viewing", "typing", "idle"]
    assert after.id == live_one and after.data["state"] == "left"
    # The same through the query parameter, on the other process.
    async with event_stream(first, headers, last_event_id=missed[1]) as stream:
        await stream.next()
        assert [(await stream.next_event()).id for _ in range(2)] == [missed[2], live_one]


async def test_a_resume_position_older_than_the_log_keeps_gets_reload(
    processes: tuple[Client, Client], pool: asyncpg.Pool[Any]
) -> None:
    first, _ = processes
    headers = await token_for(pool, await make_user(pool, Role.AGENT))
    ticket = await ticket_id(pool)
    old = await activity(first, headers, ticket, "viewing")
    pruned = await live.prune_events(
        pool, now=utc_now() + timedelta(seconds=1), retention=timedelta(0)
    )
    assert pruned >= 1
    async with event_stream(first, {**headers, "Last-Event-ID": str(old - 1)}) as stream:
        await stream.next()
        reload = await stream.next()
        assert (reload.event, reload.data) == ("reload", {"reason": "gap"})
        assert reload.id is not None and reload.id >= old  # a reconnect resumes from now
        newer = await activity(first, headers, ticket, "idle")
        assert (await stream.next_event()).id == newer


async def test_a_stream_hides_events_about_other_users_but_shows_the_users_own(
    processes: tuple[Client, Client], pool: asyncpg.Pool[Any]
) -> None:
    first, second = processes
    agent = await make_user(pool, Role.AGENT)
    admin = await make_user(pool, Role.ADMIN)
    async with (
        event_stream(second, await token_for(pool, agent)) as agents,
        event_stream(first, await token_for(pool, admin)) as admins,
    ):
        for stream in (agents, admins):
            await stream.next()
            await stream.next()
        async with transaction(pool) as conn:
            about_admin = await live.publish(conn, Event.USER_UPDATED, {"user_id": admin.id})
            about_agent = await live.publish(conn, Event.USER_UPDATED, {"user_id": agent.id})
        assert (await agents.next_event()).id == about_agent
        assert [(await admins.next_event()).id for _ in range(2)] == [about_admin, about_agent]


async def test_the_stream_needs_a_session_or_token_and_a_sane_position(
    processes: tuple[Client, Client], pool: asyncpg.Pool[Any]
) -> None:
    first, _ = processes
    assert (await first.get("/live/events")).status == 401
    headers = await token_for(pool, await make_user(pool, Role.AGENT))
    refused = await first.get("/live/events", headers={**headers, "Last-Event-ID": "abc"})
    assert refused.status == 422
    assert (await refused.json())["error"]["field"] == "last_event_id"


async def test_activity_takes_only_the_known_states(
    processes: tuple[Client, Client], pool: asyncpg.Pool[Any]
) -> None:
    first, _ = processes
    headers = await token_for(pool, await make_user(pool, Role.AGENT))
    ticket = await ticket_id(pool)
    bad = await first.post(
        f"/api/v1/tickets/{ticket}/activity", json={"state": "dancing"}, headers=headers
    )
    assert bad.status == 422


async def test_a_closed_stream_lets_go_of_its_subscription(
    processes: tuple[Client, Client], pool: asyncpg.Pool[Any]
) -> None:
    first, second = processes
    headers = await token_for(pool, await make_user(pool, Role.AGENT))
    ticket = await ticket_id(pool)
    hub = second.app[HUB]
    async with event_stream(second, headers) as stream:
        await stream.next()
        await stream.next()
        assert hub.subscribers == 1
    # The next write to the closed connection fails, and the stream cleans up.
    async with asyncio.timeout(WAIT):
        while hub.subscribers:
            await activity(first, headers, ticket, "viewing")
            await asyncio.sleep(0.05)


async def test_the_served_web_process_listens_on_its_own_connection(
    settings: Settings, pool: asyncpg.Pool[Any], database_dsn: str
) -> None:
    """`serve` and `web` wire the listener: the pool from `open_database` names its database."""
    headers = await token_for(pool, await make_user(pool, Role.AGENT))
    served = dataclasses.replace(settings, database_url=database_dsn, host="127.0.0.1", port=0)
    async with open_database(served, max_size=2) as own_pool:
        runner = await start_web(served, own_pool)
        try:
            host, port = runner.addresses[0][:2]
            async with (
                ClientSession() as session,
                session.get(f"http://{host}:{port}/live/events", headers=headers) as response,
            ):
                assert response.status == 200
                stream = EventReader(response)
                assert (await stream.next()).retry == 2000
                assert (await stream.next()).event == "hello"
                async with transaction(pool) as conn:
                    published = await live.publish(
                        conn, Event.CUSTOMER_UPDATED, {"customer_id": uuid4()}
                    )
                assert (await stream.next_event()).id == published
        finally:
            await runner.cleanup()


async def test_a_console_session_cookie_opens_the_stream(
    processes: tuple[Client, Client], pool: asyncpg.Pool[Any]
) -> None:
    first, _ = processes
    agent = await make_user(pool, Role.AGENT)
    login = await first.post(
        "/api/v1/auth/login", json={"email": agent.email, "password": PASSWORD}
    )
    assert login.status == 200
    cookie = login.headers["Set-Cookie"].split(";")[0]
    async with event_stream(first, {"Cookie": cookie}) as stream:
        assert (await stream.next()).retry == 2000
        assert (await stream.next()).event == "hello"
