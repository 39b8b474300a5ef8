"""SQL of customer search (by identities, names, ticket numbers and ticket words). Split from
store.py for size; the same rules apply (only the customers folder imports it)."""

from __future__ import annotations

from uuid import UUID

from contact_center.customers.model import Customer
from contact_center.customers.search import CustomerQuery
from contact_center.customers.store import CUSTOMER_COLUMNS, WITH_ACCOUNT, with_identities
from contact_center.db import Conn

# Each way of finding a customer is its own indexed look-up; an OR across them would read
# every customer. A NULL or empty argument makes its branch find nothing. $8 holds the
# customers found by name (SEARCH_NAMES_NEXT, SEARCH_NAMES_INDEXED). The found ids are an array,
# so that customers is read by primary key even in a plan made before the values are known.
SEARCH_CUSTOMERS = f"""
SELECT {CUSTOMER_COLUMNS} FROM {WITH_ACCOUNT}
WHERE c.merged_into_id IS NULL
  AND c.id = ANY(ARRAY(
      SELECT i.customer_id FROM customer_identities i
      WHERE i.kind = 'phone' AND i.value = ANY($1::text[])
      UNION ALL
      SELECT i.customer_id FROM customer_identities i
      WHERE i.kind = 'email' AND i.value = ANY($2::text[])
      UNION ALL
      SELECT i.customer_id FROM customer_identities i
      WHERE reverse(i.value) COLLATE "C" >= $3 AND reverse(i.value) COLLATE "C" < $4
      UNION ALL
      SELECT i.customer_id FROM customer_identities i
      WHERE i.value COLLATE "C" >= $5 AND i.value COLLATE "C" < $6
      UNION ALL
      -- tickets is read here, never written: "find the customer of ticket #1234"
      SELECT t.customer_id FROM tickets t WHERE t.number = $7
      UNION ALL
      SELECT unnest($8::uuid[])))
  AND ($9::text IS NULL OR (c.name, c.id::text) > ($9, $10))
ORDER BY c.name, c.id::text
LIMIT $11
"""
# Names in name order: the next NAME_WINDOW names after the cursor are read first, and a
# common name fills its page there. Otherwise the name index answers the rare name whole (the
# CTE keeps the planner from walking every name in order). The query is built once (sub-select).
NAME_WINDOW = 2000
SEARCH_NAMES_NEXT = f"""
SELECT n.id FROM (
    SELECT id, name, name_doc FROM customers
    WHERE merged_into_id IS NULL AND ($2::text IS NULL OR (name, id::text) > ($2, $3))
    ORDER BY name, id::text LIMIT {NAME_WINDOW}
) AS n
WHERE n.name_doc @@ (SELECT cc_name_query($1))
ORDER BY n.name, n.id::text LIMIT $4
"""
SEARCH_NAMES_INDEXED = """
WITH hits AS MATERIALIZED (
    SELECT id, name FROM customers
    WHERE name_doc @@ (SELECT cc_name_query($1)) AND merged_into_id IS NULL
      AND ($2::text IS NULL OR (name, id::text) > ($2, $3))
)
SELECT id FROM hits ORDER BY name, id::text LIMIT $4
"""
# Customers by the words of their tickets (subjects, messages, notes; Chinese by character
# pairs), through the tickets' full-text index, read here and never written. As in ticket
# search, the newest WORDS_WINDOW tickets are read first and a common word fills the page
# there; otherwise the index answers the rare word whole. At most WORDS_CUSTOMERS customers,
# those of the newest matching tickets, take part in one search.
WORDS_WINDOW = 4000
WORDS_CUSTOMERS = 200
SEARCH_WORDS_RECENT = f"""
SELECT t.customer_id FROM (
    SELECT customer_id, created_at, search_doc FROM tickets
    ORDER BY created_at DESC, id DESC LIMIT {WORDS_WINDOW}
) AS t
WHERE t.search_doc @@ (SELECT cc_search_query($1))
GROUP BY t.customer_id ORDER BY max(t.created_at) DESC LIMIT {WORDS_CUSTOMERS}
"""
SEARCH_WORDS_INDEXED = f"""
WITH hits AS MATERIALIZED (
    SELECT customer_id, created_at FROM tickets WHERE search_doc @@ (SELECT cc_search_query($1))
)
SELECT customer_id FROM hits GROUP BY customer_id ORDER BY max(created_at) DESC
LIMIT {WORDS_CUSTOMERS}
"""
LIST_CUSTOMERS = f"""
SELECT {CUSTOMER_COLUMNS} FROM {WITH_ACCOUNT}
WHERE c.merged_into_id IS NULL AND ($1::text IS NULL OR (c.name, c.id::text) > ($1, $2))
ORDER BY c.name, c.id::text
LIMIT $3
"""


def _next_string(start: str | None) -> str | None:
    """The first string after every string that starts with `start` (byte order)."""
    return None if not start else start[:-1] + chr(ord(start[-1]) + 1)


async def search_customers(
    conn: Conn, *, query: CustomerQuery, after: tuple[str, str] | None, limit: int
) -> list[Customer]:
    after_name, after_id = after if after else (None, None)
    if query.empty:
        rows = await conn.fetch(LIST_CUSTOMERS, after_name, after_id, limit)
        return await with_identities(conn, list(rows))
    by_name: list[UUID] = []
    if query.name:
        names = [query.name, after_name, after_id, limit]
        by_name = [r["id"] for r in await conn.fetch(SEARCH_NAMES_NEXT, *names)]
        if len(by_name) < limit:
            by_name = [r["id"] for r in await conn.fetch(SEARCH_NAMES_INDEXED, *names)]
    if query.words:
        by_name += await _customers_by_words(conn, query.words)
    ending = query.phone_ending[::-1] if query.phone_ending else None
    rows = await conn.fetch(
        SEARCH_CUSTOMERS,
        query.phones,
        query.emails,
        ending,
        _next_string(ending),
        query.email_start,
        _next_string(query.email_start),
        query.ticket_number,
        by_name,
        after_name,
        after_id,
        limit,
    )
    return await with_identities(conn, list(rows))


async def _customers_by_words(conn: Conn, words: str) -> list[UUID]:
    found = [r["customer_id"] for r in await conn.fetch(SEARCH_WORDS_RECENT, words)]
    if len(found) < WORDS_CUSTOMERS:
        found = [r["customer_id"] for r in await conn.fetch(SEARCH_WORDS_INDEXED, words)]
    return found
