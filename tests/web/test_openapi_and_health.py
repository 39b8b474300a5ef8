from __future__ import annotations

import re
from typing import Any

from aiohttp.test_utils import TestClient

from contact_center.config import Settings
from contact_center.users import Role
from contact_center.web.routes import ROUTES
from tests.builders import make_user, token_for
from tests.conftest import SingleConnectionPool, client_for

Client = TestClient[Any, Any]


async def test_openapi_lists_exactly_the_routes_served(
    client: Client, db: SingleConnectionPool
) -> None:
    headers = await token_for(db, await make_user(db, Role.AGENT))
    doc = await (await client.get("/api/v1/openapi.json", headers=headers)).json()
    documented = {(m.upper(), p) for p, ops in doc["paths"].items() for m in ops}
    served = {(r.method, r.path) for r in ROUTES if not r.console}
    console = {(r.method, r.path) for r in ROUTES if r.console}
    registered = {
        (route.method, route.resource.canonical)
        for route in client.app.router.routes()
        if route.method != "HEAD"
        and route.resource
        and not route.resource.canonical.startswith("/webhooks/")
    } - console
    assert documented == served == registered
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            if "{id}" in path:
                assert op["parameters"][0]["name"] == "id"
            if method in {"post", "patch"} and op.get("requestBody"):
                schema = op["requestBody"]["content"]["application/json"]["schema"]
                assert schema["additionalProperties"] is False
    assert re.match(r"3\.\d+\.\d+", doc["openapi"])


async def test_every_answer_has_security_headers(client: Client) -> None:
    response = await client.get("/api/v1/customers")
    assert response.status == 401
    csp = response.headers["Content-Security-Policy"]
    for part in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert part in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"]


async def test_health_is_ok_with_a_database(client: Client) -> None:
    response = await client.get("/healthz")
    assert response.status == 200
    assert await response.json() == {"status": "ok", "database": "ok"}


class DeadPool:
    def acquire(self) -> Any:
        raise OSError("connection refused")


async def test_health_is_503_without_a_database(settings: Settings) -> None:
    async with client_for(settings, DeadPool()) as client:
        response = await client.get("/healthz")
        assert response.status == 503
        assert (await response.json())["database"] == "unreachable"


async def test_the_openapi_document_needs_no_token(client: Client) -> None:
    response = await client.get("/api/v1/openapi.json")
    assert response.status == 200
    doc = await response.json()
    assert doc["paths"]["/api/v1/openapi.json"]["get"]["security"] == []
    assert doc["paths"]["/developers"]["get"]["security"] == []


async def test_the_developers_page_shows_where_to_start(client: Client) -> None:
    response = await client.get("/developers")
    assert response.status == 200
    assert response.content_type == "text/html"
    page = await response.text()
    for link in ('href="/api/v1"', 'href="/api/v1/openapi.json"', 'href="/healthz"'):
        assert link in page
    assert "contact-center token create" in page and "/api/v1/auth/login" in page
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


async def test_the_api_root_lists_its_parts(client: Client) -> None:
    response = await client.get("/api/v1")
    assert response.status == 200
    index = await response.json()
    assert index["openapi"] == "http://localhost:8080/api/v1/openapi.json"
    assert index["health"] == "http://localhost:8080/healthz"
    parts = {part["name"]: part for part in index["parts"]}
    assert {"auth", "customers", "organizations", "tickets", "users"} <= set(parts)
    urls = {op["url"] for op in parts["tickets"]["operations"]}
    assert "http://localhost:8080/api/v1/tickets" in urls
    listed = {(op["method"], op["url"]) for part in parts.values() for op in part["operations"]}
    served = {
        (r.method, "http://localhost:8080" + r.path)
        for r in ROUTES
        if r.path.startswith("/api/v1/") and not r.console
    }
    assert listed == served
