"""Request-wide concerns: request id and one log line per request, domain errors to JSON,
HTTP errors to JSON, a lost database connection to a retryable 503, security headers."""

from __future__ import annotations

import functools
import logging
import secrets
import time

from aiohttp import web
from aiohttp.typedefs import Handler

from contact_center import logs
from contact_center.db.pool import connection_lost
from contact_center.errors import DomainError
from contact_center.web.console.pages import error_page, wants_page
from contact_center.web.errors import error_body, status_of
from contact_center.web.inputs import clean_query
from contact_center.web.keys import REQUEST_ID, USER

log = logging.getLogger("contact_center.web")

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
        # Call recordings play straight from Twilio's media URLs (unguessable, and public
        # unless the account enforces HTTP auth on media).
        "form-action 'self'; media-src 'self' https://api.twilio.com"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
MACHINE = ("/api/", "/webhooks/", "/static/")  # URLs only programs use: errors stay JSON
HTTP_CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 413: "too_large"}
RETRY_AFTER_SECONDS = 2


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
        if exc.status == 404 and wants_page(request) and not request.path.startswith(MACHINE):
            # A person who typed or followed a wrong console link gets a page to go on from.
            return error_page(request, 404, "")
        code = HTTP_CODES.get(exc.status, "http_error")
        return web.json_response(
            error_body(code, exc.reason),
            status=exc.status,
            headers={k: v for k, v in exc.headers.items() if k.lower() == "allow"},
        )
    except Exception as exc:
        if connection_lost(exc):
            # The database went away under this request (restart, failover, terminated
            # backend). Unless it was lost during COMMIT itself, nothing of the request was
            # kept, so the client is told to send it again.
            log.warning(
                "database unavailable on %s %s: %s: %s",
                request.method,
                request.path,
                type(exc).__name__,
                exc,
            )
            return web.json_response(
                error_body("unavailable", "the database is unavailable; try again shortly"),
                status=503,
                headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
            )
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
async def request_log(request: web.Request, handler: Handler) -> web.StreamResponse:
    """One INFO line per request; the request id follows every line logged meanwhile."""
    request[REQUEST_ID] = secrets.token_hex(8)
    token = logs.request_id.set(request[REQUEST_ID])
    began = time.perf_counter()
    status = 500
    try:
        response = await handler(request)
        status = response.status
        response.headers["X-Request-Id"] = request[REQUEST_ID]
        return response
    except web.HTTPException as exc:
        status = exc.status
        raise
    finally:
        millis = (time.perf_counter() - began) * 1000
        log.info(
            "%s %s %s %.1f ms",
            request.method,
            request.path,
            status,
            millis,
            extra={
                "method": request.method,
                "path": request.path,
                "status": status,
                "duration_ms": round(millis, 1),
            },
        )
        logs.request_id.reset(token)


@web.middleware
async def checked_query(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Query values pass the input boundary before any handler reads them (`web/inputs.py`)."""
    cleaned = clean_query(request.query)
    if cleaned is not None:
        request = request.clone(rel_url=request.rel_url.with_query(cleaned))
    return await handler(request)


MIDDLEWARES = [request_log, errors_as_json, checked_query]
