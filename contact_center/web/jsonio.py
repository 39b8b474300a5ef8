"""JSON in and out: body parsing with schema checks that name the bad field, and encoding."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime
from enum import Enum
from typing import Any
from uuid import UUID

from aiohttp import web
from jsonschema import Draft202012Validator

from contact_center.errors import Invalid
from contact_center.web.inputs import BadRequest as BadRequest
from contact_center.web.inputs import UnsupportedMediaType as UnsupportedMediaType
from contact_center.web.inputs import parse_json

JSON = "application/json"
MAX_MESSAGE = 200  # schema messages quote the value; a 900,000-character one stays out


def _default(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID | Enum):
        return str(value)
    raise TypeError(f"cannot encode {type(value).__name__}")


def dumps(data: Any) -> str:
    return json.dumps(data, default=_default, ensure_ascii=False)


def json_response(data: Any, *, status: int = 200) -> web.Response:
    return web.json_response(data, status=status, dumps=dumps)


def _field_of(error: Any) -> str:
    path = ""
    for part in error.absolute_path:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    if error.validator == "additionalProperties":
        allowed = set(error.schema.get("properties", {}))
        extra = sorted(set(error.instance) - allowed)
        if extra:
            return f"{path}.{extra[0]}" if path else extra[0]
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else ""
        return f"{path}.{missing}" if path else missing
    return path


def _message_of(error: Any) -> str:
    if error.validator == "additionalProperties":
        return "unknown field"
    if error.validator == "maxLength":
        return f"longer than {error.validator_value} characters"
    if error.validator == "maxItems":
        return f"more than {error.validator_value} items"
    message: str = error.message
    return message if len(message) <= MAX_MESSAGE else message[:MAX_MESSAGE] + "…"


def check(data: Any, schema: dict[str, Any]) -> dict[str, Any]:
    """Validate against a JSON schema; the first error becomes Invalid(field=...)."""
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        error = errors[0]
        field = _field_of(error)
        raise Invalid(_message_of(error), field=field or None)
    assert isinstance(data, dict)
    return data


async def read_json(request: web.Request, schema: dict[str, Any]) -> dict[str, Any]:
    """The request's JSON object body, checked against `schema`.

    A body of another content type is a 415 (a form or text/plain body is what a cross-site form
    can send); malformed or too deeply nested JSON is a 400; text is cleaned at the input
    boundary (`web/inputs.py`); a body that breaks the schema is a 422 naming the field.
    """
    if request.body_exists and request.content_type != JSON:
        raise UnsupportedMediaType(f"send the body as {JSON}")
    data = parse_json(await request.read())
    if not isinstance(data, dict):
        raise BadRequest("the body must be a JSON object")
    return check(data, schema)
