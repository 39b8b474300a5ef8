"""Request-wide concerns: domain errors to JSON, HTTP errors to JSON, security headers."""

from __future__ import annotations

import functools
import logging
import secrets

from aiohttp import web
from aiohttp.typedefs import Handler

from contact_center.errors import DomainError
from contact_center.web.errors import error_body, status_of
from contact_center.web.inputs import clean_query
from contact_center.web.keys import REQUEST_ID, USER

log = logging.getLogger("contact_center.web")

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
        "form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
HTTP_CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 413: "too_large"}


@web.middleware
async def errors_as_json(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except DomainError as exc:
        status = status_of(exc)
        if status in (401, 403):
            user = request.get(USER)
            log.warning(
                "security: %s %s %s refused for %s: %s",
                status,
                request.method,
                request.path,
                user.email if user else request.remote,
                exc.message,
            )
        return web.json_response(error_body(exc.code, exc.message, exc.field), status=status)
    except web.HTTPException as exc:
        if exc.status < 400 or exc.content_type == "application/json":
            raise
        code = HTTP_CODES.get(exc.status, "http_error")
        return web.json_response(
            error_body(code, exc.reason),
            status=exc.status,
            headers={k: v for k, v in exc.headers.items() if k.lower() == "allow"},
        )
    except Exception:
        log.exception(
            "unhandled error on %s %s (request %s)",
            request.method,
            request.path,
            request.get(REQUEST_ID),
        )
        return web.json_response(
            error_body("internal", "something went wrong on our side"), status=500
        )


async def add_security_headers(request: web.BaseRequest, response: web.StreamResponse) -> None:
    """on_response_prepare: every answer gets the headers, also those no middleware sees
    (aiohttp's own 404/405 pages and, through SecuredRequest, its 400 for unparsable requests)."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)  # a handler may set a stricter one
    # Answers under /api carry personal data: never keep them in a cache.
    if request.path.startswith("/api/"):
        response.headers["Cache-Control"] = "no-store"


class SecuredRequest(web.Request):
    """aiohttp answers a request it cannot parse (an over-long request line, a bad method or
    header) itself, before any routing: no middleware runs, and the application's
    on_response_prepare signal is only sent for routed requests (aiohttp issue 6463). This
    request class adds the headers on that path too."""

    async def _prepare_hook(self, response: web.StreamResponse) -> None:
        await super()._prepare_hook(response)
        await add_security_headers(self, response)  # idempotent after the app's own signal


def secure_error_pages(runner: web.AppRunner) -> None:
    """Make the runner's server build SecuredRequest; call after `runner.setup()`."""
    assert runner.server is not None, "call after runner.setup()"
    runner.server.request_factory = functools.partial(runner.app._make_request, _cls=SecuredRequest)


@web.middleware
async def request_id(request: web.Request, handler: Handler) -> web.StreamResponse:
    request[REQUEST_ID] = secrets.token_hex(8)
    response = await handler(request)
    response.headers["X-Request-Id"] = request[REQUEST_ID]
    return response


@web.middleware
async def checked_query(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Query values pass the input boundary before any handler reads them (`web/inputs.py`)."""
    cleaned = clean_query(request.query)
    if cleaned is not None:
        request = request.clone(rel_url=request.rel_url.with_query(cleaned))
    return await handler(request)


MIDDLEWARES = [request_id, errors_as_json, checked_query]
