"""The daily health figures: one row per account per day (a second run replaces it), figures
from values, surveys and contact, trend over 30 and 90 days, and the API's access rules."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

from contact_center.accounts import run_health
from contact_center.db import Pool
from contact_center.users import Role
from tests.accounts.helpers import add_value, contact, key_account, visit_done
from tests.builders import make_customer, make_organization, make_user, token_for

NOW = datetime(2026, 12, 5, 3, 0, tzinfo=UTC)
TODAY = date(2026, 12, 5)


async def _answered_survey(db: Pool, ticket_id: UUID, score: int, at: datetime) -> None:
    async with db.acquire() as conn:
        await conn.execute(
            "INSERT INTO surveys (token, ticket_id, channel, to_address, sent_at, answered_at,"
            " score, answered_via) VALUES ($1, $2, 'sms', '+12025550111', $3, $3, $4, 'sms')",
            f"t-{ticket_id}-{score}",
            ticket_id,
            at,
            score,
        )


async def _rows(db: Pool, org_id: UUID) -> list[Any]:
    async with db.acquire() as conn:
        return list(
            await conn.fetch(
                "SELECT day, satisfaction, loyalty, contribution, contribution_rank, dependency"
                " FROM account_health WHERE organization_id = $1 ORDER BY day",
                org_id,
            )
        )


async def _accounts(db: Pool) -> tuple[Any, Any, Any]:
    manager = await make_user(db, Role.ACCOUNT_MANAGER)
    big = await key_account(db, "Harbour Supplies", manager.id)
    for month in range(1, 7):  # six months with orders, two of them with the account's total
        total = "4000" if month <= 2 else None
        await add_value(
            db,
            big.id,
            date(2026, month, 10),
            "1000",
            source_id=f"h{month}",
            account_total=total,
            now=NOW,
        )
    small = await make_organization(db, "山水茶行")
    await add_value(db, small.id, date(2026, 11, 2), "2000", source_id="s1", now=NOW)
    ticket = await contact(db, big.id, now=NOW - timedelta(days=20))
    await _answered_survey(db, ticket, 4, NOW - timedelta(days=19))
    await _answered_survey(db, ticket, 5, NOW - timedelta(days=18))
    return manager, big, small


async def test_figures_of_the_day_and_a_second_run_replaces_them(db: Pool) -> None:
    _, big, small = await _accounts(db)
    await run_health(db, now=NOW)
    await add_value(db, small.id, date(2026, 12, 1), "2000", source_id="s2", now=NOW)
    await run_health(db, now=NOW + timedelta(hours=5))

    (row,) = await _rows(db, big.id)
    assert row["day"] == TODAY
    assert float(row["satisfaction"]) == 87.5  # scores 4 and 5 → mean 4.5
    assert float(row["contribution"]) == 60.0 and row["contribution_rank"] == 1  # 6000 of 10000
    assert float(row["dependency"]) == 25.0  # 1000 of 4000 in each month with a total
    # tenure ~11 months of 5 years (7.4) + 6 of 12 months with orders (20) + 1 of 6 contacts
    assert 30 < float(row["loyalty"]) < 32
    (other,) = await _rows(db, small.id)
    assert float(other["contribution"]) == 40.0 and other["contribution_rank"] == 2
    assert other["satisfaction"] is None and other["dependency"] is None


async def test_api_gives_trend_and_history_to_the_manager_and_supervisors(
    db: Pool, client: Any
) -> None:
    manager, big, _ = await _accounts(db)
    await run_health(db, now=NOW - timedelta(days=40))
    await run_health(db, now=NOW)

    answer = await client.get(
        f"/api/v1/accounts/{big.id}/health", headers=await token_for(db, manager)
    )
    assert answer.status == 200
    body = await answer.json()
    assert body["day"] == TODAY.isoformat() and body["lifecycle_stage"] == "customer"
    assert [h["day"] for h in body["history"]] == [
        (TODAY - timedelta(days=40)).isoformat(),
        TODAY.isoformat(),
    ]
    sat = body["figures"]["satisfaction"]
    assert sat["value"] == 87.5 and sat["trend_90"] is None
    assert sat["trend_30"] is None  # no scores 40 days ago: unknown, not zero
    loyalty = body["figures"]["loyalty"]
    assert loyalty["trend_30"] is not None and loyalty["trend_30"] > 0  # older, more orders
    assert body["figures"]["dependency"]["value"] == 25.0

    supervisor = await token_for(db, await make_user(db, Role.SUPERVISOR))
    other = await token_for(db, await make_user(db, Role.ACCOUNT_MANAGER))
    agent = await token_for(db, await make_user(db, Role.AGENT))
    url = f"/api/v1/accounts/{big.id}/health"
    assert (await client.get(url, headers=supervisor)).status == 200
    assert (await client.get(url, headers=other)).status == 403
    assert (await client.get(url, headers=agent)).status == 403
    missing = "/api/v1/accounts/00000000-0000-4000-8000-000000000000/health"
    assert (await client.get(missing, headers=supervisor)).status == 404


async def test_an_account_never_computed_answers_unknown_figures(db: Pool, client: Any) -> None:
    org = await make_organization(db, "Fresh Start Co")
    supervisor = await token_for(db, await make_user(db, Role.SUPERVISOR))
    body = await (await client.get(f"/api/v1/accounts/{org.id}/health", headers=supervisor)).json()
    assert body["day"] is None and body["history"] == []
    assert all(f["value"] is None for f in body["figures"].values())


async def test_a_personal_account_has_health_too(db: Pool, client: Any) -> None:
    person = await make_customer(db, "Jamie Ortega")
    await add_value(
        db, person.account.organization_id, date(2026, 11, 3), "90", source_id="p1", now=NOW
    )
    await run_health(db, now=NOW)
    supervisor = await token_for(db, await make_user(db, Role.SUPERVISOR))
    answer = await client.get(
        f"/api/v1/accounts/{person.account.organization_id}/health", headers=supervisor
    )
    assert answer.status == 200
    assert (await answer.json())["figures"]["contribution"]["value"] > 0


async def test_visit_scores_join_survey_scores(db: Pool) -> None:
    manager, big, _ = await _accounts(db)
    await visit_done(db, big.id, manager.id, date(2026, 11, 20), 1)
    await run_health(db, now=NOW)
    (row,) = await _rows(db, big.id)
    assert float(row["satisfaction"]) == 58.3  # scores 4, 5 and 1: mean 3.33
