"""SQL of the inbox read model: one page of active tickets and the four views' counts.

Statements are joined from the fixed fragments of `inbox_query.py`; values are parameters.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from contact_center.db import Conn
from contact_center.tickets.inbox_query import (
    SORTS,
    Cursor,
    InboxCounts,
    InboxCustomer,
    InboxFilter,
    InboxPerson,
    InboxRow,
    Params,
    Viewer,
    counts_sql,
    filter_sql,
    keyset_sql,
    view_sql,
)
from contact_center.tickets.model import Channel, Kind, Priority, Status
from contact_center.tickets.overdue import is_overdue

TICKET_COLUMNS = """
t.id, t.number, t.subject, t.status, t.priority, t.kind, t.channel, t.queue, t.tags,
t.assignee_id, t.customer_id, t.last_message_at, t.created_at, t.due_at, t.first_response_at,
t.account_tier, t.account_key
"""
# The page is chosen from tickets alone; only its rows are then joined to their people.
PAGE = f"""
SELECT t.*, u.name AS assignee_name, c.name AS customer_name
FROM (SELECT {TICKET_COLUMNS} FROM tickets t WHERE {{where}} ORDER BY {{order}} LIMIT {{limit}}) t
JOIN customers c ON c.id = t.customer_id
LEFT JOIN users u ON u.id = t.assignee_id
ORDER BY {{order}}
"""


def page_sql(
    viewer: Viewer, where: InboxFilter, after: Cursor | None, limit: int, *, now: datetime
) -> tuple[str, list[Any]]:
    params = Params()
    terms = filter_sql(where, params, now=now)
    view = view_sql(where.view, viewer, params)
    if view is not None:
        terms.append(view)
    if after is not None:
        terms.append(keyset_sql(where.sort, after, params))
    sql = PAGE.format(
        where=" AND ".join(terms),
        order=SORTS[where.sort].order_by,
        limit=params.add(limit, "int"),
    )
    return sql, params.values


def count_sql(viewer: Viewer, where: InboxFilter, *, now: datetime) -> tuple[str, list[Any]]:
    params = Params()
    counts = counts_sql(viewer, params)
    terms = filter_sql(where, params, now=now)
    return f"SELECT {counts} FROM tickets t WHERE {' AND '.join(terms)}", params.values


def _row(record: Any, now: datetime) -> InboxRow:
    status = Status(record["status"])
    assignee = (
        None
        if record["assignee_id"] is None
        else InboxPerson(record["assignee_id"], record["assignee_name"])
    )
    return InboxRow(
        id=record["id"],
        number=record["number"],
        subject=record["subject"],
        status=status,
        priority=Priority(record["priority"]),
        kind=Kind(record["kind"]),
        channel=Channel(record["channel"]),
        queue=record["queue"],
        tags=list(record["tags"]),
        assignee=assignee,
        customer=InboxCustomer(
            record["customer_id"],
            record["customer_name"],
            record["account_tier"],
            record["account_key"],
        ),
        last_message_at=record["last_message_at"],
        created_at=record["created_at"],
        due_at=record["due_at"],
        overdue=is_overdue(status, record["first_response_at"], record["due_at"], now=now),
    )


async def list_inbox(
    conn: Conn,
    viewer: Viewer,
    where: InboxFilter,
    *,
    after: Cursor | None,
    limit: int,
    now: datetime,
) -> list[InboxRow]:
    """Up to `limit` rows in the filter's sort order, strictly after `after`."""
    sql, args = page_sql(viewer, where, after, limit, now=now)
    return [_row(r, now) for r in await conn.fetch(sql, *args)]


async def count_inbox(
    conn: Conn, viewer: Viewer, where: InboxFilter, *, now: datetime
) -> InboxCounts:
    """Exact counts of each view under the same filters (the view itself is ignored)."""
    sql, args = count_sql(viewer, where, now=now)
    row = await conn.fetchrow(sql, *args)
    assert row is not None, "an aggregate always answers one row"
    return InboxCounts(row["mine"], row["queues"], row["unassigned"], row["open"])
