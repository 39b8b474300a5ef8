"""Every answer carries the security headers, including those aiohttp writes by itself when a
request cannot even be parsed (an over-long request line, a bad method, a huge header)."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from aiohttp import web

from contact_center.config import Settings
from contact_center.runtime import start_web
from contact_center.web.middleware import SECURITY_HEADERS
from tests.conftest import SingleConnectionPool


@pytest_asyncio.fixture
async def served(settings: Settings, db: SingleConnectionPool) -> AsyncIterator[tuple[str, int]]:
    """The service as `serve` runs it (its runner and site), on a free port."""
    runner: web.AppRunner = await start_web(
        dataclasses.replace(settings, host="127.0.0.1", port=0), db
    )
    try:
        host, port = runner.addresses[0][:2]
        yield host, port
    finally:
        await runner.cleanup()


async def raw_exchange(address: tuple[str, int], request: bytes) -> tuple[str, dict[str, str]]:
    """Send bytes as they are; the status line and headers of the answer."""
    reader, writer = await asyncio.open_connection(*address)
    try:
        writer.write(request)
        await writer.drain()
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout=10)
    finally:
        writer.close()
    status, *lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines if line)
    return status, {k.lower(): v for k, v in headers.items()}


MALFORMED = {
    "request line of 9,000 bytes": b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
    "invalid method": b"G(T / HTTP/1.1\r\nHost: x\r\n\r\n",
    "header of 20,000 bytes": b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 20000 + b"\r\n\r\n",
}


@pytest.mark.parametrize("request_bytes", MALFORMED.values(), ids=MALFORMED.keys())
async def test_aiohttps_own_error_answers_carry_the_security_headers(
    served: tuple[str, int], request_bytes: bytes
) -> None:
    status, headers = await raw_exchange(served, request_bytes)
    assert status.split()[1] in {"400", "431"}, status
    for name, value in SECURITY_HEADERS.items():
        assert headers.get(name.lower()) == value, name


async def test_a_routed_answer_keeps_them_too(served: tuple[str, int]) -> None:
    status, headers = await raw_exchange(served, b"GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n")
    assert status.split()[1] == "404"
    for name, value in SECURITY_HEADERS.items():
        assert headers.get(name.lower()) == value, name
