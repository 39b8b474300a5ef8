"""Logs at INFO: one line per request and per mail, request ids in JSON, no library chatter,
personal data masked."""

from __future__ import annotations

import dataclasses
import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import aiosmtplib
import asyncpg
import pytest
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.rest import Client

from contact_center import logs
from contact_center.app import create_smtp_server
from contact_center.config import Settings
from tests.conftest import SingleConnectionPool, client_for
from tests.standins.twilio_api import ACCOUNT_SID, AUTH_TOKEN, running_twilio


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    levels = {name: logging.getLogger(name).level for name in logs.QUIET}
    yield
    for handler in root.handlers[:]:
        root.removeHandler(handler)
    for handler in handlers:
        root.addHandler(handler)
    root.setLevel(level)
    for name, old in levels.items():
        logging.getLogger(name).setLevel(old)


def configured(fmt: str) -> io.StringIO:
    stream = io.StringIO()
    logs.configure("INFO", fmt, stream)
    return stream


def test_emails_and_phone_numbers_are_masked() -> None:
    line = logs.mask("from Casey.Ashdown@example.net via +14155550123 to support@example.com")
    assert line == "from C***@example.net via +14***23 to s***@example.com"
    assert logs.mask("ticket 1234 at 10:30, id 0c5e-44") == "ticket 1234 at 10:30, id 0c5e-44"


def test_addresses_inside_provider_errors_are_masked() -> None:
    text = "recipient refused: {'nobody@example.net': (550,)}; To +12025550143, at 2026-12-05 10:00"
    masked = logs.mask(text)
    assert "nobody@" not in masked and "5550143" not in masked
    assert "***@example.net" in masked and "2026-12-05 10:00" in masked


async def test_json_lines_carry_the_request_id_of_the_request_being_handled(
    restore_logging: None, settings: Settings, db: SingleConnectionPool
) -> None:
    stream = configured("json")
    async with client_for(settings, db) as client:
        refused = await client.get("/api/v1/customers")
        healthy = await client.get("/healthz")
    logging.getLogger("contact_center.test").info("outside any request, for +14155550123")
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    by_request: dict[str, list[dict[str, Any]]] = {}
    for line in lines:
        by_request.setdefault(line["request_id"], []).append(line)
    refused_lines = by_request[refused.headers["X-Request-Id"]]
    # the security warning logged inside the handler, then the request line
    assert [line["level"] for line in refused_lines] == ["WARNING", "INFO"]
    request_line = refused_lines[-1]
    assert request_line["method"] == "GET" and request_line["path"] == "/api/v1/customers"
    assert request_line["status"] == 401 and request_line["duration_ms"] >= 0
    assert len(by_request[healthy.headers["X-Request-Id"]]) == 1
    outside = lines[-1]
    assert (
        outside["request_id"] is None and outside["message"] == "outside any request, for +14***23"
    )


async def test_one_line_per_mail_and_no_smtp_command_chatter(
    restore_logging: None,
    settings: Settings,
    pool: asyncpg.Pool[Any],
    unused_tcp_port: int,
) -> None:
    stream = configured("text")
    configured_settings = dataclasses.replace(settings, inbound_smtp_port=unused_tcp_port)
    server = await create_smtp_server(configured_settings, pool)
    raw = (
        b"From: Casey Ashdown <casey@example.net>\r\nTo: support@example.com\r\n"
        b"Subject: Logs\r\nMessage-ID: <logs-1@example.net>\r\n\r\nHello\r\n"
    )
    try:
        await aiosmtplib.send(
            raw,
            sender="casey@example.net",
            recipients=["support@example.com"],
            hostname="127.0.0.1",
            port=unused_tcp_port,
        )
    finally:
        server.close()
        await server.wait_closed()
    lines = stream.getvalue().splitlines()
    assert not [line for line in lines if " mail.log: " in line], lines
    mail_lines = [line for line in lines if " channels.smtp: " in line]
    assert len(mail_lines) == 1
    assert "mail from c***@example.net to s***@example.com" in mail_lines[0]
    assert "250 OK" in mail_lines[0] and "casey@" not in stream.getvalue()


async def test_twilio_http_client_does_not_dump_headers(restore_logging: None) -> None:
    stream = configured("text")
    async with running_twilio() as standin:
        client = Client(ACCOUNT_SID, AUTH_TOKEN, http_client=AsyncTwilioHttpClient(timeout=5))
        client.api.base_url = standin.base_url
        try:
            await client.messages.create_async(
                to="+14155550123", from_="+12025550100", body="hello"
            )
        finally:
            await client.http_client.close()  # type: ignore[attr-defined]
    assert standin.requests, "the stand-in was not reached"
    assert "twilio" not in stream.getvalue(), stream.getvalue()
