"""The OpenAPI document, built from the route table and the body schemas it names."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from contact_center.web.inputs import query_max_length

if TYPE_CHECKING:
    from contact_center.web.routes import Route

ERROR = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "field": {"type": "string"},
            },
            "required": ["code", "message"],
        }
    },
}


def _operation(route: Route) -> dict[str, Any]:
    if route.method == "DELETE" or route.path.endswith("logout"):
        responses: dict[str, Any] = {"204": {"description": "done"}}
    else:
        responses = {"201" if route.created else "200": {"description": "OK"}}
    error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    if not route.public:
        responses["401"] = {"description": "no valid token or session", **error}
        responses["403"] = {"description": "this role may not do that", **error}
    if "{id}" in route.path:
        responses["404"] = {"description": "no such object", **error}
    if route.body is not None:
        responses["400"] = {"description": "the body is not a JSON object", **error}
        responses["422"] = {"description": "a field is invalid; `field` names it", **error}
        responses["415"] = {"description": "the body is not application/json", **error}
    for status, text in route.responses.items():
        responses[str(status)] = {"description": text, **error}
    slug = re.sub(r"[^a-z0-9]+", "_", route.path).strip("_")
    op: dict[str, Any] = {
        "summary": route.summary,
        "operationId": f"{route.method.lower()}_{slug}",
        "tags": [route.tag],
        "responses": responses,
    }
    params = (
        [
            {
                "name": "id",
                "in": "path",
                "required": True,
                "schema": {"type": "string", "format": "uuid"},
            }
        ]
        if "{id}" in route.path
        else []
    )
    params += [
        {
            "name": q,
            "in": "query",
            "required": False,
            "schema": {"type": "string", "maxLength": query_max_length(q)},
        }
        for q in route.query
    ]
    if params:
        op["parameters"] = params
    if route.body is not None:
        op["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": route.body}},
        }
    if route.public:
        op["security"] = []
    return op


def build_openapi(routes: list[Route], public_url: str) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for route in routes:
        paths.setdefault(route.path, {})[route.method.lower()] = _operation(route)
    return {
        "openapi": "3.1.0",
        "info": {"title": "contact-center API", "version": "1"},
        "servers": [{"url": public_url}],
        "paths": paths,
        "components": {
            "schemas": {"Error": ERROR},
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "session": {"type": "apiKey", "in": "cookie", "name": "__Host-cc_session"},
            },
        },
        "security": [{"bearer": []}, {"session": []}],
    }
