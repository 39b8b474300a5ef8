"""The input boundary: text from JSON bodies and query strings is cleaned or refused here, once,
before any handler or PostgreSQL sees it.

- NUL (U+0000) is removed: PostgreSQL `text` and `jsonb` cannot hold it, and no person types it.
- A lone surrogate (possible through a JSON `\\ud800` escape) is refused, naming the field: it
  cannot be encoded as UTF-8, so it can be neither stored nor echoed.
- JSON deeper than MAX_DEPTH is refused, naming the field; NaN and Infinity are not JSON.
- Query values longer than their cap are refused, naming the parameter. JSON string lengths are
  capped per field by the request schemas (`web/api/schemas.py`).
"""

from __future__ import annotations

import json
import re
from typing import Any

from multidict import MultiDict, MultiMapping

from contact_center.errors import DomainError, Invalid


class BadRequest(DomainError):
    """The request as a whole cannot be read (400): not JSON, nested too deep, not a form."""

    code = "bad_request"


class UnsupportedMediaType(DomainError):
    code = "unsupported_media_type"


MAX_DEPTH = 32  # our bodies need 3 levels; Python's parser gives up near 1,000
DEFAULT_QUERY_MAX_LENGTH = 200
# A name cursor carries a name of up to 500 characters, base64 of up to 2,000 bytes of UTF-8.
QUERY_MAX_LENGTH = {"cursor": 4000}
_SURROGATE = re.compile("[\ud800-\udfff]")
# A string token or a bracket; enough to follow the nesting of a body too deep to parse.
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def query_max_length(name: str) -> int:
    return QUERY_MAX_LENGTH.get(name, DEFAULT_QUERY_MAX_LENGTH)


def printable(name: str) -> str:
    """A field name safe to put in an answer or a log line, whatever it contains."""
    return name.encode("utf-8", "backslashreplace").decode("utf-8")


def clean_text(value: str, field: str) -> str:
    if "\x00" in value:
        value = value.replace("\x00", "")
    if _SURROGATE.search(value):
        raise Invalid("not valid Unicode text (a lone surrogate)", field=printable(field) or None)
    return value


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def clean_json(value: Any, path: str = "", depth: int = 1) -> Any:
    """The parsed body with every string and key cleaned; raises naming the first bad field."""
    if isinstance(value, str):
        return clean_text(value, path)
    if not isinstance(value, dict | list):
        return value
    if depth > MAX_DEPTH:
        raise BadRequest(f"the JSON is nested deeper than {MAX_DEPTH} levels", field=path or None)
    if isinstance(value, list):
        return [clean_json(item, _join(path, i), depth + 1) for i, item in enumerate(value)]
    cleaned = {}
    for key, item in value.items():
        name = clean_text(key, _join(path, key))
        cleaned[name] = clean_json(item, _join(path, name), depth + 1)
    return cleaned


def _refuse_constant(name: str) -> Any:
    raise BadRequest(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    number = float(text)
    if number in (float("inf"), float("-inf")):
        raise BadRequest(f"the number {text[:20]} is too large")
    return number


def parse_json(raw: bytes) -> Any:
    """Parse a body; BadRequest (400) when it is not JSON we can take, naming a field if any."""
    try:
        text = raw.decode("utf-8")
        data = json.loads(text or "null", parse_constant=_refuse_constant, parse_float=_finite)
    except RecursionError:
        raise BadRequest(
            f"the JSON is nested deeper than {MAX_DEPTH} levels", field=_too_deep_at(text)
        ) from None
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("the body is not valid JSON") from None
    return clean_json(data)


def _too_deep_at(text: str) -> str | None:
    """The top-level field under which `text` nests too deep: the last string met at depth 1
    before the nesting starts is that field's name."""
    depth, key = 0, None
    for token in _TOKEN.finditer(text):
        mark = token.group()
        if mark in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return printable(key) if key is not None else None
        elif mark in "]}":
            depth -= 1
        elif depth == 1:
            key = mark[1:-1]
    return None


def clean_query(query: MultiMapping[str]) -> MultiDict[str] | None:
    """Check every query value's length; the query without NULs when it had any, else None."""
    for name, value in query.items():
        if len(value) > query_max_length(name):
            raise Invalid(f"longer than {query_max_length(name)} characters", field=printable(name))
    if not any("\x00" in name or "\x00" in value for name, value in query.items()):
        return None
    return MultiDict((n.replace("\x00", ""), v.replace("\x00", "")) for n, v in query.items())
