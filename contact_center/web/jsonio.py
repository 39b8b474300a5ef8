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

from contact_center.errors import DomainError, Invalid


class BadRequest(DomainError):
    code = "bad_request"


class UnsupportedMediaType(DomainError):
    code = "unsupported_media_type"


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


def check(data: Any, schema: dict[str, Any]) -> dict[str, Any]:
    """Validate against a JSON schema; the first error becomes Invalid(field=...)."""
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        error = errors[0]
        field = _field_of(error)
        message = "unknown field" if error.validator == "additionalProperties" else error.message
        raise Invalid(message, field=field or None)
    assert isinstance(data, dict)
    return data


async def read_json(request: web.Request, schema: dict[str, Any]) -> dict[str, Any]:
    """The request's JSON object body, checked against `schema`.

    Malformed JSON is a 400; a well-formed body that breaks the schema is a 422 naming the field.
    """
    raw = await request.read()
    try:
        data = json.loads(raw or b"null")
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("the body is not valid JSON") from None
    if not isinstance(data, dict):
        raise BadRequest("the body must be a JSON object")
    return check(data, schema)
