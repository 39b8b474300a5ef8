"""The development sink, for people trying the service in demo mode: what outbound SMS and
mail would have been sent, as a page (`/dev/outbox`) and as JSON (`/api/v1/dev/sink`).

Both answer 404 outside demo mode. In demo mode they need no login: the data is made up
and the demo users' password is printed at start anyway."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
from html import escape
from typing import Any
from uuid import UUID

from aiohttp import web

from contact_center import devsink, tickets
from contact_center.config import Settings
from contact_center.devsink import SinkEntry
from contact_center.errors import NotFound
from contact_center.outbox import OutboundChannel, providers
from contact_center.web.api import schemas
from contact_center.web.api.paging import enum_choice, page_limit
from contact_center.web.jsonio import json_response
from contact_center.web.keys import POOL, SETTINGS
from contact_center.web.route import API, Route

STYLE = (
    "body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse;width:100%}"
    "td,th{border-bottom:1px solid #ddd;padding:.4em;text-align:left;vertical-align:top}"
    "pre{white-space:pre-wrap;margin:0;font:inherit}.meta{color:#555}"
)
STYLE_HASH = base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()
PAGE_POLICY = (
    f"default-src 'none'; style-src 'sha256-{STYLE_HASH}'; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'none'"
)


def _demo_only(request: web.Request) -> Settings:
    settings = request.app[SETTINGS]
    if not settings.demo:
        raise NotFound(
            "the development sink exists only in demo mode (contact-center serve --demo)"
        )
    return settings


def _channel(request: web.Request) -> str | None:
    channel = enum_choice(request, "channel", OutboundChannel)
    return str(channel) if channel else None


def intake_points(settings: Settings) -> dict[str, Any]:
    """Where test traffic goes in, so `scripts/simulate.py` needs no flags."""
    return {
        "sms_webhook": f"{settings.public_url}/webhooks/twilio/sms",
        "sms_number": settings.twilio_from_number,
        "smtp_host": settings.inbound_smtp_host,
        "smtp_port": settings.inbound_smtp_port,
        "mail_domain": settings.mail_domain,
    }


EMPTY_HINT = (
    "Nothing sent yet. Send test traffic with <code>.venv/bin/python scripts/simulate.py</code>"
    " (signed SMS webhooks and mail); the acknowledgements of new tickets appear here."
)


async def _entries(request: web.Request) -> tuple[list[SinkEntry], dict[UUID, int]]:
    """The newest sink entries and their tickets' numbers (#1125), from the tickets folder."""
    pool = request.app[POOL]
    entries = await devsink.list_sent(pool, channel=_channel(request), limit=page_limit(request))
    ticket_ids = {e.ticket_id for e in entries if e.ticket_id is not None}
    numbers = await tickets.ticket_numbers(pool, list(ticket_ids))
    return entries, numbers


async def sink_json(request: web.Request) -> web.Response:
    settings = _demo_only(request)
    pool = request.app[POOL]
    entries, numbers = await _entries(request)
    return json_response(
        {
            "senders": {str(c): str(r) for c, r in providers.routes(settings).items()},
            "inbound": intake_points(settings),
            "counts": await devsink.count_sent(pool),
            "messages": [
                {
                    **dataclasses.asdict(e),
                    "ticket_number": numbers.get(e.ticket_id) if e.ticket_id else None,
                }
                for e in entries
            ],
        }
    )


def _row(entry: SinkEntry, number: int | None) -> str:
    # The number people use (#1125); the id stays in the JSON and in the cell's title.
    # A message of no ticket says what it is instead (visit_reminder, greeting, broadcast).
    if entry.ticket_id is None:
        ticket = escape(entry.purpose)
    else:
        ticket = f"#{number}" if number is not None else escape(str(entry.ticket_id))
    subject = f"<strong>{escape(entry.subject)}</strong><br>" if entry.subject else ""
    return (
        f"<tr><td class=meta>{escape(entry.received_at.strftime('%Y-%m-%d %H:%M:%S'))} UTC</td>"
        f"<td>{escape(entry.channel)}</td><td>{escape(entry.from_address)}</td>"
        f"<td>{escape(entry.to_address)}</td><td>{subject}<pre>{escape(entry.body_text)}</pre>"
        f"</td><td class=meta title={escape(str(entry.ticket_id or ''))}>{ticket}</td></tr>"
    )


async def sink_page(request: web.Request) -> web.Response:
    settings = _demo_only(request)
    pool = request.app[POOL]
    entries, numbers = await _entries(request)
    counts = await devsink.count_sent(pool)
    status = "".join(f"<li>{escape(line)}</li>" for _, line in providers.report(settings))
    rows = "".join(_row(e, numbers.get(e.ticket_id) if e.ticket_id else None) for e in entries)
    rows = rows or f"<tr><td colspan=6>{EMPTY_HINT}</td></tr>"
    body = (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        "<meta http-equiv=refresh content=5><title>Development sink</title>"
        f"<style>{STYLE}</style></head><body><h1>Development sink</h1>"
        "<p>What this demo service would have sent: outbound SMS and mail for which no real "
        "provider is configured land here instead. JSON: <code>/api/v1/dev/sink</code>.</p>"
        f"<ul>{status}</ul><p>{counts.get('sms', 0)} SMS, {counts.get('email', 0)} emails "
        "in total; newest first.</p><table><tr><th>when</th><th>channel</th><th>from</th>"
        f"<th>to</th><th>message</th><th>ticket</th></tr>{rows}</table></body></html>"
    )
    return web.Response(
        text=body,
        content_type="text/html",
        headers={"Content-Security-Policy": PAGE_POLICY, "Cache-Control": "no-store"},
    )


ROUTES: list[Route] = [
    Route(
        "GET",
        "/dev/outbox",
        sink_page,
        "Demo mode: the development sink as a page (what would have been sent)",
        public=True,
        media=("text/html",),
        query=("channel", "limit"),
        query_schemas={"channel": schemas.OUTBOUND_CHANNEL},
        tag="dev",
        responses={404: "not in demo mode"},
    ),
    Route(
        "GET",
        f"{API}/dev/sink",
        sink_json,
        "Demo mode: outbound SMS and mail kept by the development sink, newest first, with "
        "where each channel sends and where test traffic goes in",
        public=True,
        query=("channel", "limit"),
        query_schemas={"channel": schemas.OUTBOUND_CHANNEL},
        tag="dev",
        responses={404: "not in demo mode"},
    ),
]
