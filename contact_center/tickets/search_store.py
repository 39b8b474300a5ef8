"""SQL for listing and searching tickets. Split from store.py for size; the same rules apply."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from contact_center.db import Conn
from contact_center.tickets.model import Ticket, TicketFilter
from contact_center.tickets.store import TICKET_COLUMNS, ticket_from_row

# Filters are fixed fragments; only their parameters vary.
FILTER_FRAGMENTS = {
    "status": "t.status = ANY(${})",
    "kind": "t.kind = ANY(${})",
    "channel": "t.channel = ANY(${})",
    "queue": "t.queue = ${}",
    "assignee_id": "t.assignee_id = ${}",
    "customer_id": "t.customer_id = ${}",
    "number": "t.number = ${}",
}
# Text search, newest first. The newest SEARCH_WINDOW tickets that pass the filters are read
# first: a word in many tickets fills the page there. Otherwise the word is rare (or absent) and
# the full-text index answers it whole; the CTE keeps the planner from walking every ticket.
# The query text becomes a tsquery once per statement (a sub-select), never once per row.
SEARCH_WINDOW = 4000
SEARCH_RECENT = """
SELECT {columns} FROM (
    SELECT {columns}, t.search_doc FROM tickets t WHERE {where}
    ORDER BY t.created_at DESC, t.id DESC LIMIT {window}
) AS t
WHERE t.search_doc @@ (SELECT cc_search_query(${q}))
ORDER BY t.created_at DESC, t.id DESC LIMIT ${limit}
"""
SEARCH_INDEXED = """
WITH hits AS MATERIALIZED (
    SELECT {columns} FROM tickets t WHERE t.search_doc @@ (SELECT cc_search_query(${q})) AND {where}
)
SELECT * FROM hits t ORDER BY t.created_at DESC, t.id DESC LIMIT ${limit}
"""
LIST_TICKETS = """
SELECT {columns} FROM tickets t WHERE {where} ORDER BY t.created_at DESC, t.id DESC LIMIT ${limit}
"""


def _filters(
    where: TicketFilter, number: int | None, after: tuple[datetime, UUID] | None
) -> tuple[list[str], list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []

    def add(fragment: str, value: Any) -> None:
        params.append(value)
        clauses.append(fragment.format(len(params)))

    if where.status:
        add(FILTER_FRAGMENTS["status"], [str(s) for s in where.status])
    if where.kind:
        add(FILTER_FRAGMENTS["kind"], [str(k) for k in where.kind])
    if where.channel:
        add(FILTER_FRAGMENTS["channel"], [str(c) for c in where.channel])
    if where.queue is not None:
        add(FILTER_FRAGMENTS["queue"], where.queue)
    if where.assignee_id is not None:
        add(FILTER_FRAGMENTS["assignee_id"], where.assignee_id)
    if where.unassigned:
        clauses.append("t.assignee_id IS NULL")
    if where.customer_id is not None:
        add(FILTER_FRAGMENTS["customer_id"], where.customer_id)
    if number is not None:
        add(FILTER_FRAGMENTS["number"], number)
    if after is not None:
        params.extend(after)
        clauses.append(f"(t.created_at, t.id) < (${len(params) - 1}, ${len(params)})")
    return clauses, params


async def list_tickets(
    conn: Conn,
    *,
    where: TicketFilter,
    number: int | None = None,
    text: str | None = None,
    after: tuple[datetime, UUID] | None,
    limit: int,
) -> list[Ticket]:
    """Tickets passing `where` (and with that `number`), newest first; with `text`, only those
    containing its words."""
    clauses, params = _filters(where, number, after)
    where_sql = " AND ".join(clauses) or "TRUE"
    columns = ", ".join("t." + c.strip() for c in TICKET_COLUMNS.split(","))
    if text is None:
        sql = LIST_TICKETS.format(columns=columns, where=where_sql, limit=len(params) + 1)
        return [ticket_from_row(r) for r in await conn.fetch(sql, *params, limit)]
    shape = {"columns": columns, "where": where_sql, "q": len(params) + 1, "limit": len(params) + 2}
    recent = SEARCH_RECENT.format(window=SEARCH_WINDOW, **shape)
    found = await conn.fetch(recent, *params, text, limit)
    if len(found) < limit:
        found = await conn.fetch(SEARCH_INDEXED.format(**shape), *params, text, limit)
    return [ticket_from_row(r) for r in found]
