"""Helpers for live event tests: a listener on the module's database, web processes with
their own listeners, and a reader for Server-Sent Events."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient, TestServer

from contact_center.app import create_app
from contact_center.config import Settings
from contact_center.live import Hub, Listener, LiveEvent, Subscription

WAIT = 10.0  # a guard against hanging, never a timing assertion


@asynccontextmanager
async def listening(dsn: str, *, grace: float = 0.05, **options: Any) -> AsyncIterator[Hub]:
    hub = Hub()
    listener = Listener(dsn, hub, grace=grace, **options)
    await listener.start()
    assert hub.position is not None
    try:
        yield hub
    finally:
        await listener.stop()


async def received(subscription: Subscription, count: int) -> list[LiveEvent]:
    got: list[LiveEvent] = []
    while len(got) < count:
        event = await subscription.next(WAIT)
        assert event is not None, f"only {len(got)} of {count} events arrived"
        got.append(event)
    return got


@asynccontextmanager
async def web_process(
    settings: Settings, pool: Any, dsn: str
) -> AsyncIterator[TestClient[Any, Any]]:
    """One web process: the app with its own live event listener, on the shared database."""
    client = TestClient(TestServer(create_app(settings, pool, live_dsn=dsn)))
    await client.start_server()
    try:
        yield client
    finally:
        await client.close()


@dataclass
class Message:
    event: str = "message"
    id: int | None = None
    data: Any = None
    retry: int | None = None
    comment: str | None = None


class EventReader:
    """Reads an open text/event-stream answer one message (or comment) at a time."""

    def __init__(self, response: ClientResponse) -> None:
        self.response = response

    async def _message(self) -> Message:
        message, lines = Message(), 0
        while True:
            raw = await self.response.content.readline()
            if raw == b"":
                raise EOFError("the stream ended")
            line = raw.decode().rstrip("\n")
            if line == "":
                if lines:
                    return message
                continue
            lines += 1
            name, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if name == "":
                message.comment = value
            elif name == "id":
                message.id = int(value)
            elif name == "event":
                message.event = value
            elif name == "data":
                message.data = json.loads(value)
            elif name == "retry":
                message.retry = int(value)

    async def next(self) -> Message:
        return await asyncio.wait_for(self._message(), WAIT)

    async def next_event(self) -> Message:
        """The next message that is an event (skipping keep-alive comments)."""
        while True:
            message = await self.next()
            if message.comment is None and message.retry is None:
                return message


@asynccontextmanager
async def event_stream(
    client: TestClient[Any, Any], headers: dict[str, str], **query: Any
) -> AsyncIterator[EventReader]:
    response = await client.get("/live/events", headers=headers, params=query)
    assert response.status == 200, await response.text()
    try:
        yield EventReader(response)
    finally:
        response.close()
