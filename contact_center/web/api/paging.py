"""Reading list queries: page size, cursors for name-ordered and newest-day-first lists, enum
filters."""

from __future__ import annotations

import base64
from datetime import date
from enum import StrEnum
from typing import TypeVar
from uuid import UUID

from aiohttp import web

from contact_center.errors import Invalid
from contact_center.web.api.schemas import LIMIT_MAX

DEFAULT_LIMIT = 50
E = TypeVar("E", bound=StrEnum)
MAX_LIMIT = LIMIT_MAX


def page_limit(request: web.Request) -> int:
    """`limit`, or the default when it is absent or empty (`?limit=`, as forms send it)."""
    raw = request.query.get("limit") or str(DEFAULT_LIMIT)
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise Invalid(f"limit must be a whole number from 1 to {MAX_LIMIT}", field="limit")
    return int(raw)


def _write_cursor(first: str, second: str) -> str:
    return base64.urlsafe_b64encode(f"{first}|{second}".encode()).decode().rstrip("=")


def _cursor_parts(request: web.Request) -> tuple[str, str] | None:
    """The two parts of `?cursor=`, None without one; a ValueError when it is not ours."""
    cursor = request.query.get("cursor")
    if not cursor:
        return None
    raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    first, second = raw.split("|", 1)
    return first, second


NOT_A_CURSOR = "not a cursor returned by this API"


def write_name_cursor(name: str, item_id: UUID) -> str:
    return _write_cursor(str(item_id), name)


def read_name_cursor(request: web.Request) -> tuple[str, str] | None:
    try:
        parts = _cursor_parts(request)
        return None if parts is None else (parts[1], str(UUID(parts[0])))
    except ValueError:
        raise Invalid(NOT_A_CURSOR, field="cursor") from None


def write_day_cursor(day: date, row_id: int) -> str:
    """The cursor after a row of a list ordered by day, then row id (value entries)."""
    return _write_cursor(day.isoformat(), str(row_id))


def read_day_cursor(request: web.Request) -> tuple[date, int] | None:
    try:
        parts = _cursor_parts(request)
        if parts is None:
            return None
        day, row_id = parts
        if not row_id.isdigit():
            raise ValueError(row_id)
        return date.fromisoformat(day), int(row_id)
    except ValueError:
        raise Invalid(NOT_A_CURSOR, field="cursor") from None


def enum_filter(request: web.Request, name: str, enum: type[E]) -> list[E]:
    """A filter given as `?status=new,open` or `?status=new&status=open`; none means all."""
    values = [v for raw in request.query.getall(name, []) for v in raw.split(",") if v]
    try:
        return [enum(v) for v in values]
    except ValueError:
        raise Invalid(f"must be among {', '.join(e.value for e in enum)}", field=name) from None


def enum_choice(request: web.Request, name: str, enum: type[E]) -> E | None:
    """One value of `enum`, or None when absent or empty."""
    raw = request.query.get(name) or None
    try:
        return enum(raw) if raw else None
    except ValueError:
        raise Invalid(f"must be one of {', '.join(e.value for e in enum)}", field=name) from None
