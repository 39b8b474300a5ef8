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


def write_name_cursor(name: str, item_id: UUID) -> str:
    return base64.urlsafe_b64encode(f"{item_id}|{name}".encode()).decode().rstrip("=")


def read_name_cursor(request: web.Request) -> tuple[str, str] | None:
    cursor = request.query.get("cursor")
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        item_id, name = raw.split("|", 1)
        return name, str(UUID(item_id))
    except ValueError:
        raise Invalid("not a cursor returned by this API", field="cursor") from None


def write_day_cursor(day: date, row_id: int) -> str:
    """The cursor after a row of a list ordered by day, then row id (value entries)."""
    return base64.urlsafe_b64encode(f"{day.isoformat()}|{row_id}".encode()).decode().rstrip("=")


def read_day_cursor(request: web.Request) -> tuple[date, int] | None:
    cursor = request.query.get("cursor")
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        day, row_id = raw.split("|", 1)
        if not row_id.isdigit():
            raise ValueError(row_id)
        return date.fromisoformat(day), int(row_id)
    except ValueError:
        raise Invalid("not a cursor returned by this API", field="cursor") from None


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
