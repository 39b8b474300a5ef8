"""The duplicate review over HTTP: suggestions, dismiss, merge preview, merge and undo; the
history of a card; organizations listing their contacts with roles."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient

from contact_center.users import Role
from tests.builders import make_customer, make_user, token_for
from tests.conftest import SingleConnectionPool

Client = TestClient[Any, Any]


async def test_review_dismiss_preview_merge_and_undo(
    client: Client, db: SingleConnectionPool
) -> None:
    agent = await token_for(db, await make_user(db, Role.AGENT))
    supervisor = await token_for(db, await make_user(db, Role.SUPERVISOR))
    a = await make_customer(db, name="Li Wei", emails=["li.wei@a.example"], tier="A")
    b = await make_customer(db, name="李伟", emails=["li.wei@b.example"], birthday="1990-03-01")
    c = await make_customer(db, name="Emery Vale", emails=["emery.vale@a.example"])
    d = await make_customer(db, name="Emery Vale", emails=["emery.vale@b.example"])
    listed = await client.get("/api/v1/customers/duplicates", headers=agent)
    assert listed.status == 200, await listed.text()
    body = await listed.json()
    pairs = {frozenset((s["a"]["id"], s["b"]["id"])): s for s in body["suggestions"]}
    ab, cd = frozenset((str(a.id), str(b.id))), frozenset((str(c.id), str(d.id)))
    assert ab in pairs and cd in pairs
    assert pairs[ab]["reasons"][0] == {
        "code": "same_email_name",
        "a": pairs[ab]["a"]["emails"][0],
        "b": pairs[ab]["b"]["emails"][0],
        "weight": 0.5,
    }
    dismissed = await client.post(
        "/api/v1/customers/duplicates/dismiss", headers=agent, json={"a": str(d.id), "b": str(c.id)}
    )
    assert dismissed.status == 200, await dismissed.text()
    again = await (await client.get("/api/v1/customers/duplicates", headers=agent)).json()
    assert cd not in {frozenset((s["a"]["id"], s["b"]["id"])) for s in again["suggestions"]}

    preview = await client.get(
        f"/api/v1/customers/{a.id}/merge-preview", params={"other": str(b.id)}, headers=agent
    )
    assert preview.status == 200, await preview.text()
    plan = await preview.json()
    assert plan["emails"] == ["li.wei@b.example"] and plan["tickets"] == {"count": 0, "numbers": []}
    assert plan["fills"] == {"birthday": "1990-03-01"}
    assert plan["conflicts"] == [
        {"field": "name", "survivor": "Li Wei", "other": "李伟", "winner": "survivor"}
    ]
    merged = await client.post(
        f"/api/v1/customers/{a.id}/merge", headers=agent, json={"merge_id": str(b.id)}
    )
    assert (await merged.json())["birthday"] == "1990-03-01"
    undone = await client.post(f"/api/v1/customers/{b.id}/unmerge", headers=supervisor)
    assert undone.status == 200
    card = await (await client.get(f"/api/v1/customers/{a.id}", headers=agent)).json()
    assert card["birthday"] is None and card["emails"] == ["li.wei@a.example"]
    history = await (await client.get(f"/api/v1/customers/{a.id}/history", headers=agent)).json()
    assert [h["action"] for h in history["history"]] == ["created", "merged_in", "unmerged_out"]
    assert all(h["actor_label"] and h["at"] for h in history["history"])


async def test_an_agent_undoes_their_own_merge_but_not_another_agents(
    client: Client, db: SingleConnectionPool
) -> None:
    first = await token_for(db, await make_user(db, Role.AGENT))
    second = await token_for(db, await make_user(db, Role.AGENT))
    a, b, c = await make_customer(db), await make_customer(db), await make_customer(db)
    for survivor, merged, by in ((a, b, first), (a, c, second)):
        response = await client.post(
            f"/api/v1/customers/{survivor.id}/merge", headers=by, json={"merge_id": str(merged.id)}
        )
        assert response.status == 200
    assert (await client.post(f"/api/v1/customers/{c.id}/unmerge", headers=first)).status == 403
    assert (await client.post(f"/api/v1/customers/{b.id}/unmerge", headers=first)).status == 200
    assert (await client.post(f"/api/v1/customers/{c.id}/unmerge", headers=second)).status == 200


async def test_review_refusals(client: Client, db: SingleConnectionPool) -> None:
    agent = await token_for(db, await make_user(db, Role.AGENT))
    manager = await token_for(db, await make_user(db, Role.ACCOUNT_MANAGER))
    a = await make_customer(db)
    assert (await client.get("/api/v1/customers/duplicates", headers=manager)).status == 403
    assert (await client.get("/api/v1/customers/duplicates")).status == 401
    bad_cursor = await client.get("/api/v1/customers/duplicates?cursor=nope", headers=agent)
    assert bad_cursor.status == 422
    no_other = await client.get(f"/api/v1/customers/{a.id}/merge-preview", headers=agent)
    assert no_other.status == 422 and (await no_other.json())["error"]["field"] == "other"
    same = await client.get(
        f"/api/v1/customers/{a.id}/merge-preview", params={"other": str(a.id)}, headers=agent
    )
    assert same.status == 409
    missing = "00000000-0000-4000-8000-000000000000"
    gone = await client.post(
        "/api/v1/customers/duplicates/dismiss", headers=agent, json={"a": str(a.id), "b": missing}
    )
    assert gone.status == 404
    self_pair = await client.post(
        "/api/v1/customers/duplicates/dismiss", headers=agent, json={"a": str(a.id), "b": str(a.id)}
    )
    assert self_pair.status == 409


async def test_a_card_change_shows_in_history_with_who_when_before_and_after(
    client: Client, db: SingleConnectionPool
) -> None:
    user = await make_user(db, Role.AGENT)
    agent = await token_for(db, user)
    customer = await make_customer(db, name="周杰", preferences="")
    changed = await client.patch(
        f"/api/v1/customers/{customer.id}",
        headers=agent,
        json={"preferences": "只接受短信", "language": "zh", "tags": ["重点"]},
    )
    assert changed.status == 200
    history = await (
        await client.get(f"/api/v1/customers/{customer.id}/history", headers=agent)
    ).json()
    update = history["history"][-1]
    assert update["action"] == "updated" and update["actor_id"] == str(user.id)
    assert update["actor_label"] == user.email and update["at"]
    assert update["before"] == {"preferences": "", "language": "", "tags": []}
    assert update["after"] == {"preferences": "只接受短信", "language": "zh", "tags": ["重点"]}


async def test_an_organization_lists_its_contacts_with_their_roles(
    client: Client, db: SingleConnectionPool
) -> None:
    agent = await token_for(db, await make_user(db, Role.AGENT))
    org = await (
        await client.post("/api/v1/organizations", headers=agent, json={"name": "北方机电"})
    ).json()
    await make_customer(db, name="孙丽", organization_id=org["id"], job_title="采购经理")
    await make_customer(db, name="Reese Hart", organization_id=org["id"], job_title="CFO")
    got = await (await client.get(f"/api/v1/organizations/{org['id']}", headers=agent)).json()
    assert {(m["name"], m["job_title"]) for m in got["members"]} == {
        ("孙丽", "采购经理"),
        ("Reese Hart", "CFO"),
    }
