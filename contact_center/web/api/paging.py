"""Page size and cursors for name-ordered lists."""

from __future__ import annotations

import base64
from uuid import UUID

from aiohttp import web

from contact_center.errors import Invalid
from contact_center.web.api.schemas import LIMIT_MAX

DEFAULT_LIMIT = 50
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
