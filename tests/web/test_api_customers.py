from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient

from contact_center.users import Role
from tests.builders import make_customer, make_user, token_for, unique_phone
from tests.conftest import SingleConnectionPool

Client = TestClient[Any, Any]


async def admin_headers(db: SingleConnectionPool) -> dict[str, str]:
    return await token_for(db, await make_user(db, Role.ADMIN))


async def test_create_then_get_and_search_a_customer(
    client: Client, db: SingleConnectionPool
) -> None:
    headers = await admin_headers(db)
    created = await client.post(
        "/api/v1/customers",
        headers=headers,
        json={
            "name": "Harper Fairholm",
            "phones": ["(212) 555-0177"],
            "emails": ["Harper@Example.org"],
            "tier": "B",
            "birthday": "1985-02-14",
            "tags": ["retail"],
        },
    )
    assert created.status == 201, await created.text()
    body = await created.json()
    assert body["phones"] == ["+12125550177"] and body["emails"] == ["harper@example.org"]
    assert body["birthday"] == "1985-02-14"
    got = await client.get(f"/api/v1/customers/{body['id']}", headers=headers)
    assert (await got.json())["name"] == "Harper Fairholm"
    for q in ["212-555-0177", "harper@example.org", "fairholm"]:
        found = await (
            await client.get("/api/v1/customers", params={"q": q}, headers=headers)
        ).json()
        assert [c["id"] for c in found["customers"]] == [body["id"]], q


async def test_bad_input_names_the_field_and_writes_nothing(
    client: Client, db: SingleConnectionPool
) -> None:
    headers = await admin_headers(db)
    phone = unique_phone()
    cases: list[tuple[Any, int, str | None]] = [
        ('{"name": ', 400, None),
        ("[1, 2]", 400, None),
        ({"name": "A", "shoe_size": 44}, 422, "shoe_size"),
        ({"name": "A", "phones": ["12"]}, 422, "phones[0]"),
        ({"name": "A", "phones": [phone], "emails": ["x@"]}, 422, "emails[0]"),
        ({"name": "A", "tier": "Z"}, 422, "tier"),
        ({"phones": [phone]}, 422, "name"),
        ({"name": "A", "route_weekday": 9}, 422, "route_weekday"),
        (
            {"name": "A", "account_manager_id": "00000000-0000-4000-8000-000000000000"},
            404,
            "account_manager_id",
        ),
    ]
    for body, status, field in cases:
        if isinstance(body, str):  # malformed JSON, still sent as JSON
            response = await client.post(
                "/api/v1/customers",
                headers={**headers, "Content-Type": "application/json"},
                data=body,
            )
        else:
            response = await client.post("/api/v1/customers", headers=headers, json=body)
        assert response.status == status, (body, await response.text())
        error = (await response.json())["error"]
        assert error.get("field") == field and error["message"]
    found = await (
        await client.get("/api/v1/customers", params={"q": phone}, headers=headers)
    ).json()
    assert found["customers"] == []


async def test_a_taken_phone_is_a_conflict(client: Client, db: SingleConnectionPool) -> None:
    existing = await make_customer(db)
    response = await client.post(
        "/api/v1/customers",
        headers=await admin_headers(db),
        json={"name": "Twin", "phones": [existing.phones[0]]},
    )
    assert response.status == 409
    assert (await response.json())["error"]["field"] == "phones[0]"


async def test_update_merge_history_and_export(client: Client, db: SingleConnectionPool) -> None:
    headers = await admin_headers(db)
    one, two = (
        await make_customer(db, name="Kai Dunmore"),
        await make_customer(db, name="K Dunmore"),
    )
    patched = await client.patch(
        f"/api/v1/customers/{one.id}",
        headers=headers,
        json={"preferences": "call after 10am", "emails": ["kai@example.org"]},
    )
    assert patched.status == 200 and (await patched.json())["emails"] == ["kai@example.org"]
    merged = await client.post(
        f"/api/v1/customers/{one.id}/merge", headers=headers, json={"merge_id": str(two.id)}
    )
    assert merged.status == 200 and set((await merged.json())["phones"]) == {
        one.phones[0],
        two.phones[0],
    }
    history = await (
        await client.get(f"/api/v1/customers/{one.id}/history", headers=headers)
    ).json()
    assert [h["action"] for h in history["history"]] == ["created", "updated", "merged_in"]
    export = await (await client.get(f"/api/v1/customers/{one.id}/export", headers=headers)).json()
    assert export["customer"]["preferences"] == "call after 10am"
    assert {e["action"] for e in export["audit"]} >= {"created", "updated", "merged_in"}


async def test_missing_token_is_401_and_wrong_role_is_403(
    client: Client, db: SingleConnectionPool
) -> None:
    customer = await make_customer(db)
    assert (await client.get(f"/api/v1/customers/{customer.id}")).status == 401
    bad = await client.get("/api/v1/customers", headers={"Authorization": "Bearer cc_nope"})
    assert bad.status == 401
    agent = await token_for(db, await make_user(db, Role.AGENT))
    assert (await client.get(f"/api/v1/customers/{customer.id}", headers=agent)).status == 200
    refused = await client.get(f"/api/v1/customers/{customer.id}/export", headers=agent)
    assert refused.status == 403 and (await refused.json())["error"]["code"] == "forbidden"
    manager = await token_for(db, await make_user(db, Role.ACCOUNT_MANAGER))
    other = await make_customer(db)
    merge = await client.post(
        f"/api/v1/customers/{customer.id}/merge", headers=manager, json={"merge_id": str(other.id)}
    )
    assert merge.status == 403
    assert (
        await client.post(
            "/api/v1/users",
            headers=agent,
            json={"email": "x@example.com", "role": "admin", "password": "long enough"},
        )
    ).status == 403


async def test_unknown_ids_are_404(client: Client, db: SingleConnectionPool) -> None:
    headers = await admin_headers(db)
    for path in [
        "/api/v1/customers/not-a-uuid",
        "/api/v1/customers/00000000-0000-4000-8000-000000000000",
        "/api/v1/tickets/00000000-0000-4000-8000-000000000000",
        "/api/v1/nothing-here",
    ]:
        response = await client.get(path, headers=headers)
        assert response.status == 404, path
        assert (await response.json())["error"]["code"] == "not_found"


async def test_organizations_list_and_members(client: Client, db: SingleConnectionPool) -> None:
    headers = await admin_headers(db)
    created = await client.post(
        "/api/v1/organizations",
        headers=headers,
        json={"name": "Maple Bakery", "tier": "A", "is_key_account": True, "route_weekday": 2},
    )
    assert created.status == 201
    org = await created.json()
    await make_customer(db, name="Baker One", organization_id=org["id"])
    listed = await (
        await client.get("/api/v1/organizations", params={"key_account": "true"}, headers=headers)
    ).json()
    assert [o["name"] for o in listed["organizations"]] == ["Maple Bakery"]
    detail = await (await client.get(f"/api/v1/organizations/{org['id']}", headers=headers)).json()
    assert [m["name"] for m in detail["members"]] == ["Baker One"]
    patched = await client.patch(
        f"/api/v1/organizations/{org['id']}", headers=headers, json={"tier": "B"}
    )
    assert (await patched.json())["tier"] == "B"


async def test_a_customer_answers_its_account_read_only(
    client: Client, db: SingleConnectionPool
) -> None:
    headers = await admin_headers(db)
    created = await client.post(
        "/api/v1/customers", headers=headers, json={"name": "Solo Buyer", "tier": "B"}
    )
    body = await created.json()
    assert "tier" not in body and "is_key_account" not in body
    account = body["account"]
    assert (account["personal"], account["name"], account["tier"]) == (True, "Solo Buyer", "B")
    assert body["organization_id"] is None
    # Account fields of a personal account are written through its customer.
    patched = await client.patch(
        f"/api/v1/customers/{body['id']}", headers=headers, json={"is_key_account": True}
    )
    assert patched.status == 200, await patched.text()
    assert (await patched.json())["account"]["key_account"] is True
    # A personal account is no organization: not listed, not found as one.
    listed = await (
        await client.get("/api/v1/organizations", params={"q": "Solo"}, headers=headers)
    ).json()
    assert listed["organizations"] == []
    shown = await client.get(f"/api/v1/organizations/{account['organization_id']}", headers=headers)
    assert shown.status == 404


async def test_a_members_account_fields_are_refused_naming_its_organization(
    client: Client, db: SingleConnectionPool
) -> None:
    headers = await admin_headers(db)
    org = await (
        await client.post(
            "/api/v1/organizations", headers=headers, json={"name": "Birch Hall", "tier": "C"}
        )
    ).json()
    member = await make_customer(db, name="Hall Member", organization_id=org["id"])
    refused = await client.patch(
        f"/api/v1/customers/{member.id}", headers=headers, json={"tier": "A"}
    )
    assert refused.status == 409
    error = (await refused.json())["error"]
    assert error["field"] == "tier"
    assert "Birch Hall" in error["message"] and "edit the organization" in error["message"]
    got = await (await client.get(f"/api/v1/customers/{member.id}", headers=headers)).json()
    assert got["organization_id"] == org["id"]
    assert (got["account"]["organization_id"], got["account"]["tier"]) == (org["id"], "C")
    # Leaving the organization opens a personal account, which then takes the fields.
    left = await client.patch(
        f"/api/v1/customers/{member.id}",
        headers=headers,
        json={"organization_id": None, "tier": "A"},
    )
    assert left.status == 200, await left.text()
    account = (await left.json())["account"]
    assert (account["personal"], account["tier"]) == (True, "A")
