"""Value import: idempotent by source_id, every bad row reported, real-world CSV shapes."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from contact_center import accounts
from contact_center.accounts.value_rows import RawRow, RowRefused, amount_of, parse, read_csv
from contact_center.audit import Actor
from contact_center.db import Pool
from tests.builders import make_customer, make_organization

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
SYSTEM = Actor.system("test")


def test_amounts_as_people_write_them() -> None:
    assert amount_of("1,234.50", "amount") == Decimal("1234.50")
    assert amount_of("1.234,50", "amount") == Decimal("1234.50")
    assert amount_of("12,5", "amount") == Decimal("12.50")
    assert amount_of("¥ 1,000,000", "amount") == Decimal("1000000.00")
    assert amount_of(-40, "amount") == Decimal("-40.00")
    for bad in ("abc", "NaN", "1e30", True):
        try:
            amount_of(bad, "amount")
        except RowRefused:
            continue
        raise AssertionError(f"{bad!r} was taken")


def test_a_month_is_its_first_day_and_bad_rows_say_why() -> None:
    row = parse(
        RawRow(
            2,
            {
                "source_id": "m1",
                "account": "X",
                "kind": "monthly_revenue",
                "amount": "10",
                "month": "2026-02",
            },
        )
    )
    assert row.occurred_on == date(2026, 2, 1)
    for fields, why in [
        ({"account": "X", "kind": "transaction", "amount": "1", "date": "2026-01-01"}, "source_id"),
        (
            {"source_id": "s", "account": "X", "kind": "sale", "amount": "1", "date": "2026-01-01"},
            "kind",
        ),
        (
            {
                "source_id": "s",
                "account": "X",
                "kind": "transaction",
                "amount": "1",
                "date": "01/02/2026",
            },
            "date",
        ),
    ]:
        try:
            parse(RawRow(3, fields))
        except RowRefused as refused:
            assert why in str(refused)
        else:
            raise AssertionError(fields)


def test_csv_with_bom_semicolons_and_quoted_thousands() -> None:
    text = '\ufeffSource_ID;Account;Kind;Amount;Date\r\nv1;"Acme";transaction;"1.234,00";2026-11-02\r\n\r\n'
    rows = read_csv(text)
    assert [(r.line, r.fields["source_id"], r.fields["amount"]) for r in rows] == [
        (2, "v1", "1.234,00")
    ]


async def test_same_csv_twice_changes_nothing_and_a_changed_row_updates(db: Pool) -> None:
    org = await make_organization(db, "上海华东贸易有限公司")
    person = await make_customer(db, "Li Wei", emails=["li.wei@example.com"])
    csv_text = (
        "\ufeffsource_id,account,kind,amount,date,account_total\n"
        f'inv-1,{org.id},transaction,"12,500.00",2026-10-03,\n'
        "inv-2,上海华东贸易有限公司,transaction,300,2026-10-04,1000\n"
        "rev-1,LI.WEI@example.com,monthly_revenue,99.5,2026-09-17,\n"
        "inv-3,Nobody Ltd,transaction,5,2026-10-04,\n"
        "inv-4,上海华东贸易有限公司,transaction,lots,2026-10-04,\n"
    )
    first = await accounts.import_csv(db, SYSTEM, csv_text, region="US", now=NOW)
    assert (first.created, first.updated, first.unchanged) == (3, 0, 0)
    assert [(r.line, r.source_id) for r in first.rejected] == [(5, "inv-3"), (6, "inv-4")]
    assert "no such account" in first.rejected[0].reason

    again = await accounts.import_csv(db, SYSTEM, csv_text, region="US", now=NOW)
    assert (again.created, again.updated, again.unchanged, len(again.rejected)) == (0, 0, 3, 2)

    changed = await accounts.import_items(
        db,
        SYSTEM,
        [
            {
                "source_id": "inv-2",
                "account": str(org.id),
                "kind": "transaction",
                "amount": 350,
                "date": "2026-10-04",
                "account_total": "1000",
            }
        ],
        region="US",
        now=NOW,
    )
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 0)
    async with db.acquire() as conn:
        rows = await conn.fetch(
            "SELECT source_id, organization_id, amount, occurred_on FROM account_values ORDER BY source_id"
        )
        audit_rows = await conn.fetch(
            "SELECT before, after FROM audit_log WHERE entity = 'account_value' AND entity_id = 'inv-2'"
        )
    assert [(r["source_id"], r["amount"]) for r in rows] == [
        ("inv-1", Decimal("12500.00")),
        ("inv-2", Decimal("350.00")),
        ("rev-1", Decimal("99.50")),
    ]
    assert rows[2]["organization_id"] == person.account.organization_id
    assert rows[2]["occurred_on"] == date(2026, 9, 1)  # monthly revenue is dated its first day
    assert len(audit_rows) == 1


async def test_a_name_matching_two_accounts_is_rejected_not_guessed(db: Pool) -> None:
    first = await make_organization(db, "Northwind Traders")
    await make_organization(db, "northwind traders")
    csv_text = (
        "source_id;account;kind;amount;date\n"
        "amb-1;Northwind Traders;transaction;500;2026-10-03\n"
        f"amb-2;{first.id};transaction;20;2026-10-03\n"
    )
    got = await accounts.import_csv(db, SYSTEM, csv_text, region="US", now=NOW)
    assert got.created == 1
    assert [(r.line, r.source_id, r.reason) for r in got.rejected] == [
        (2, "amb-1", "matches 2 accounts")
    ]
