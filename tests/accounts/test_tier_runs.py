"""Tier runs: cut-offs written to the account, overrides surviving re-runs, moves kept with
their reason, the key-account flag and the manager assignment task."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from contact_center import accounts
from contact_center.accounts import TaskKind
from contact_center.audit import Actor
from contact_center.db import Pool
from contact_center.users import Role
from tests.builders import make_organization, make_user

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
SYSTEM = Actor.system("test")


async def _values(
    db: Pool, figures: dict[UUID, int], day: str = "2026-11-02", tag: str = ""
) -> None:
    result = await accounts.import_items(
        db,
        SYSTEM,
        [
            {
                "source_id": f"{tag}{org}",
                "account": str(org),
                "kind": "transaction",
                "amount": amount,
                "date": day,
            }
            for org, amount in figures.items()
        ],
        region="US",
        now=NOW,
    )
    assert not result.rejected


async def _orgs(db: Pool) -> dict[str, Any]:
    async with db.acquire() as conn:
        rows = await conn.fetch(
            "SELECT name, tier, is_key_account FROM organizations WHERE NOT personal"
        )
    return {r["name"]: (r["tier"], r["is_key_account"]) for r in rows}


async def _moves(db: Pool, org: UUID) -> list[tuple[str | None, str | None, str]]:
    async with db.acquire() as conn:
        rows = await conn.fetch(
            "SELECT from_tier, to_tier, reason FROM tier_moves WHERE organization_id = $1 ORDER BY id",
            org,
        )
    return [(r["from_tier"], r["to_tier"], r["reason"]) for r in rows]


async def test_a_run_tiers_by_cut_off_and_opens_assignment_tasks(db: Pool) -> None:
    big = await make_organization(db, "Big Co")
    mid = await make_organization(db, "Mid Co")
    small = await make_organization(db, "Small Co")
    idle = await make_organization(db, "Idle Co", tier="B")
    await _values(db, {big.id: 800, mid.id: 150, small.id: 50})
    report = await accounts.run_tiers(db, SYSTEM, trigger="manual", now=NOW)
    assert (report.accounts, report.moved, report.new_key_accounts) == (3, 3, 1)
    orgs = await _orgs(db)
    assert orgs["Big Co"] == ("A", True) and orgs["Mid Co"] == ("B", False)
    assert orgs["Small Co"] == ("C", False)
    assert orgs["Idle Co"] == ("B", False)  # no value, no override: not re-tiered
    assert await _moves(db, big.id) == [(None, "A", "cut-off")]
    assert idle.id not in {t.organization_id for t in await _tasks(db)}
    tasks = await _tasks(db)
    assert [(t.organization_id, t.assignee_id) for t in tasks] == [(big.id, None)]

    again = await accounts.run_tiers(db, SYSTEM, trigger="scheduled", now=NOW + timedelta(days=1))
    assert again.moved == 0 and len(await _tasks(db)) == 1
    assert await _moves(db, big.id) == [(None, "A", "cut-off")]


async def _tasks(db: Pool) -> list[Any]:
    async with db.acquire() as conn:
        return [
            t
            for t in await accounts.list_tasks(conn, supervisors=True)
            if t.kind is TaskKind.ASSIGN_MANAGER
        ]


async def test_an_override_survives_re_runs_until_removed(db: Pool) -> None:
    supervisor = await make_user(db, Role.SUPERVISOR)
    person = Actor(label=supervisor.email, user_id=supervisor.id)
    big = await make_organization(db, "Big Co")
    small = await make_organization(db, "Small Co")
    await _values(db, {big.id: 960, small.id: 40})
    await accounts.run_tiers(db, SYSTEM, trigger="manual", now=NOW)
    await accounts.set_override(db, person, small.id, tier="A", reason="strategic partner", now=NOW)
    assert (await _orgs(db))["Small Co"] == ("A", True)
    await accounts.run_tiers(db, SYSTEM, trigger="scheduled", now=NOW + timedelta(days=30))
    assert (await _orgs(db))["Small Co"] == ("A", True)
    await accounts.remove_override(db, person, small.id, now=NOW + timedelta(days=31))
    assert (await _orgs(db))["Small Co"] == ("C", False)  # back to the computed tier
    assert await _moves(db, small.id) == [
        (None, "C", "cut-off"),
        ("C", "A", "override: strategic partner"),
        ("A", "C", "override removed"),
    ]
    async with db.acquire() as conn:
        announced = await conn.fetchval(
            "SELECT count(*) FROM events WHERE name = 'account.tier_changed'"
            " AND payload->>'organization_id' = $1",
            str(small.id),
        )
    assert announced == 3


async def test_a_hand_flag_keeps_the_key_account_when_it_leaves_a(db: Pool) -> None:
    flagged = await make_organization(db, "Flagged Co")
    plain = await make_organization(db, "Plain Co")
    other = await make_organization(db, "Other Co")
    await accounts.edit_organization(
        db, SYSTEM, flagged.id, {"is_key_account": True}, overseer=True, now=NOW
    )
    await _values(db, {flagged.id: 500, plain.id: 500}, tag="1-")
    await accounts.run_tiers(db, SYSTEM, trigger="manual", now=NOW)
    assert (await _orgs(db))["Flagged Co"] == ("A", True)
    await _values(db, {other.id: 100_000}, tag="2-")
    await accounts.run_tiers(db, SYSTEM, trigger="manual", now=NOW + timedelta(days=1))
    orgs = await _orgs(db)
    assert orgs["Flagged Co"] == ("C", True) and orgs["Plain Co"] == ("C", False)


async def test_naming_a_manager_closes_the_assignment_task(db: Pool) -> None:
    manager = await make_user(db, Role.ACCOUNT_MANAGER)
    big = await make_organization(db, "Big Co")
    await _values(db, {big.id: 10})
    await accounts.run_tiers(db, SYSTEM, trigger="manual", now=NOW)
    assert len(await _tasks(db)) == 1
    await accounts.assign_manager(db, SYSTEM, big.id, manager.id, now=NOW)
    assert await _tasks(db) == []


async def test_an_account_whose_value_left_the_window_moves_to_c(db: Pool) -> None:
    faded = await make_organization(db, "Faded Co")
    steady = await make_organization(db, "Steady Co")
    never = await make_organization(db, "Never Co", tier="B")
    await _values(db, {faded.id: 900, steady.id: 100}, tag="old-")
    await accounts.run_tiers(db, SYSTEM, trigger="manual", now=NOW)
    assert (await _orgs(db))["Faded Co"] == ("A", True)
    later = NOW + timedelta(days=800)  # the first values are out of any window
    await _values(db, {steady.id: 100}, day=later.date().isoformat(), tag="new-")
    report = await accounts.run_tiers(db, SYSTEM, trigger="manual", now=later)
    orgs = await _orgs(db)
    assert orgs["Faded Co"] == ("C", False)
    assert orgs["Steady Co"][0] == "A"
    assert orgs["Never Co"] == ("B", False)  # never had value: left as a person set it
    assert report.accounts == 1
    assert await _moves(db, faded.id) == [(None, "A", "cut-off"), ("A", "C", "no value in window")]
    assert await _moves(db, never.id) == []
