"""The OpenAPI document, built from the route table and the body schemas it names."""

from __future__ import annotations

import re
from typing import Any

from contact_center.web.api import answers
from contact_center.web.api.schemas import QUERY
from contact_center.web.route import Route

ERROR = {"type": "object", "properties": {"error": answers.ERROR}}


# Answers any operation may give, by what it takes; the generator adds them to every route, so
# a new route is documented the same way without listing them.
AUTH_ERRORS = {401: "no valid token or session", 403: "this role may not do that"}
BODY_ERRORS = {
    400: "the body is not JSON, or not a JSON object",
    413: "the body is too large",
    415: "the body is not `application/json`",
    422: "a field is invalid; `field` names it",
}
QUERY_ERRORS = {422: "a query parameter is invalid; `field` names it"}
ID_ERRORS = {404: "no such object, or a referenced id does not exist; `field` names it"}
ANY_ERRORS = {503: "the database is unreachable; retry later"}


ERROR_REF = {"$ref": "#/components/schemas/Error"}


def _references(schema: dict[str, Any] | None) -> bool:
    """Whether a body schema names other objects by id (which may not exist: 404)."""
    properties = (schema or {}).get("properties", {})
    return any(p.get("format") == "uuid" for p in properties.values())


def _error_responses(route: Route) -> dict[int, str | tuple[str, dict[str, Any]]]:
    errors: dict[int, str | tuple[str, dict[str, Any]]] = {}
    if not route.public:
        errors.update(AUTH_ERRORS)
    if route.body is not None:
        errors.update(BODY_ERRORS)
    if route.query:
        errors.update(QUERY_ERRORS)
    if "{" in route.path or _references(route.body):
        errors.update(ID_ERRORS)
    errors.update(ANY_ERRORS)
    errors.update(route.responses)
    return errors


def _query_parameter(route: Route, name: str) -> dict[str, Any]:
    schema = route.query_schemas.get(name) or QUERY.get(name, {"type": "string"})
    required = name in route.required_query
    param: dict[str, Any] = {"name": name, "in": "query", "required": required, "schema": schema}
    if schema.get("type") == "array":  # `?status=new,open`; repeating the name works too
        param.update(style="form", explode=False)
    return param


def _operation(route: Route) -> dict[str, Any]:
    if route.method == "DELETE" or route.path.endswith("logout"):
        responses: dict[str, Any] = {"204": {"description": "done"}}
    else:
        answer = route.answer or {"type": "object"}
        responses = {
            "201" if route.created else "200": {
                "description": "OK",
                "content": {media: {"schema": answer} for media in route.media},
            }
        }
    for status, given in sorted(_error_responses(route).items()):
        text, schema = given if isinstance(given, tuple) else (given, ERROR_REF)
        responses[str(status)] = {
            "description": text,
            "content": {"application/json": {"schema": schema}},
        }
    slug = re.sub(r"[^a-z0-9]+", "_", route.path).strip("_")
    op: dict[str, Any] = {
        "summary": route.summary,
        "operationId": f"{route.method.lower()}_{slug}",
        "tags": [route.tag],
        "responses": responses,
    }
    params = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": route.path_schemas.get(name, {"type": "string", "format": "uuid"}),
        }
        for name in re.findall(r"\{(\w+)\}", route.path)
    ]
    params += [_query_parameter(route, q) for q in route.query]
    if params:
        op["parameters"] = params
    if route.body is not None:
        op["requestBody"] = {
            "required": True,
            "content": {route.body_media: {"schema": route.body}},
        }
    if route.public:
        op["security"] = []
    return op


def build_openapi(routes: list[Route], public_url: str) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for route in routes:
        if not route.console:
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
