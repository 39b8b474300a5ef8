"""Request-wide concerns: domain errors to JSON, HTTP errors to JSON, security headers."""

from __future__ import annotations

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


@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    request[REQUEST_ID] = secrets.token_hex(8)
    response = await handler(request)
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)  # a handler may set a stricter one
    response.headers["X-Request-Id"] = request[REQUEST_ID]
    # Answers under /api carry personal data: never keep them in a cache.
    if request.path.startswith("/api/"):
        response.headers["Cache-Control"] = "no-store"
    return response


@web.middleware
async def checked_query(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Query values pass the input boundary before any handler reads them (`web/inputs.py`)."""
    cleaned = clean_query(request.query)
    if cleaned is not None:
        request = request.clone(rel_url=request.rel_url.with_query(cleaned))
    return await handler(request)


MIDDLEWARES = [security_headers, errors_as_json, checked_query]
