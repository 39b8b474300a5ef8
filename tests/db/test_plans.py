"""Plans of the hot statements on a generated database of useful size.

Each case runs real service calls (intake's look-ups, the ticket list and search, customer
search, the export) on a database filled by `scripts/gen_data.py`, records every statement
they send, and asks PostgreSQL for its plan with the same arguments. A statement fails when
it reads a large table sequentially, or when a read-only statement touches more than half of
a large table's rows (an index walked newest-first and filtered row by row until the end is a
sequential scan in disguise). The generic plan that a prepared statement may switch to after
five runs is checked too: no sequential scan of a large table, and no more than five times as
slow as the custom plan with the same arguments.
"""

from __future__ import annotations

import asyncio
import importlib.util
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

import asyncpg
import pytest
import pytest_asyncio

from contact_center import audit, customers, devsink, merges, outbox, privacy, tickets, users
from contact_center.audit import Actor
from contact_center.customers import store as customers_store
from contact_center.db import Conn, create_pool
from contact_center.errors import Unauthorized
from contact_center.outbox import store as outbox_store
from contact_center.tickets import (
    Channel,
    InboundFile,
    InboxFilter,
    IntakeOptions,
    Kind,
    Sort,
    Status,
    TicketFilter,
    View,
    Viewer,
    inbox_store,
)
from contact_center.timeutil import utc_now
from tests.builders import TEST_PASSWORDS, make_inbound_email, make_inbound_sms
from tests.conftest import SingleConnectionPool

pytestmark = pytest.mark.commits

TICKETS = 20_000
CUSTOMERS = 20_000
LARGE = {
    "tickets",
    "messages",
    "customers",
    "customer_identities",
    "inbound_contacts",
    "outbound_messages",
    "attachments",
    "audit_log",
    "dev_sink_messages",
    "login_throttles",
}
FILL_SINK_AND_THROTTLES = """
INSERT INTO dev_sink_messages (outbound_id, ticket_id, channel, from_address, to_address,
                               body_text, received_at)
SELECT id, ticket_id, channel, 'support@example.com', to_address, body_text, created_at
FROM outbound_messages;
INSERT INTO login_throttles (scope, key, failures, window_started_at, next_attempt_at)
SELECT s.scope, s.scope || '-' || n, n % 7, now() - n * interval '1 second', NULL
FROM generate_series(1, 20000) AS n, unnest(ARRAY['pair', 'account', 'address']) AS s(scope);
ANALYZE dev_sink_messages, login_throttles
"""
GEN_DATA = Path(__file__).resolve().parents[2] / "scripts" / "gen_data.py"


def _load_gen_data() -> Any:
    spec = importlib.util.spec_from_file_location("gen_data", GEN_DATA)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest_asyncio.fixture(scope="module")
async def big(database_dsn: str) -> AsyncIterator[asyncpg.Pool[Any]]:
    await _load_gen_data().generate(database_dsn, tickets=TICKETS, customers=CUSTOMERS)
    conn = await asyncpg.connect(database_dsn)
    try:
        # gen_data leaves these empty: filled here so that a scan of them would show.
        await conn.execute(FILL_SINK_AND_THROTTLES)
    finally:
        await conn.close()
    real = await create_pool(database_dsn, min_size=1, max_size=2)
    yield real
    await real.close()


def _nodes(plan: dict[str, Any]) -> list[dict[str, Any]]:
    found = [plan]
    for child in plan.get("Plans", []):
        found += _nodes(child)
    return found


def _read_only(sql: str) -> bool:
    head = sql.lstrip().upper()
    writes = ("INSERT ", "UPDATE ", "DELETE ", "FOR UPDATE", "PG_ADVISORY", "PG_NOTIFY")
    return head.startswith(("SELECT", "WITH")) and not any(w in head for w in writes)


async def _problems(
    conn: Conn, sql: str, args: tuple[Any, ...], sizes: dict[str, int]
) -> list[str]:
    found = []
    analyze = "ANALYZE, " if _read_only(sql) else ""
    (plan,) = await conn.fetchval(f"EXPLAIN ({analyze}FORMAT JSON) {sql}", *args)
    for node in _nodes(plan["Plan"]):
        table = node.get("Relation Name")
        if table not in LARGE:
            continue
        if node["Node Type"] == "Seq Scan":
            found.append(f"Seq Scan on {table}")
        touched = (node.get("Actual Rows", 0) + node.get("Rows Removed by Filter", 0)) * node.get(
            "Actual Loops", 1
        )
        if analyze and touched > sizes[table] / 2:
            found.append(f"{node['Node Type']} on {table} touched {touched} rows")
    found += [
        f"generic plan: {problem}" for problem in await _generic_problems(conn, sql, args, plan)
    ]
    return found


async def _generic_problems(
    conn: Conn, sql: str, args: tuple[Any, ...], custom: dict[str, Any]
) -> list[str]:
    """What is wrong with the generic plan a prepared statement may switch to after five runs:
    a sequential scan, when it costs no more than the custom plan (PostgreSQL takes a generic
    plan that costs less than the custom ones), or, for reads, taking five times as long as the
    custom plan with the same arguments (such as a function of a parameter run once per row)."""
    oids = [t.oid for t in (await conn.prepare(sql)).get_parameters()]
    types = [await conn.fetchval("SELECT format_type($1, NULL)", oid) for oid in oids]
    await conn.execute(
        f"PREPARE plan_check ({', '.join(types)}) AS {sql}"
        if types
        else f"PREPARE plan_check AS {sql}"
    )
    analyze = _read_only(sql)
    try:
        await conn.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        # EXECUTE takes no parameters: the arguments go in as literals of their types.
        values = [
            f"{await conn.fetchval(f'SELECT quote_nullable(($1::{t})::text)', a)}::{t}"
            if analyze
            else "NULL"
            for t, a in zip(types, args, strict=True)
        ]
        explain = f"EXPLAIN ({'ANALYZE, ' if analyze else ''}FORMAT JSON) EXECUTE plan_check"
        (plan,) = await conn.fetchval(explain + (f"({', '.join(values)})" if types else ""))
    finally:
        await conn.execute("RESET plan_cache_mode; DEALLOCATE plan_check")
    found = []
    if plan["Plan"]["Total Cost"] <= custom["Plan"]["Total Cost"] * 1.1:
        found += [
            f"Seq Scan on {n['Relation Name']}"
            for n in _nodes(plan["Plan"])
            if n["Node Type"] == "Seq Scan" and n.get("Relation Name") in LARGE
        ]
    if analyze and plan["Execution Time"] > 5 * custom["Execution Time"] + 5:
        found.append(f"{plan['Execution Time']:.1f} ms against {custom['Execution Time']:.1f} ms")
    return found


async def _check(
    big: asyncpg.Pool[Any],
    work: Callable[[SingleConnectionPool], Awaitable[Any]],
    before: Callable[[SingleConnectionPool], Awaitable[Any]] | None = None,
    whole_table: frozenset[str] = frozenset(),
) -> int:
    """Run `before` then `work` in a rolled-back transaction and check the plan of every
    statement `work` sent, except those in `whole_table` (a count over a whole table, read by
    design); returns how many it sent."""
    seen: list[tuple[str, tuple[Any, ...]]] = []

    def record(query: Any) -> None:
        if (
            query.query.lstrip()
            .upper()
            .startswith(("SELECT", "WITH", "INSERT", "UPDATE", "DELETE"))
        ):
            seen.append((query.query, tuple(query.args or ())))

    async with big.acquire() as conn:
        sizes = {
            r["relname"]: r["reltuples"]
            for r in await conn.fetch(
                "SELECT relname, reltuples FROM pg_class WHERE relname = ANY($1)", list(LARGE)
            )
        }
        tx = conn.transaction()
        await tx.start()
        try:
            if before is not None:
                await before(SingleConnectionPool(conn))
            conn.add_query_logger(record)
            await work(SingleConnectionPool(conn))
            await asyncio.sleep(0)  # asyncpg calls query loggers with call_soon
            conn.remove_query_logger(record)
            assert seen, "no statement recorded"
            report = [
                f"{problem} in: {' '.join(sql.split())[:400]}"
                for sql, args in seen
                if sql not in whole_table
                for problem in await _problems(conn, sql, args, sizes)
            ]
            assert report == [], "\n".join(report)
        finally:
            await tx.rollback()
    return len(seen)


async def _sample(big: asyncpg.Pool[Any], sql: str) -> Any:
    async with big.acquire() as conn:
        return await conn.fetchrow(sql)


SEARCHES = [
    "order",
    "charging",
    "warranty",
    "tachometer",
    "zeppelin",
    "退款",
    "发货",
    "#10007",
    "10007",
]


@pytest.mark.parametrize("q", SEARCHES)
async def test_ticket_search_uses_indexes(big: asyncpg.Pool[Any], q: str) -> None:
    async def work(pool: SingleConnectionPool) -> None:
        page = await tickets.list_tickets(pool, TicketFilter(q=q), limit=50)
        if page.next_cursor:
            await tickets.list_tickets(pool, TicketFilter(q=q), cursor=page.next_cursor, limit=50)

    await _check(big, work)


async def test_ticket_lists_use_indexes(big: asyncpg.Pool[Any]) -> None:
    async def work(pool: SingleConnectionPool) -> None:
        await tickets.list_tickets(pool, TicketFilter(), limit=50)
        await tickets.list_tickets(
            pool, TicketFilter(status=[Status.NEW, Status.OPEN, Status.PENDING]), limit=50
        )
        await tickets.list_tickets(pool, TicketFilter(q="order", status=[Status.OPEN]), limit=50)

    await _check(big, work)


@pytest.mark.parametrize("view", list(View))
async def test_inbox_views_counts_and_pages_use_indexes(big: asyncpg.Pool[Any], view: View) -> None:
    """Every sort of the view, a second page of each, and the four counts."""
    assignee = await _sample(big, "SELECT id FROM users LIMIT 1")
    viewer = Viewer(assignee[0] if assignee else uuid4(), ["complaint", "order"])

    async def work(pool: SingleConnectionPool) -> None:
        for sort in Sort:
            where = InboxFilter(view=view, sort=sort)
            page = await tickets.list_inbox(pool, viewer, where, limit=50, now=utc_now())
            if page.next_cursor:
                await tickets.list_inbox(
                    pool, viewer, where, cursor=page.next_cursor, limit=50, now=utc_now()
                )

    await _check(big, work)


async def test_inbox_filters_use_indexes(big: asyncpg.Pool[Any]) -> None:
    viewer = Viewer(uuid4(), ["complaint"])
    filters = [
        InboxFilter(status=[Status.NEW], kind=[Kind.ORDER], channel=[Channel.SMS]),
        InboxFilter(tier="A"),
        InboxFilter(key_account=True, sort=Sort.PRIORITY),
        InboxFilter(tag="vip"),
        InboxFilter(overdue=True, sort=Sort.DUE),
        InboxFilter(overdue=False),
        InboxFilter(view=View.UNASSIGNED, tier="C", tag="refund", overdue=True),
    ]

    async def work(pool: SingleConnectionPool) -> None:
        for where in filters:
            await tickets.list_inbox(pool, viewer, where, limit=50, now=utc_now())

    await _check(big, work)


ACCOUNT_FILTERS = [
    InboxFilter(tier="A"),
    InboxFilter(tier="C", sort=Sort.OLDEST),
    InboxFilter(key_account=True),
    InboxFilter(key_account=True, sort=Sort.PRIORITY),
    InboxFilter(key_account=False, sort=Sort.DUE),
]


@pytest.mark.parametrize(
    "where", ACCOUNT_FILTERS, ids=lambda w: f"{w.tier}-{w.key_account}-{w.sort}"
)
async def test_inbox_account_filters_read_the_tickets_own_account(
    big: asyncpg.Pool[Any], where: InboxFilter
) -> None:
    """The tier and key-account filters are index terms on the ticket's copy of its account:
    the counts read only the account index of active tickets, and neither statement looks up a
    customer or organization for each ticket."""
    viewer = Viewer(uuid4(), ["complaint"])

    async def work(pool: SingleConnectionPool) -> None:
        page = await tickets.list_inbox(pool, viewer, where, limit=50, now=utc_now())
        if page.next_cursor:
            await tickets.list_inbox(
                pool, viewer, where, cursor=page.next_cursor, limit=50, now=utc_now()
            )

    await _check(big, work)
    index = "tickets_inbox_tier_idx" if where.tier else "tickets_inbox_key_idx"
    sql, args = inbox_store.count_sql(viewer, where, now=utc_now())
    page_sql, page_args = inbox_store.page_sql(viewer, where, None, 51, now=utc_now())
    async with big.acquire() as conn:
        (counts,) = await conn.fetchval(f"EXPLAIN (FORMAT JSON) {sql}", *args)
        (page,) = await conn.fetchval(f"EXPLAIN (FORMAT JSON) {page_sql}", *page_args)
    scans = [(n["Node Type"], n.get("Index Name")) for n in _nodes(counts["Plan"])]
    assert ("Index Only Scan", index) in scans, scans
    assert {n.get("Relation Name") for n in _nodes(counts["Plan"])} <= {"tickets", None}
    customers_read = [n for n in _nodes(page["Plan"]) if n.get("Relation Name") == "customers"]
    assert len(customers_read) == 1  # the page's own rows only, joined after the LIMIT


async def test_account_changes_reach_their_tickets_by_index(big: asyncpg.Pool[Any]) -> None:
    """The triggers of migrations 0025 and 0027 (an organization's tier, a customer's move to
    another organization or out to a personal account, a personal account's tier, a merge, an
    unmerge) find the tickets to rewrite by index."""
    org = await _sample(
        big,
        "SELECT o.id, o.tier,"
        " (SELECT p.id FROM organizations p WHERE p.id <> o.id AND NOT p.personal LIMIT 1) AS other"
        " FROM organizations o"
        " WHERE NOT o.personal"
        " AND EXISTS (SELECT FROM customers c WHERE c.organization_id = o.id) LIMIT 1",
    )
    pair = await _sample(
        big,
        "SELECT array_agg(DISTINCT customer_id) AS ids"
        " FROM (SELECT customer_id FROM tickets ORDER BY number DESC LIMIT 50) t",
    )
    first, second = pair["ids"][:2]
    actor = Actor.system("test")
    scans = (
        "SELECT coalesce(sum(seq_scan), 0) FROM pg_stat_xact_user_tables WHERE relname = ANY($1)"
    )

    async def work(pool: SingleConnectionPool) -> None:
        before = await pool.conn.fetchval(scans, list(LARGE))
        tier = "B" if org["tier"] != "B" else "C"
        await customers.update_organization(pool, actor, org["id"], {"tier": tier})
        moves: list[dict[str, Any]] = [
            {"organization_id": str(org["other"])},
            {"organization_id": None},
            {"tier": "A"},
        ]
        for change in moves:
            await customers.update_customer(pool, actor, first, change, region="US")
        await merges.merge_customers(pool, actor, first, second)
        await merges.unmerge_customer(pool, actor, second, any_merge=True)
        assert await pool.conn.fetchval(scans, list(LARGE)) == before
        stale = await pool.conn.fetchval(
            "SELECT count(*) FROM tickets t, cc_customer_account(t.customer_id) a"
            " WHERE t.customer_id = ANY($1)"
            " AND (t.account_tier, t.account_key) IS DISTINCT FROM (a.tier, a.is_key)",
            [first, second],
        )
        assert stale == 0

    await _check(big, work)


@pytest.mark.parametrize("form", ["e164", "national", "email", "digits", "ticket"])
async def test_customer_lookup_by_phone_email_and_number_uses_indexes(
    big: asyncpg.Pool[Any], form: str
) -> None:
    phone = (await _sample(big, "SELECT value FROM customer_identities WHERE kind = 'phone'"))[0]
    q = {
        "e164": phone,
        "national": f"({phone[2:5]}) {phone[5:8]}-{phone[8:]}",
        "email": "customer7@example.net",
        "digits": phone[-7:],
        "ticket": "#10007",
    }[form]

    async def work(pool: SingleConnectionPool) -> None:
        found = await customers.search_customers(pool, q, region="US")
        assert found, q

    await _check(big, work)


async def test_customer_lookup_by_name_uses_indexes(big: asyncpg.Pool[Any]) -> None:
    chinese = (await _sample(big, "SELECT name FROM customers WHERE name ~ '^[王李]' LIMIT 1"))[0]

    async def work(pool: SingleConnectionPool) -> None:
        for q in ["Quinn Stonemere", "stonem", chinese, chinese[0]]:
            assert await customers.search_customers(pool, q, region="US"), q
        await customers.search_customers(pool, None, region="US")

    await _check(big, work)


@pytest.mark.parametrize("q", ["退款", "order", "charging", "zeppelin", "+86 138 0013 8000"])
async def test_customer_lookup_by_ticket_words_and_foreign_phones_uses_indexes(
    big: asyncpg.Pool[Any], q: str
) -> None:
    async def work(pool: SingleConnectionPool) -> None:
        await customers.search_customers(pool, q, region="US")

    await _check(big, work)


async def test_duplicate_suggestions_use_indexes(big: asyncpg.Pool[Any]) -> None:
    """Two pages of suggested duplicates: candidates by organization, email local part and
    phone ending, a slice of customers at a time."""

    async def work(pool: SingleConnectionPool) -> None:
        page = await customers.list_duplicate_suggestions(pool, limit=20)
        await customers.list_duplicate_suggestions(pool, after=page.next_after, limit=20)

    # The cards of a page's candidates are loaded by id with their phones and emails. Here they
    # are a large share of the few thousand test customers, and PostgreSQL 15 then rightly
    # reads the whole tables; among 200,000 customers (scripts/gen_data.py, 1,000,000 tickets)
    # both are index scans.
    cards = {customers_store.LIST_CUSTOMERS_BY_ID, customers_store.LIST_IDENTITIES}
    await _check(big, work, whole_table=frozenset(cards))


async def test_customer_card_and_merge_preview_use_indexes(big: asyncpg.Pool[Any]) -> None:
    """What the info card page reads (the card, open complaints, recent tickets, history) and
    the merge preview of two customers with tickets."""
    two = await _sample(
        big,
        "SELECT array_agg(DISTINCT customer_id) AS ids FROM (SELECT customer_id FROM tickets LIMIT 50) t",
    )
    first, second = two["ids"][:2]

    async def work(pool: SingleConnectionPool) -> None:
        await customers.get_customer(pool, first)
        mine = TicketFilter(customer_id=first)
        await tickets.list_tickets(pool, mine, limit=10)
        complaints = TicketFilter(customer_id=first, kind=[Kind.COMPLAINT], status=[Status.OPEN])
        await tickets.list_tickets(pool, complaints, limit=20)
        async with pool.acquire() as conn:
            await audit.list_entries(conn, "customer", [str(first)])
        preview = await merges.preview_merge(pool, first, second)
        assert preview.ticket_numbers

    await _check(big, work)


async def test_email_reply_lookups_use_indexes(big: asyncpg.Pool[Any]) -> None:
    """A reply by Message-ID, by reply address and by [#N]: intake's referenced-ticket lookup."""
    row = await _sample(
        big,
        "SELECT t.number, t.reply_token, m.rfc_message_id, i.value AS email FROM tickets t"
        " JOIN messages m ON m.ticket_id = t.id AND m.direction = 'inbound'"
        " JOIN customer_identities i ON i.customer_id = t.customer_id AND i.kind = 'email'"
        " WHERE t.channel = 'email' ORDER BY t.number DESC LIMIT 1",
    )

    async def work(pool: SingleConnectionPool) -> None:
        now = utc_now()
        mail = make_inbound_email
        await tickets.intake(
            pool, mail(from_address=row["email"], thread_refs=[row["rfc_message_id"]]), now=now
        )
        await tickets.intake(
            pool, mail(from_address=row["email"], reply_tokens=[row["reply_token"]]), now=now
        )
        await tickets.intake(
            pool, mail(from_address=row["email"], ticket_hint=row["number"]), now=now
        )
        await tickets.intake(pool, mail(thread_refs=["<unknown@example.net>"]), now=now)
        await tickets.intake(pool, make_inbound_sms(from_address="+12023000011"), now=now)

    await _check(big, work)


async def test_export_uses_indexes_and_a_fixed_number_of_statements(
    big: asyncpg.Pool[Any],
) -> None:
    customer_id = (await _sample(big, "SELECT customer_id FROM tickets LIMIT 1"))[0]

    async def more_tickets(pool: SingleConnectionPool) -> None:
        for n in range(5):
            await tickets.open_ticket(
                pool,
                Actor.system("test"),
                customer_id=customer_id,
                subject=f"Walk-in {n}",
                text="Came by the shop",
                kind=Kind.INQUIRY,
                channel=Channel.WEB,
                priority=None,
                now=utc_now(),
            )

    async def work(pool: SingleConnectionPool) -> None:
        export = await privacy.export_customer(pool, Actor.system("test"), customer_id)
        assert len(export["tickets"]) >= 6

    # 9: the messages naming the customer outside tickets and their care history joined.
    assert await _check(big, work, before=more_tickets) <= 9


async def test_intake_from_known_senders_uses_indexes(big: asyncpg.Pool[Any]) -> None:
    """Every statement intake runs for a sender it knows, on each path: a new email
    conversation (subject candidates, the reused Message-ID check, the acknowledgement budget
    and the outbox), a reply by subject, a different mail reusing a Message-ID, a redelivery,
    a bounce, a file, and SMS STOP, START, HELP and a plain text."""
    row = await _sample(
        big,
        "SELECT i.value AS email, m.rfc_message_id, m.to_address FROM tickets t"
        " JOIN messages m ON m.ticket_id = t.id AND m.direction = 'inbound'"
        " JOIN customer_identities i ON i.customer_id = t.customer_id AND i.kind = 'email'"
        " WHERE t.channel = 'email' AND m.rfc_message_id IS NOT NULL"
        " ORDER BY t.number DESC LIMIT 1",
    )
    phone = (await _sample(big, "SELECT value FROM customer_identities WHERE kind = 'phone'"))[0]
    options = IntakeOptions(acknowledge=True)

    async def work(pool: SingleConnectionPool) -> None:
        now, email = utc_now(), row["email"]

        async def mail(**fields: Any) -> None:
            contact = make_inbound_email(from_address=email, **fields)
            await tickets.intake(pool, contact, now=now, options=options)

        file = InboundFile("note.txt", "text/plain", b"a file")
        await mail(subject="Charger broken", rfc_message_id="<c1@example.net>", files=[file])
        await mail(subject="Re: Charger broken", rfc_message_id="<c2@example.net>")
        await mail(
            subject="Another", rfc_message_id=row["rfc_message_id"], to_address=row["to_address"]
        )
        again = make_inbound_email(from_address=email, subject="Twice")
        for _ in range(2):
            await tickets.intake(pool, again, now=now, options=options)
        await mail(subject="Undelivered Mail", automated="bounce", bounce_recipients=[email])
        for text in ["STOP", "START", "HELP", "Where is my order?"]:
            sms = make_inbound_sms(from_address=phone, text=text)
            await tickets.intake(pool, sms, now=now, options=options)

    assert await _check(big, work) > 20


async def test_outbox_and_sink_lists_use_indexes(big: asyncpg.Pool[Any]) -> None:
    """`GET /api/v1/outbox` (all, and one channel) and the development sink's list. The
    outbox page also counts the messages in each status, which reads the whole table."""

    async def work(pool: SingleConnectionPool) -> None:
        for channel in [None, outbox.OutboundChannel.SMS]:
            found, _ = await outbox.list_outbound(pool, statuses=[], channel=channel, limit=50)
            assert len(found) == 50
        for sink_channel in [None, "email"]:
            assert len(await devsink.list_sent(pool, channel=sink_channel, limit=50)) == 50

    await _check(big, work, whole_table=frozenset({outbox_store.COUNT_BY_STATUS}))


async def test_login_throttle_uses_indexes(big: asyncpg.Pool[Any]) -> None:
    """A wrong and a right password: the throttle counters are locked and updated by key."""
    email = "plan-check@example.com"

    async def make(pool: SingleConnectionPool) -> None:
        await users.create_user(
            pool,
            Actor.system("test"),
            email=email,
            role=users.Role.AGENT,
            password="correct horse battery",
            passwords=TEST_PASSWORDS,
        )

    async def work(pool: SingleConnectionPool) -> None:
        now, ttl = utc_now(), timedelta(hours=1)
        with pytest.raises(Unauthorized):
            await users.log_in(
                pool,
                email=email,
                password="wrong password",
                remote="192.0.2.7",
                now=now,
                ttl=ttl,
                passwords=TEST_PASSWORDS,
            )
        await users.log_in(
            pool,
            email=email,
            password="correct horse battery",
            remote="192.0.2.7",
            now=now,
            ttl=ttl,
            passwords=TEST_PASSWORDS,
        )

    await _check(big, work, before=make)
