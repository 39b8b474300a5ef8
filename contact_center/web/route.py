"""What one URL is: method, path, handler, who may call it and what it takes and answers.

Each `web/api/<resource>.py` and `web/console/<screen>.py` exports its own `ROUTES`;
`web/routes.py` joins them into the one table the app, the OpenAPI document and the index read.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
API = "/api/v1"


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    handler: Handler
    summary: str
    public: bool = False
    body: dict[str, Any] | None = None
    body_media: str = "application/json"  # the request body's content type (a CSV upload: text/csv)
    query: tuple[str, ...] = ()
    required_query: tuple[str, ...] = ()  # those of `query` without which it answers 422
    # Query parameters whose meaning differs on this route from the shared one in schemas.QUERY.
    query_schemas: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Path parameters that are not ids (uuid), e.g. a queue's name.
    path_schemas: dict[str, dict[str, Any]] = field(default_factory=dict)
    tag: str = "api"
    created: bool = False  # answers 201 Created
    # Other answers it may give: a description (the body is an Error) or (description, schema).
    responses: dict[int, str | tuple[str, dict[str, Any]]] = field(default_factory=dict)
    answer: dict[str, Any] | None = None  # the success answer's JSON schema
    media: tuple[str, ...] = ("application/json",)  # the success answer's content types
    # A page, form or stream of the console: left out of the OpenAPI document and the API index;
    # without a session it redirects to the sign-in page, and errors are shown as pages.
    console: bool = False
