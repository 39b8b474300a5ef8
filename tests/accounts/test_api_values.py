"""GET /api/v1/accounts/{id}/values: the account's value and month totals in the tier window, live
from its own rows; its share and rank as the last tier run counted them; its entries a page at
a time; and who may read them."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from aiohttp.test_utils import TestClient

from contact_center import accounts, site
from contact_center.accounts.tier_runs import tier_window
from contact_center.timeutil import utc_now
from contact_center.users import Role
from tests.accounts.helpers import add_value
from tests.builders import TEST_ACTOR, make_organization, make_user, token_for
from tests.conftest import SingleConnectionPool

Client = TestClient[Any, Any]


async def _window(db: SingleConnectionPool) -> tuple[date, date]:
    async with db.acquire() as conn:
        return tier_window(await site.load(conn), utc_now())


async def _value(db: SingleConnectionPool, org: UUID, day: date, amount: str, ref: str) -> None:
    await add_value(db, org, day, amount, source_id=ref, now=utc_now())


async def _values(client: Client, org: UUID, headers: dict[str, str]) -> dict[str, Any]:
    got = await client.get(f"/api/v1/accounts/{org}/values", headers=headers)
    assert got.status == 200, await got.text()
    body: dict[str, Any] = await got.json()
    return body


async def test_the_value_and_months_are_live_from_the_accounts_own_rows(
    client: Client, db: SingleConnectionPool
) -> None:
    supervisor = await token_for(db, await make_user(db, Role.SUPERVISOR))
    mine = await make_organization(db, "Middle Trading")
    other = await make_organization(db, "Someone Else")
    since, until = await _window(db)
    await _value(db, mine.id, since, "100.50", "m-first")  # the window's first day: in
    await _value(db, mine.id, until, "200", "m-last")  # its last day (today): in
    await _value(db, mine.id, since - timedelta(days=1), "9999", "m-before")  # a day before: out
    middle = (since.replace(day=1) + timedelta(days=160)).replace(day=10)
    await _value(db, mine.id, middle, "699.50", "m-middle")
    await _value(db, other.id, middle, "5000", "o-1")

    body = await _values(client, mine.id, supervisor)
    assert (body["window_from"], body["window_to"]) == (since.isoformat(), until.isoformat())
    assert body["value"] == "1000.00"
    assert body["last_run"] is None  # no tier run yet: no share, no rank

    months = body["months"]
    expected_months = (until.year - since.year) * 12 + until.month - since.month + 1
    assert len(months) == expected_months
    assert [m["month"] for m in months] == sorted(m["month"] for m in months)
    assert (months[0]["first_day"], months[-1]["last_day"]) == (
        since.isoformat(),
        until.isoformat(),
    )
    by_month = {m["month"]: m["amount"] for m in months}
    assert by_month[f"{middle:%Y-%m}"] == "699.50"
    if since.month != until.month or since.year != until.year:
        assert by_month[f"{since:%Y-%m}"] == "100.50"
        assert by_month[f"{until:%Y-%m}"] == "200.00"
    assert sum(Decimal(m["amount"]) for m in months) == Decimal(body["value"])
    empty = [m for m in months if m["month"] not in {f"{d:%Y-%m}" for d in (since, until, middle)}]
    assert empty and all(m["amount"] == "0.00" for m in empty)  # no holes in the strip

    # The live value is the account's own rows in the window, as the run sums them.
    async with db.acquire() as conn:
        own = await conn.fetchval(
            "SELECT sum(amount) FROM account_values"
            " WHERE organization_id = $1 AND occurred_on BETWEEN $2 AND $3",
            mine.id,
            since,
            until,
        )
    assert Decimal(body["value"]) == own

    none = await make_organization(db, "Nothing Yet")
    empty_body = await _values(client, none.id, supervisor)
    assert (empty_body["value"], empty_body["last_run"], empty_body["entries"]) == (
        "0.00",
        None,
        [],
    )
    assert all(m["amount"] == "0.00" for m in empty_body["months"])


async def _run_result(db: SingleConnectionPool, run_id: UUID, org: UUID) -> Any:
    async with db.acquire() as conn:
        return await conn.fetchrow(
            "SELECT tier, value, share_before FROM tier_run_results"
            " WHERE run_id = $1 AND organization_id = $2",
            run_id,
            org,
        )


async def test_share_and_rank_are_the_last_runs_until_the_next_run(
    client: Client, db: SingleConnectionPool
) -> None:
    supervisor = await token_for(db, await make_user(db, Role.SUPERVISOR))
    big = await make_organization(db, "Big Buyer")
    mine = await make_organization(db, "Middle Trading")
    small = await make_organization(db, "Small Shop")
    credit = await make_organization(db, "Credit Only")
    since, until = await _window(db)
    middle = (since.replace(day=1) + timedelta(days=160)).replace(day=10)
    await _value(db, mine.id, since, "300", "m-1")
    await _value(db, mine.id, middle, "700", "m-2")
    await _value(db, big.id, middle, "5000", "b-1")
    await _value(db, small.id, middle, "50", "s-1")
    await _value(db, credit.id, middle, "-20", "c-1")  # no positive value: not ranked, adds nothing

    first_at = utc_now()
    first = await accounts.run_tiers(db, TEST_ACTOR, trigger="manual", now=first_at)
    body = await _values(client, mine.id, supervisor)
    run = body["last_run"]
    assert datetime.fromisoformat(run["ran_at"]) == first_at
    assert (run["window_from"], run["window_to"]) == (
        first.window_from.isoformat(),
        first.window_to.isoformat(),
    )
    assert (run["value"], run["rank"], run["accounts"]) == ("1000.00", 2, 3)
    assert run["share"] == round(1000 / 6050, 6)
    counted = await _run_result(db, first.run_id, mine.id)
    assert (run["tier"], Decimal(run["value"])) == (counted["tier"], counted["value"])
    assert run["share_before"] == round(float(counted["share_before"]), 6)
    assert run["share_before"] == round(5000 / 6050, 6)

    top = (await _values(client, big.id, supervisor))["last_run"]
    assert (top["rank"], top["share_before"], top["accounts"]) == (1, 0.0, 3)
    assert (await _values(client, small.id, supervisor))["last_run"]["rank"] == 3
    lowest = await _values(client, credit.id, supervisor)
    assert (lowest["value"], lowest["last_run"]) == ("-20.00", None)

    # A new import moves the live value at once; the share and rank wait for the next run.
    await _value(db, mine.id, until, "6000", "m-3")
    body = await _values(client, mine.id, supervisor)
    assert body["value"] == "7000.00"
    assert body["last_run"] == run

    second_at = utc_now() + timedelta(seconds=1)
    second = await accounts.run_tiers(db, TEST_ACTOR, trigger="manual", now=second_at)
    run = (await _values(client, mine.id, supervisor))["last_run"]
    assert datetime.fromisoformat(run["ran_at"]) == second_at
    assert (run["value"], run["rank"], run["accounts"], run["share_before"]) == (
        "7000.00",
        1,
        3,
        0.0,
    )
    assert run["share"] == round(7000 / 12050, 6)
    assert run["tier"] == (await _run_result(db, second.run_id, mine.id))["tier"]
    top = (await _values(client, big.id, supervisor))["last_run"]
    assert (top["rank"], top["share_before"]) == (2, round(7000 / 12050, 6))


async def test_tied_accounts_rank_by_id_as_the_run_does(
    client: Client, db: SingleConnectionPool
) -> None:
    supervisor = await token_for(db, await make_user(db, Role.SUPERVISOR))
    one, two = await make_organization(db, "Tie One"), await make_organization(db, "Tie Two")
    _, until = await _window(db)
    await _value(db, one.id, until, "300", "t-1")
    await _value(db, two.id, until, "300", "t-2")
    run = await accounts.run_tiers(db, TEST_ACTOR, trigger="manual", now=utc_now())
    ranks = {}
    for org in (one, two):
        counted = (await _values(client, org.id, supervisor))["last_run"]
        ranks[org.id] = counted["rank"]
        stored = await _run_result(db, run.run_id, org.id)
        assert counted["share_before"] == round(float(stored["share_before"]), 6)
    first, second = sorted((one.id, two.id))
    assert (ranks[first], ranks[second]) == (1, 2)


async def test_entries_come_newest_first_a_page_at_a_time_and_an_update_shows_once(
    client: Client, db: SingleConnectionPool
) -> None:
    supervisor = await token_for(db, await make_user(db, Role.SUPERVISOR))
    org = await make_organization(db, "Paged Ltd")
    _, until = await _window(db)
    days = [until - timedelta(days=n) for n in (0, 0, 3, 40, 400)]  # two on one day; one old
    for n, day in enumerate(days):
        await _value(db, org.id, day, str(10 + n), f"p-{n}")
    await accounts.import_items(
        db,
        TEST_ACTOR,
        [
            {
                "source_id": "p-2",
                "account": str(org.id),
                "kind": "monthly_revenue",
                "amount": "1,234.5",
                "date": days[2].isoformat(),
                "account_total": "5000",
            }
        ],
        region="US",
        now=utc_now() + timedelta(minutes=5),
    )

    seen: list[dict[str, Any]] = []
    url = f"/api/v1/accounts/{org.id}/values?limit=2"
    pages = 0
    while url:
        got = await client.get(url, headers=supervisor)
        assert got.status == 200, await got.text()
        body = await got.json()
        assert len(body["entries"]) <= 2
        seen += body["entries"]
        pages += 1
        cursor = body["next_cursor"]
        url = f"/api/v1/accounts/{org.id}/values?limit=2&cursor={cursor}" if cursor else ""
    assert pages == 3
    assert [e["source_id"] for e in seen] == ["p-1", "p-0", "p-2", "p-3", "p-4"]
    assert [e["occurred_on"] for e in seen] == sorted(
        (e["occurred_on"] for e in seen), reverse=True
    )
    updated = [e for e in seen if e["source_id"] == "p-2"]
    assert len(updated) == 1
    (entry,) = updated
    assert (entry["kind"], entry["amount"], entry["account_total"]) == (
        "monthly_revenue",
        "1234.50",
        "5000.00",
    )
    assert entry["updated_at"] > entry["imported_at"]
    assert seen[0]["account_total"] is None

    bad = await client.get(
        f"/api/v1/accounts/{org.id}/values?cursor=not-a-cursor", headers=supervisor
    )
    assert bad.status == 422
    assert (await bad.json())["error"]["field"] == "cursor"
    too_many = await client.get(f"/api/v1/accounts/{org.id}/values?limit=0", headers=supervisor)
    assert too_many.status == 422


async def test_only_the_accounts_manager_supervisors_and_admins_read_its_values(
    client: Client, db: SingleConnectionPool
) -> None:
    manager = await make_user(db, Role.ACCOUNT_MANAGER)
    other_manager = await make_user(db, Role.ACCOUNT_MANAGER)
    org = await make_organization(db, "Managed Ltd", account_manager_id=str(manager.id))
    _, until = await _window(db)
    await _value(db, org.id, until, "42", "a-1")
    url = f"/api/v1/accounts/{org.id}/values"
    for role, status in (
        (Role.AGENT, 403),
        (Role.SUPERVISOR, 200),
        (Role.ADMIN, 200),
    ):
        got = await client.get(url, headers=await token_for(db, await make_user(db, role)))
        assert got.status == status, (role, await got.text())
    assert (await client.get(url, headers=await token_for(db, other_manager))).status == 403
    own = await client.get(url, headers=await token_for(db, manager))
    assert own.status == 200
    assert (await own.json())["value"] == "42.00"
    unknown = await client.get(
        f"/api/v1/accounts/{uuid4()}/values", headers=await token_for(db, manager)
    )
    assert unknown.status == 404
    assert (await client.get(url)).status == 401
