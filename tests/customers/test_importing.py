from __future__ import annotations

from pathlib import Path

from contact_center import customers
from contact_center.customers.importing import import_customers_csv
from tests.builders import TEST_ACTOR, make_customer
from tests.conftest import SingleConnectionPool

CSV = """name,phones,emails,organization,tier,is_key_account,route_weekday,birthday,tags
Lane Millbrook,(202) 555-0111;+1 202 555 0112,lane@example.org,Cedar Deli,A,yes,2,1979-05-01,vip;wholesale
Parker Glenrock,202-555-0113,,Cedar Deli,,no,,,
Bad Phone,12345,bad@example.org,,,,,,
Bad Email,202-555-0114,not-an-email,Never Created Org,,,,,
Taken Phone,202 555 0115,,,,,,,
,202-555-0116,,,,,,,
Bad Tier,202-555-0117,,,Q,,,,
"""


async def test_import_keeps_good_rows_and_reports_each_bad_one(
    db: SingleConnectionPool, tmp_path: Path
) -> None:
    await make_customer(db, name="Already Here", phones=["+12025550115"])
    source = tmp_path / "customers.csv"
    source.write_text(CSV, encoding="utf-8")
    report = await import_customers_csv(db, TEST_ACTOR, source, region="US", progress=False)
    assert report.imported == 2
    assert [(e.line, e.field) for e in report.errors] == [
        (4, "phones[0]"),
        (5, "emails[0]"),
        (6, "phones[0]"),
        (7, "name"),
        (8, "tier"),
    ]
    assert report.error_file is not None
    assert report.error_file.read_text().splitlines()[0] == "line,field,error"
    lane = (await customers.search_customers(db, "Lane Millbrook", region="US"))[0]
    assert lane.phones == ["+12025550111", "+12025550112"] and lane.tags == ["vip", "wholesale"]
    # A row's account fields went to its (new) organization, which Parker's row then found.
    account = lane.account
    assert (account.name, account.tier, account.key_account, account.route_weekday) == (
        "Cedar Deli",
        "A",
        True,
        2,
    )
    parker = (await customers.search_customers(db, "Parker", region="US"))[0]
    assert parker.organization_id == lane.organization_id is not None
    assert parker.account == account
    assert await customers.search_customers(db, "202-555-0114", region="US") == []
    orgs = await customers.list_organizations(db, q="Never Created")
    assert orgs == []
