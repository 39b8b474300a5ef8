"""SQL for canned replies. The only module that touches canned_replies."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from contact_center.canned.model import CannedChannel, CannedReply
from contact_center.db import Conn
from contact_center.errors import NotFound

COLUMNS = "id, title, body, channel, language, created_by, created_at, updated_at"
INSERT_CANNED = f"""
INSERT INTO canned_replies (title, body, channel, language, created_by, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING {COLUMNS}
"""
# Filters are optional: a null parameter matches every row. `any` replies suit every channel.
LIST_CANNED = f"""
SELECT {COLUMNS} FROM canned_replies
WHERE ($1::text IS NULL OR channel = 'any' OR channel = $1)
  AND ($2::text IS NULL OR language = $2)
ORDER BY language, title, id LIMIT $3
"""
LOCK_CANNED = f"SELECT {COLUMNS} FROM canned_replies WHERE id = $1 FOR UPDATE"
GET_CANNED = f"SELECT {COLUMNS} FROM canned_replies WHERE id = $1"
UPDATE_CANNED = f"""
UPDATE canned_replies SET title = $2, body = $3, channel = $4, language = $5, updated_at = $6
WHERE id = $1 RETURNING {COLUMNS}
"""
DELETE_CANNED = "DELETE FROM canned_replies WHERE id = $1"
COUNT_CANNED = "SELECT count(*) FROM canned_replies"


def _canned(row: Any) -> CannedReply:
    return CannedReply(**{**dict(row), "channel": CannedChannel(row["channel"])})


async def insert_canned(
    conn: Conn, fields: dict[str, Any], *, author_id: UUID | None, at: datetime
) -> CannedReply:
    row = await conn.fetchrow(
        INSERT_CANNED,
        fields["title"],
        fields["body"],
        str(fields.get("channel", CannedChannel.ANY)),
        fields.get("language", "en"),
        author_id,
        at,
    )
    return _canned(row)


async def list_canned(
    conn: Conn, *, channel: str | None, language: str | None, limit: int
) -> list[CannedReply]:
    return [_canned(r) for r in await conn.fetch(LIST_CANNED, channel, language, limit)]


async def get_canned(conn: Conn, canned_id: UUID) -> CannedReply:
    row = await conn.fetchrow(GET_CANNED, canned_id)
    if row is None:
        raise NotFound("no such canned reply")
    return _canned(row)


async def lock_canned(conn: Conn, canned_id: UUID) -> CannedReply:
    row = await conn.fetchrow(LOCK_CANNED, canned_id)
    if row is None:
        raise NotFound("no such canned reply")
    return _canned(row)


async def update_canned(
    conn: Conn, canned_id: UUID, fields: dict[str, Any], *, at: datetime
) -> CannedReply:
    row = await conn.fetchrow(
        UPDATE_CANNED,
        canned_id,
        fields["title"],
        fields["body"],
        str(fields["channel"]),
        fields["language"],
        at,
    )
    return _canned(row)


async def delete_canned(conn: Conn, canned_id: UUID) -> None:
    await conn.execute(DELETE_CANNED, canned_id)


async def count_canned(conn: Conn) -> int:
    count: int = await conn.fetchval(COUNT_CANNED)
    return count
