"""Fill a fresh, migrated database with made-up customers, tickets and messages, set-based.

    .venv/bin/python scripts/gen_data.py --dsn postgresql://postgres@127.0.0.1/cc_big \\
        --tickets 1000000

Everything is generated inside PostgreSQL (generate_series, INSERT … SELECT), so a million
tickets with about 2.5 messages each take minutes, not hours. The rows go through the real
schema (constraints, defaults, sequences); the per-message search trigger is paused during the
bulk load and each ticket's search vector is computed once from the same function instead.

The text mixes English (about 70%) and Chinese (about 30%) with words of known frequency, so
that benchmarks and plan tests can ask for each kind of word (see `WORDS`):

- `order`: in most English messages; `warranty`: about 1% of messages; `tachometer`: one
  message in 48,000; `zeppelin`: nowhere;
- `退款` in about 6% and `发货` in about 3% of Chinese messages;
- phone numbers, email addresses and ticket numbers inside the text.

Customers: 200,000 at 1,000,000 tickets (one per five tickets, at least 50); every customer
has a valid US phone (+1 202 3xx xxxx, spread over the range), three in five an email; one in
three a Chinese name.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path
from typing import Any

import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from contact_center.db.migrate import migrate

# What benchmarks and tests may search for, by how often it occurs.
WORDS = {
    "common": "order",
    "rare": "warranty",
    "very_rare": "tachometer",
    "absent": "zeppelin",
    "chinese": "退款",
    "chinese_rarer": "发货",
}

ENGLISH = (
    "'{hello,hi,good,morning,please,thanks,help,need,question,about,my,the,a,package,delivery,"
    "invoice,account,payment,card,charged,charge,charges,charging,refund,return,broken,late,"
    "arrived,today,yesterday,week,price,discount,store,shop,address,change,cancel,subscription,"
    "box,item,items,size,color,wrong,missing,tracking,number,label,courier,driver,phone,email,"
    "waiting,still,again,soon,quickly,problem,issue,replace,replacement,exchange,receipt,bill,"
    "shipping,ship,shipped,monday,friday,weekend,morning,evening,customer,service,support,team,"
    "manager,call,called,back,reply,answer,update,status,check,checked,confirm,confirmed}'"
)
CHINESE = (
    "'{你好,请问,我的,订单,什么时候,到货,快递,还没有,收到,包裹,谢谢,麻烦,尽快,处理,一下,"
    "客服,电话,联系,地址,修改,取消,价格,优惠,质量,问题,破损,换货,发票,付款,银行卡,扣款,"
    "会员,积分,门店,营业,时间,明天,今天,已经,等了,三天,希望,回复,态度,投诉,满意}'"
)
FIRST = "'{Rowan,Quinn,Avery,Emery,Harper,Sawyer,Reese,Parker,Lane,Morgan,Ellis,Blair,Jordan,Hayden,Sage,Kendall}'"  # noqa: E501
LAST = "'{Hale,Stonemere,Oakhurst,Millbrook,Ashdown,Fairwood,Kingsley,Brookfield,Whitlow,Harlow,Redfern,Calloway,Winslow,Thorne,Marlow,Penrose}'"  # noqa: E501
SURNAME = "'{王,李,张,刘,陈,杨,赵,黄,周,吴,徐,孙,马,朱,胡,郭}'"
GIVEN = "'{芳,伟,娜,敏,静,丽,强,磊,军,洋,勇,艳,杰,娟,涛,明,超,霞,平,刚,秀英,建华,志强,海燕}'"

# (ticket n, message j) -> one message; deterministic from the session's seed.
len_english = ENGLISH.count(",") + 1
MESSAGES = f"""
CREATE TEMP TABLE gen_messages AS
SELECT t.n, j, gen_random_uuid() AS id,
       CASE WHEN j % 2 = 1 THEN 'inbound' ELSE 'outbound' END AS direction,
       t.created_at + (j - 1) * interval '37 minutes' AS created_at,
       CASE WHEN random() < 0.3 THEN
            (SELECT string_agg(({CHINESE}::text[])[1 + floor(random() * 48)::int], '')
             FROM generate_series(1, 6 + t.n % 7 + j))
            || CASE WHEN random() < 0.06 THEN '我要退款。' ELSE '。' END
            || CASE WHEN random() < 0.03 THEN '什么时候发货？' ELSE '' END
       ELSE
            (SELECT string_agg(({ENGLISH}::text[])[1 + floor(power(random(), 2) * 99)::int], ' ')
             FROM generate_series(1, 8 + t.n % 13 + j))
            || CASE WHEN random() < 0.85 THEN ' about my order' ELSE '' END
            || CASE WHEN random() < 0.01 THEN ' and the warranty' ELSE '' END
            || CASE WHEN (t.n * 4 + j) % 48000 = 17 THEN ' and the tachometer' ELSE '' END
            || CASE WHEN random() < 0.05 THEN ' ticket ' || (1000 + t.n * 7 % $1) ELSE '' END
            || CASE WHEN random() < 0.05
                    THEN ' call me on +1 202 555 ' || lpad((t.n % 10000)::text, 4, '0') ELSE '' END
            || CASE WHEN random() < 0.03 THEN ' or write to buyer' || t.n || '@example.net'
                    ELSE '' END
            || '.'
       END AS body
FROM gen_tickets t, generate_series(1, t.k) AS j
"""


def steps(tickets: int, customers: int) -> list[tuple[str, str]]:
    orgs = max(customers // 20, 1)
    return [
        (
            "organizations",
            f"""
            INSERT INTO organizations (name, tier, is_key_account, route_weekday)
            SELECT 'Trading Company ' || n, (ARRAY['A','B','C','C','C'])[1 + n % 5], n % 50 = 0,
                   1 + n % 5
            FROM generate_series(1, {orgs}) AS n""",
        ),
        (
            "customers",
            f"""
            CREATE TEMP TABLE gen_customers AS
            SELECT n, gen_random_uuid() AS id, gen_random_uuid() AS account_id,
                   CASE WHEN n % 3 = 0
                        THEN ({SURNAME}::text[])[1 + n % 16] || ({GIVEN}::text[])[1 + n / 16 % 24]
                        ELSE ({FIRST}::text[])[1 + n % 16] || ' '
                             || ({LAST}::text[])[1 + n / 16 % 16]
                   END AS name
            FROM generate_series(1, {customers}) AS n;
            CREATE INDEX ON gen_customers (n);
            -- a customer of no organization has a personal account, named after it
            INSERT INTO organizations (id, name, personal, created_at)
            SELECT account_id, name, true, now() - interval '3 years' FROM gen_customers
            WHERE n % 10 >= 3;
            INSERT INTO customers (id, name, organization_id, created_at)
            SELECT g.id, g.name, CASE WHEN n % 10 < 3 THEN o.id ELSE g.account_id END,
                   now() - interval '3 years'
            FROM gen_customers g
            LEFT JOIN (SELECT id, row_number() OVER (ORDER BY id) AS r FROM organizations
                       WHERE NOT personal) o
                   ON o.r = 1 + g.n % {orgs}""",
        ),
        (
            "identities",
            """
            INSERT INTO customer_identities (customer_id, kind, value)
            SELECT id, 'phone', '+1202' || (3000000 + n::bigint * 7919 % 1000000)::text
            FROM gen_customers;
            INSERT INTO customer_identities (customer_id, kind, value)
            SELECT id, 'email', 'customer' || n || '@example.net' FROM gen_customers
            WHERE n % 5 < 3;
            INSERT INTO audit_log (at, actor_label, entity, entity_id, action, after)
            SELECT now() - interval '3 years', 'system:import', 'customer', id::text, 'created',
                   '{}'::jsonb
            FROM gen_customers""",
        ),
        (
            "tickets",
            f"""
            CREATE TEMP TABLE gen_tickets AS
            SELECT n, gen_random_uuid() AS id,
                   (SELECT id FROM gen_customers c
                    WHERE c.n = 1 + (g.n::bigint * 7919) % {customers}) AS customer_id,
                   now() - interval '2 years' * (1 - n::float / {tickets}) AS created_at,
                   (ARRAY['email','email','sms','sms','voice','email','sms','sms'])[1 + n % 8]
                       AS channel,
                   1 + (n * 31) % 4 AS k
            FROM generate_series(1, {tickets}) AS g(n);
            CREATE INDEX ON gen_tickets (n)""",
        ),
        ("message texts", MESSAGES.replace("$1", str(tickets))),
        (
            "tickets rows",
            f"""
            ALTER TABLE tickets DISABLE TRIGGER tickets_search_doc;
            ALTER TABLE tickets DISABLE TRIGGER tickets_account;
            INSERT INTO tickets (id, number, subject, kind, status, priority, queue, customer_id,
                                 organization_id, channel, created_at, updated_at,
                                 last_message_at, search_doc, due_at, tags, account_tier,
                                 account_key)
            SELECT t.id, 999 + t.n, left(first.body, 60),
                   (ARRAY['inquiry','inquiry','order','complaint','other'])[1 + t.n % 5],
                   CASE WHEN t.n > {tickets} - {tickets} / 50
                        THEN (ARRAY['new','open','pending'])[1 + t.n % 3]
                        ELSE (ARRAY['resolved','closed','closed'])[1 + t.n % 3] END,
                   (ARRAY['normal','normal','normal','high','low','urgent'])[1 + t.n % 6],
                   (ARRAY['general','general','order','complaint','general'])[1 + t.n % 5],
                   t.customer_id, CASE WHEN o.personal THEN NULL ELSE c.organization_id END,
                   t.channel, t.created_at, t.created_at,
                   t.created_at + (t.k - 1) * interval '37 minutes',
                   cc_search_vector(left(first.body, 60) || ' ' || all_text.body)
                   || array_to_tsvector(ARRAY[(999 + t.n)::text]),
                   -- the first-response targets' defaults, by the priority chosen above
                   t.created_at + interval '1 minute'
                       * (ARRAY[480, 480, 480, 120, 1440, 30])[1 + t.n % 6],
                   CASE WHEN t.n % 7 = 0 THEN ARRAY['vip'] WHEN t.n % 11 = 0
                        THEN ARRAY['late delivery', 'refund'] ELSE '{{}}' END,
                   -- what the trigger tickets_account would store, in one pass
                   o.tier, o.is_key_account
            FROM gen_tickets t
            JOIN customers c ON c.id = t.customer_id
            JOIN organizations o ON o.id = c.organization_id
            JOIN gen_messages first ON first.n = t.n AND first.j = 1
            JOIN (SELECT n, string_agg(body, ' ') AS body FROM gen_messages GROUP BY n) all_text
                 ON all_text.n = t.n;
            ALTER TABLE tickets ENABLE TRIGGER tickets_search_doc;
            ALTER TABLE tickets ENABLE TRIGGER tickets_account;
            SELECT setval('ticket_number_seq', 999 + {tickets})""",
        ),
        (
            "messages",
            """
            ALTER TABLE messages DISABLE TRIGGER messages_search_doc;
            INSERT INTO messages (id, ticket_id, direction, channel, provider_id, from_address,
                                  to_address, subject, body_text, created_at, rfc_message_id,
                                  delivery_status)
            SELECT m.id, t.id, m.direction, t.channel,
                   CASE WHEN m.direction = 'outbound' THEN NULL
                        WHEN t.channel = 'sms' THEN 'SM' || md5(m.n || ':' || m.j)
                        WHEN t.channel = 'voice' THEN 'CA' || md5(m.n || ':' || m.j)
                        ELSE '<gen-' || m.n || '-' || m.j || '@mail.example.net>' END,
                   CASE WHEN m.direction = 'inbound' THEN a.value ELSE '' END,
                   CASE WHEN m.direction = 'outbound' THEN a.value ELSE '' END,
                   CASE WHEN t.channel = 'email' THEN left(m.body, 60) ELSE '' END,
                   m.body, m.created_at,
                   CASE WHEN t.channel <> 'email' THEN NULL
                        WHEN m.direction = 'inbound'
                        THEN '<gen-' || m.n || '-' || m.j || '@mail.example.net>'
                        ELSE '<out-' || m.n || '-' || m.j || '@example.com>' END,
                   CASE WHEN m.direction = 'outbound' THEN 'sent' END
            FROM gen_messages m
            JOIN gen_tickets t ON t.n = m.n
            JOIN LATERAL (SELECT value FROM customer_identities i
                          WHERE i.customer_id = t.customer_id
                          ORDER BY (i.kind = 'email') = (t.channel = 'email') DESC LIMIT 1) a
                 ON true;
            ALTER TABLE messages ENABLE TRIGGER messages_search_doc""",
        ),
        (
            "inbound contacts",
            """
            INSERT INTO inbound_contacts (channel, provider_id, received_at, message_id)
            SELECT channel, provider_id, created_at, id FROM messages
            WHERE direction = 'inbound'""",
        ),
        (
            "outbound messages",
            """
            INSERT INTO outbound_messages (ticket_id, message_id, channel, to_address, body_text,
                                           status, attempts, next_attempt_at, created_at,
                                           updated_at, sent_at)
            SELECT ticket_id, id, channel, to_address, body_text, 'sent', 1, created_at,
                   created_at, created_at, created_at
            FROM messages WHERE direction = 'outbound' AND channel IN ('sms', 'email')""",
        ),
        ("drop temporary tables", "DROP TABLE gen_messages, gen_tickets, gen_customers"),
        # As autovacuum would leave it: GIN pending lists merged, statistics current.
        ("vacuum analyze", "VACUUM ANALYZE"),
    ]


async def generate(
    dsn: str, *, tickets: int, customers: int | None = None, seed: float = 0.42, log: Any = None
) -> dict[str, float]:
    """Generate into the (fresh, migrated) database at `dsn`; returns seconds per step."""
    customers = customers or max(tickets // 5, 50)
    conn = await asyncpg.connect(dsn)
    timings: dict[str, float] = {}
    try:
        if await conn.fetchval("SELECT count(*) FROM tickets"):
            raise SystemExit("the database already holds tickets: generate into a fresh one")
        await conn.execute("SET work_mem = '256MB'; SET maintenance_work_mem = '512MB'")
        await conn.execute("SELECT setseed($1)", seed)
        for name, sql in steps(tickets, customers):
            started = time.perf_counter()
            await conn.execute(sql)
            timings[name] = round(time.perf_counter() - started, 2)
            if log:
                log(f"{name}: {timings[name]} s")
    finally:
        await conn.close()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dsn", required=True, help="a fresh database (migrated here if needed)")
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=None)
    args = parser.parse_args()
    asyncio.run(migrate(args.dsn))
    started = time.perf_counter()
    asyncio.run(
        generate(
            args.dsn,
            tickets=args.tickets,
            customers=args.customers,
            log=lambda line: print(line, file=sys.stderr),
        )
    )
    print(f"done in {time.perf_counter() - started:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
