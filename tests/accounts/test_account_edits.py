"""A person's edit of an account: who may change its tier, key flag and manager, a tier set on
the card kept as a move, the edit and its consequences committed together, and a new manager
taking over the account's open tasks."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from contact_center import accounts
from contact_center.accounts import TaskKind
from contact_center.users import Role
from contact_center.web.console.customers import read_card_form
from tests.builders import TEST_ACTOR, make_customer, make_organization, make_user, token_for
from tests.conftest import SingleConnectionPool
from tests.web.test_console_pages import HTML, sign_in

Client = TestClient[Any, Any]
NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


async def _org(db: SingleConnectionPool, org_id: Any) -> Any:
    async with db.acquire() as conn:
        return await conn.fetchrow(
            "SELECT tier, is_key_account, account_manager_id FROM organizations WHERE id = $1",
            org_id,
        )


@pytest.mark.parametrize("role", [Role.AGENT, Role.ACCOUNT_MANAGER])
async def test_agents_and_managers_may_not_change_the_overseen_fields(
    client: Client, db: SingleConnectionPool, role: Role
) -> None:
    user = await make_user(db, role)
    headers = await token_for(db, user)
    org = await make_organization(db, "Guarded Ltd", tier="B")
    person = await make_customer(db, "陈静")
    # A member's account is the organization's: editing it there is refused for the same
    # reason, not sent on to the organization with a 409 ("edit the organization").
    member = await make_customer(db, "Member Person", organization_id=str(org.id))
    for path, name, value in [
        (f"/api/v1/organizations/{org.id}", "tier", "A"),
        (f"/api/v1/organizations/{org.id}", "is_key_account", True),
        (f"/api/v1/organizations/{org.id}", "account_manager_id", str(user.id)),
        (f"/api/v1/customers/{person.id}", "tier", "A"),
        (f"/api/v1/customers/{member.id}", "tier", "A"),
        (f"/api/v1/customers/{member.id}", "account_manager_id", str(user.id)),
    ]:
        got = await client.patch(path, headers=headers, json={name: value})
        assert got.status == 403, (name, await got.text())
        assert name in await got.text()
    same = await client.patch(
        f"/api/v1/organizations/{org.id}",
        headers=headers,
        json={"tier": "B", "is_key_account": False, "notes": "called"},
    )
    assert same.status == 200, await same.text()  # unchanged values pass
    assert tuple(await _org(db, org.id)) == ("B", False, None)


def test_the_card_form_of_an_agent_carries_no_overseen_fields() -> None:
    form = {"name": "x", "tier": "A", "is_key_account": "on", "account_manager_id": ""}
    agent = read_card_form(form, personal=True, overseer=False)
    assert not {"tier", "is_key_account", "account_manager_id"} & set(agent)
    supervisor = read_card_form(form, personal=True, overseer=True)
    assert (supervisor["tier"], supervisor["is_key_account"]) == ("A", True)


async def test_a_tier_set_on_the_card_is_an_override_kept_as_a_move(
    client: Client, db: SingleConnectionPool
) -> None:
    supervisor = await token_for(db, await make_user(db, Role.SUPERVISOR))
    org = await make_organization(db, "Promoted Ltd", tier="C")
    got = await client.patch(
        f"/api/v1/organizations/{org.id}", headers=supervisor, json={"tier": "A"}
    )
    assert got.status == 200, await got.text()
    assert (await got.json())["tier"] == "A"
    tier = await (await client.get(f"/api/v1/accounts/{org.id}/tier", headers=supervisor)).json()
    assert (tier["override_tier"], tier["override_reason"]) == ("A", "set on the card")
    assert [(m["from_tier"], m["to_tier"], m["reason"]) for m in tier["moves"]] == [
        ("C", "A", "override: set on the card")
    ]
    assert tier["is_key_account"]
    # No tier on the card: the override goes, the account is back to what the runs decide.
    cleared = await client.patch(
        f"/api/v1/organizations/{org.id}", headers=supervisor, json={"tier": None}
    )
    assert cleared.status == 200, await cleared.text()
    tier = await (await client.get(f"/api/v1/accounts/{org.id}/tier", headers=supervisor)).json()
    assert tier["override_tier"] is None


async def test_the_edit_and_its_account_task_commit_together(
    client: Client, db: SingleConnectionPool, monkeypatch: pytest.MonkeyPatch
) -> None:
    admin = await token_for(db, await make_user(db, Role.ADMIN))
    org = await make_organization(db, "Half Saved Ltd")

    async def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("task store down")

    monkeypatch.setattr(accounts.tasks, "open_task", broken)
    got = await client.patch(
        f"/api/v1/organizations/{org.id}", headers=admin, json={"is_key_account": True}
    )
    assert got.status == 500
    assert (await _org(db, org.id))["is_key_account"] is False  # nothing half-saved


async def test_a_new_manager_takes_over_the_open_reactivation_task(
    client: Client, db: SingleConnectionPool
) -> None:
    supervisor = await token_for(db, await make_user(db, Role.SUPERVISOR))
    old = await make_user(db, Role.ACCOUNT_MANAGER)
    new = await make_user(db, Role.ACCOUNT_MANAGER)
    org = await make_organization(db, "Sleepy Co", account_manager_id=str(old.id))
    async with db.acquire() as conn:
        await accounts.open_task(
            conn,
            TEST_ACTOR,
            organization_id=org.id,
            kind=TaskKind.REACTIVATE,
            assignee_id=old.id,
            due_at=NOW,
            note="",
            now=NOW,
        )
    got = await client.put(
        f"/api/v1/accounts/{org.id}/manager", headers=supervisor, json={"manager_id": str(new.id)}
    )
    assert got.status == 200, await got.text()
    async with db.acquire() as conn:
        (task,) = await accounts.list_tasks(conn, organization_id=org.id)
    assert (task.kind, task.assignee_id) == (TaskKind.REACTIVATE, new.id)
    # Moving the account on its card does the same.
    got = await client.patch(
        f"/api/v1/organizations/{org.id}",
        headers=supervisor,
        json={"account_manager_id": str(old.id)},
    )
    assert got.status == 200, await got.text()
    async with db.acquire() as conn:
        (task,) = await accounts.list_tasks(conn, organization_id=org.id)
    assert task.assignee_id == old.id


async def test_one_rule_for_reading_an_accounts_tier_and_health(
    client: Client, db: SingleConnectionPool
) -> None:
    mine_user = await make_user(db, Role.ACCOUNT_MANAGER)
    manager = await token_for(db, mine_user)
    other = await make_user(db, Role.ACCOUNT_MANAGER)
    agent = await token_for(db, await make_user(db, Role.AGENT))
    supervisor = await token_for(db, await make_user(db, Role.SUPERVISOR))
    mine = await make_organization(db, "Mine Ltd", account_manager_id=str(mine_user.id))
    theirs = await make_organization(db, "Theirs Ltd", account_manager_id=str(other.id))
    nobody = await make_organization(db, "Nobody's Ltd")
    cases = [
        (manager, mine, 200),
        (manager, theirs, 403),
        (manager, nobody, 403),
        (agent, mine, 403),
        (supervisor, nobody, 200),
    ]
    for headers, org, status in cases:
        for part in ("tier", "health"):
            got = await client.get(f"/api/v1/accounts/{org.id}/{part}", headers=headers)
            assert got.status == status, (org.name, part, status, got.status)


async def test_the_card_leaves_out_the_tier_and_health_of_someone_elses_account(
    client: Client, db: SingleConnectionPool
) -> None:
    viewer = await make_user(db, Role.ACCOUNT_MANAGER)
    other = await make_user(db, Role.ACCOUNT_MANAGER)
    theirs = await make_organization(db, "Elsewhere Ltd", account_manager_id=str(other.id))
    mine = await make_organization(db, "Here Ltd", account_manager_id=str(viewer.id))
    session, _ = await sign_in(client, viewer.email)
    for org, shown in [(theirs, False), (mine, True)]:
        page = await client.get(f"/organizations/{org.id}", headers={**HTML, "Cookie": session})
        assert page.status == 200
        text = await page.text()
        assert ('id="account-tier"' in text, 'id="account-health"' in text) == (shown, shown)
