"""The inbox use case: one page of an agent's view with the counts of every view."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime

from contact_center.db import Pool
from contact_center.tickets import inbox_store
from contact_center.tickets.inbox_query import (
    InboxCounts,
    InboxFilter,
    InboxRow,
    Viewer,
    check_filter,
    cursor_after,
    decode_cursor,
    encode_cursor,
)
from contact_center.tickets.tags import normalize_tags


@dataclass(frozen=True)
class InboxPage:
    items: list[InboxRow]
    counts: InboxCounts
    next_cursor: str | None


async def list_inbox(
    pool: Pool,
    viewer: Viewer,
    where: InboxFilter,
    *,
    cursor: str | None = None,
    limit: int = 50,
    now: datetime,
) -> InboxPage:
    """A page of `where.view` in `where.sort` order, after `cursor`, and the exact count of
    each view under the same filters. Pages are keyset pages: a ticket that arrives or moves
    while an agent pages through shows up on a later refresh, never twice on one walk."""
    check_filter(where)
    if where.tag is not None:
        where = dataclasses.replace(where, tag=next(iter(normalize_tags([where.tag])), None))
    after = decode_cursor(cursor) if cursor else None
    async with pool.acquire() as conn:
        found = await inbox_store.list_inbox(
            conn, viewer, where, after=after, limit=limit + 1, now=now
        )
        counts = await inbox_store.count_inbox(conn, viewer, where, now=now)
    page = found[:limit]
    more = len(found) > limit
    return InboxPage(page, counts, encode_cursor(cursor_after(page[-1])) if more else None)
