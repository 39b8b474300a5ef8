"""The accounts API: value import (JSON and CSV), tier run, override, tasks and access."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient

from contact_center.users import Role
from tests.builders import make_customer, make_organization, make_user, token_for
from tests.conftest import SingleConnectionPool

Client = TestClient[Any, Any]


async def test_import_run_override_assign_and_tasks(
    client: Client, db: SingleConnectionPool
) -> None:
    supervisor = await token_for(db, await make_user(db, Role.SUPERVISOR))
    manager_user = await make_user(db, Role.ACCOUNT_MANAGER)
    manager = await token_for(db, manager_user)
    agent = await token_for(db, await make_user(db, Role.AGENT))
    big = await make_organization(db, "北京远航科技")
    small = await make_organization(db, "Small Trading")

    csv_body = (
        "\ufeffsource_id;account;kind;amount;month\n"
        'r-1;北京远航科技;monthly_revenue;"9.000,00";2026-11\n'
        f"r-2;{small.id};monthly_revenue;100;2026-11\n"
        "r-3;;monthly_revenue;100;2026-11\n"
    ).encode()
    got = await client.post(
        "/api/v1/accounts/values/import",
        data=csv_body,
        headers={**supervisor, "Content-Type": "text/csv"},
    )
    assert got.status == 200, await got.text()
    body = await got.json()
    assert (body["created"], body["rejected"][0]["line"]) == (2, 4)
    again = await client.post(
        "/api/v1/accounts/values",
        headers=supervisor,
        json={
            "values": [
                {
                    "source_id": "r-2",
                    "account": str(small.id),
                    "kind": "monthly_revenue",
                    "amount": "100",
                    "month": "2026-11",
                }
            ]
        },
    )
    assert (await again.json())["unchanged"] == 1
    csv = {**supervisor, "Content-Type": "text/csv"}
    empty = await client.post("/api/v1/accounts/values/import", data=b"", headers=csv)
    assert (await empty.json()) == {"created": 0, "updated": 0, "unchanged": 0, "rejected": []}
    latin1 = await client.post(
        "/api/v1/accounts/values/import", data="é".encode("latin-1"), headers=csv
    )
    assert latin1.status == 422
    as_json = await client.post(
        "/api/v1/accounts/values/import", json={"values": []}, headers=supervisor
    )
    assert as_json.status == 415
    assert (await client.post("/api/v1/tiers/run", headers=agent)).status == 403

    run = await client.post("/api/v1/tiers/run", headers=supervisor)
    assert run.status == 200, await run.text()
    assert (await run.json())["moved"] == 2

    tasks = await (await client.get("/api/v1/account-tasks", headers=supervisor)).json()
    assert [t["organization_id"] for t in tasks["tasks"]] == [str(big.id)]
    assert (await (await client.get("/api/v1/account-tasks", headers=manager)).json())[
        "tasks"
    ] == []

    override = await client.put(
        f"/api/v1/accounts/{small.id}/tier-override",
        headers=supervisor,
        json={"tier": "A", "reason": "new framework contract"},
    )
    assert override.status == 200, await override.text()
    tier = await override.json()
    assert (tier["tier"], tier["computed_tier"], tier["override_tier"]) == ("A", "C", "A")
    assert tier["moves"][0]["reason"] == "override: new framework contract"
    bad = await client.put(
        f"/api/v1/accounts/{small.id}/tier-override",
        headers=supervisor,
        json={"tier": "D", "reason": "x"},
    )
    assert bad.status == 422
    assert (
        await client.put(
            f"/api/v1/accounts/{small.id}/tier-override",
            headers=manager,
            json={"tier": "B", "reason": "x"},
        )
    ).status == 403

    assigned = await client.put(
        f"/api/v1/accounts/{big.id}/manager",
        headers=supervisor,
        json={"manager_id": str(manager_user.id)},
    )
    assert assigned.status == 200, await assigned.text()
    open_tasks = await (await client.get("/api/v1/account-tasks", headers=supervisor)).json()
    assert [t["organization_id"] for t in open_tasks["tasks"]] == [str(small.id)]
    mine = await (await client.get("/api/v1/accounts/key", headers=manager)).json()
    assert [a["name"] for a in mine["accounts"]] == ["北京远航科技"]
    everyone = await (await client.get("/api/v1/accounts/key", headers=supervisor)).json()
    assert {a["name"] for a in everyone["accounts"]} == {"北京远航科技", "Small Trading"}
    assert (
        await client.get(f"/api/v1/accounts/{small.id}/tier", headers=manager)
    ).status == 403  # no manager yet: not this manager's account
    moves = await (await client.get("/api/v1/accounts/tier-moves", headers=manager)).json()
    assert [m["account_name"] for m in moves["moves"]] == ["北京远航科技"]

    removed = await client.delete(f"/api/v1/accounts/{small.id}/tier-override", headers=supervisor)
    assert removed.status == 204
    tier = await (await client.get(f"/api/v1/accounts/{small.id}/tier", headers=supervisor)).json()
    assert (tier["tier"], tier["override_tier"]) == ("C", None)

    done = await client.post(
        f"/api/v1/account-tasks/{open_tasks['tasks'][0]['id']}/done", headers=manager
    )
    assert done.status == 403
    done = await client.post(
        f"/api/v1/account-tasks/{open_tasks['tasks'][0]['id']}/done", headers=supervisor
    )
    assert done.status == 200 and (await done.json())["state"] == "done"


async def test_ticking_key_account_on_the_card_opens_the_task_and_keeps_the_flag(
    client: Client, db: SingleConnectionPool
) -> None:
    admin = await token_for(db, await make_user(db, Role.ADMIN))
    org = await make_organization(db, "Hand Picked Ltd")
    got = await client.patch(
        f"/api/v1/organizations/{org.id}", headers=admin, json={"is_key_account": True}
    )
    assert got.status == 200, await got.text()
    tasks = await (await client.get("/api/v1/account-tasks", headers=admin)).json()
    assert [t["organization_id"] for t in tasks["tasks"]] == [str(org.id)]
    tier = await (await client.get(f"/api/v1/accounts/{org.id}/tier", headers=admin)).json()
    assert tier["key_by_hand"] and tier["is_key_account"]


async def test_a_personal_account_ticked_on_the_customer_card(
    client: Client, db: SingleConnectionPool
) -> None:
    admin = await token_for(db, await make_user(db, Role.ADMIN))
    person = await make_customer(db, "王芳")
    account_id = person.account.organization_id
    got = await client.patch(
        f"/api/v1/customers/{person.id}", headers=admin, json={"is_key_account": True}
    )
    assert got.status == 200, await got.text()
    tier = await (await client.get(f"/api/v1/accounts/{account_id}/tier", headers=admin)).json()
    assert tier["key_by_hand"] and tier["is_key_account"]
    tasks = await (await client.get("/api/v1/account-tasks", headers=admin)).json()
    assert [t["organization_id"] for t in tasks["tasks"]] == [str(account_id)]
    # Saving the card again without touching the flag changes nothing of it.
    again = await client.patch(f"/api/v1/customers/{person.id}", headers=admin, json={"notes": "x"})
    assert again.status == 200
    tier = await (await client.get(f"/api/v1/accounts/{account_id}/tier", headers=admin)).json()
    assert tier["key_by_hand"]
