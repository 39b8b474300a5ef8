"""Where a newcomer starts: the root page (until the console exists) and the API's own index,
both built from the route table so they never list a URL that is not served."""

from __future__ import annotations

import re
from html import escape
from typing import Any

from aiohttp import web

from contact_center.web.jsonio import json_response
from contact_center.web.keys import ROUTE_TABLE, SETTINGS
from contact_center.web.openapi import build_openapi
from contact_center.web.route import API, Route

TITLE = "contact-center"


def build_index(routes: list[Route], public_url: str) -> dict[str, Any]:
    """GET /api/v1: the API's parts (one per tag), each with its operations and URLs."""
    parts: dict[str, list[dict[str, str]]] = {}
    for route in routes:
        if route.path.startswith(API + "/") and not route.console:
            parts.setdefault(route.tag, []).append(
                {"method": route.method, "url": public_url + route.path, "summary": route.summary}
            )
    return {
        "name": f"{TITLE} API",
        "version": "1",
        "openapi": f"{public_url}{API}/openapi.json",
        "health": f"{public_url}/healthz",
        "parts": [{"name": name, "operations": ops} for name, ops in parts.items()],
    }


def _code_spans(text: str) -> str:
    """Summaries mark names with `backticks`, as the OpenAPI document's Markdown does."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", escape(text))


def _operation_rows(routes: list[Route]) -> str:
    rows = []
    for route in routes:
        if route.path.startswith(API + "/") and not route.console:
            rows.append(
                f"<tr><td>{escape(route.method)}</td><td><code>{escape(route.path)}</code></td>"
                f"<td>{_code_spans(route.summary)}</td></tr>"
            )
    return "\n".join(rows)


DEMO_LINKS = """<h2>Demo mode</h2>
<p>No SMS provider or mail relay is configured, so what the service sends goes to the
<a href="/dev/outbox">development sink</a> instead. To send it test traffic (signed SMS
webhooks and mail), run <code>.venv/bin/python scripts/simulate.py</code> in the project
folder.</p>
"""


def render_home(routes: list[Route], public_url: str, *, demo: bool = False) -> str:
    """GET /: what the service is and how to start using it, as plain HTML (no script, no
    inline style: the page lives under the same strict Content-Security-Policy as the rest)."""
    url = escape(public_url)
    return f"""<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{TITLE}</title></head>
<body>
<h1>{TITLE}</h1>
<p>Phone calls, SMS and email in; tickets on customer records out. Agents work in the
<a href="/">console</a>; everything it does is also in the REST API below.</p>
<h2>Start here</h2>
<ul>
<li><a href="{API}">{API}</a>: the API's parts and their URLs (JSON)</li>
<li><a href="{API}/openapi.json">{API}/openapi.json</a>: the OpenAPI document, readable
without a token (load it into any OpenAPI viewer or client generator)</li>
<li><a href="/healthz">/healthz</a>: service and database health</li>
</ul>
<p>A guide with examples for each resource is <code>docs/api.md</code> in the source tree;
the table at the end of this page lists every operation.</p>
{DEMO_LINKS if demo else ""}<h2>Log in or make a token</h2>
<p>Every API call except these pages and the login needs a bearer token or a session.
On the server, in the project folder, make a token for a staff user:</p>
<pre>.venv/bin/contact-center token create --email admin@example.com</pre>
<p>and send it as <code>Authorization: Bearer cc_…</code>. Or log in for a session cookie
(then send the returned <code>csrf_token</code> as <code>X-CSRF-Token</code> on writes):</p>
<pre>curl -c cookies -H 'Content-Type: application/json' \\
  -d '{{"email": "admin@example.com", "password": "…"}}' {url}{API}/auth/login</pre>
<p>A new staff user:
<code>.venv/bin/contact-center user create --email … --role admin --password …</code>.
Request bodies are JSON, sent as <code>Content-Type: application/json</code>.</p>
<h2>Operations</h2>
<table>
<tr><th>method</th><th>path</th><th>what it does</th></tr>
{_operation_rows(routes)}
</table>
</body>
</html>
"""


async def openapi_document(request: web.Request) -> web.Response:
    return json_response(build_openapi(request.app[ROUTE_TABLE], request.app[SETTINGS].public_url))


async def api_index(request: web.Request) -> web.Response:
    return json_response(build_index(request.app[ROUTE_TABLE], request.app[SETTINGS].public_url))


async def home_page(request: web.Request) -> web.Response:
    settings = request.app[SETTINGS]
    page = render_home(request.app[ROUTE_TABLE], settings.public_url, demo=settings.demo)
    return web.Response(text=page, content_type="text/html")


ROUTES: list[Route] = [
    Route(
        "GET",
        "/developers",
        home_page,
        "Where to start with the API (HTML)",
        public=True,
        tag="home",
        media=("text/html",),
    ),
    Route("GET", API, api_index, "The API's parts and their URLs", public=True, tag="api"),
    Route("GET", f"{API}/openapi.json", openapi_document, "This document", public=True, tag="api"),
]
