"""The care API: preview, start, list, cancel, the care flag, and the privacy export and
erasure of messages that name a customer."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from aiohttp.test_utils import TestClient

from contact_center import care
from contact_center.outbox import Origin
from contact_center.users import Role
from tests.builders import TEST_ACTOR, make_customer, make_organization, make_user, token_for
from tests.conftest import SingleConnectionPool

Client = TestClient[Any, Any]
SEGMENT = {"tiers": ["A"], "key_accounts_only": True}


async def key_account(db: SingleConnectionPool, people: int = 2) -> list[Any]:
    org = await make_organization(db, "北方物流", tier="A", is_key_account=True)
    return [await make_customer(db, f"Person {i}", organization_id=org.id) for i in range(people)]


async def test_a_supervisor_previews_starts_and_cancels_a_broadcast(
    client: Client, db: SingleConnectionPool
) -> None:
    made = await key_account(db, 3)
    boss = await token_for(db, await make_user(db, Role.SUPERVISOR))
    await care.set_care_opt_out(db, TEST_ACTOR, made[0].id, True, now=datetime.now(UTC))
    answer = await client.post(
        "/api/v1/broadcasts/preview", json={"segment": SEGMENT}, headers=boss
    )
    assert answer.status == 200
    # The test app has no TWILIO_FROM_NUMBER: those only SMS reaches wait, they are no
    # "no address".
    assert await answer.json() == {
        "count": 3,
        "reachable": 0,
        "opted_out": 0,
        "care_opted_out": 1,
        "no_address": 0,
        "no_sender": 2,
    }
    created = await client.post(
        "/api/v1/broadcasts",
        json={
            "name": "Price list",
            "segment": SEGMENT,
            "body_en": "New prices",
            "body_zh": "新价目表",
        },
        headers=boss,
    )
    assert created.status == 201
    body = await created.json()
    assert body["state"] == "sending" and body["figures"]["total"] == 3
    listed = await (await client.get("/api/v1/broadcasts", headers=boss)).json()
    assert [b["id"] for b in listed["broadcasts"]] == [body["id"]]
    one = await client.get(f"/api/v1/broadcasts/{body['id']}", headers=boss)
    assert (await one.json())["segment"]["tiers"] == ["A"]
    cancelled = await client.post(f"/api/v1/broadcasts/{body['id']}/cancel", headers=boss)
    assert (await cancelled.json())["figures"]["skipped"]["cancelled"] == 3
    again = await client.post(f"/api/v1/broadcasts/{body['id']}/cancel", headers=boss)
    assert again.status == 409


async def test_agents_may_not_broadcast_and_bad_segments_are_422(
    client: Client, db: SingleConnectionPool
) -> None:
    agent = await token_for(db, await make_user(db, Role.AGENT))
    answer = await client.post("/api/v1/broadcasts/preview", json={"segment": {}}, headers=agent)
    assert answer.status == 403
    boss = await token_for(db, await make_user(db, Role.ADMIN))
    bad = await client.post(
        "/api/v1/broadcasts/preview", json={"segment": {"tiers": ["Z"]}}, headers=boss
    )
    assert bad.status == 422 and (await bad.json())["error"]["field"].startswith("segment.tiers")
    blank = await client.post(
        "/api/v1/broadcasts", json={"name": " ", "segment": {}, "body_en": "x"}, headers=boss
    )
    assert blank.status == 422


async def test_the_care_flag_is_set_on_the_card_and_audited(
    client: Client, db: SingleConnectionPool
) -> None:
    customer = await make_customer(db, "张伟")
    agent = await token_for(db, await make_user(db, Role.AGENT))
    url = f"/api/v1/customers/{customer.id}/care"
    assert (await (await client.get(url, headers=agent)).json())["opted_out"] is False
    put = await client.put(url, json={"opted_out": True}, headers=agent)
    assert put.status == 200 and (await put.json())["opted_out"] is True
    history = await (
        await client.get(f"/api/v1/customers/{customer.id}/history", headers=agent)
    ).json()
    assert "care_opt_out" in str(history)
    off = await client.put(url, json={"opted_out": False}, headers=agent)
    assert (await off.json())["opted_out"] is False


async def test_export_holds_and_erasure_blanks_messages_naming_the_customer(
    client: Client, db: SingleConnectionPool
) -> None:
    canary = "canary-greeting-7f3a"
    customer = await make_customer(
        db,
        canary,
        birthday=date(1960, 6, 1),
        emails=["canary7f3a@example.com"],
        preferred_channel="email",
    )
    await care.send_greetings(
        db, origin=Origin(email_from="care@example.com"), now=datetime(2027, 6, 1, 10, tzinfo=UTC)
    )
    admin = await token_for(db, await make_user(db, Role.ADMIN))
    export = await (
        await client.get(f"/api/v1/customers/{customer.id}/export", headers=admin)
    ).json()
    (message,) = export["outbound_messages"]
    assert message["to_address"] == "canary7f3a@example.com" and canary in message["body_text"]
    assert export["care"]["care_messages"][0]["name"] == "birthday:2027"
    erased = await client.post(f"/api/v1/customers/{customer.id}/erase-outbound", headers=admin)
    assert await erased.json() == {"customer_id": str(customer.id), "erased": 1}
    async with db.acquire() as conn:
        row = await conn.fetchrow(
            "SELECT to_address, body_text, subject, headers::text AS h FROM outbound_messages "
            "WHERE customer_id = $1",
            customer.id,
        )
    assert "canary" not in str(dict(row)) and row["to_address"] == ""
    agent = await token_for(db, await make_user(db, Role.AGENT))
    refused = await client.post(f"/api/v1/customers/{customer.id}/erase-outbound", headers=agent)
    assert refused.status == 403


async def test_erasure_cancels_messages_not_sent_yet(
    client: Client, db: SingleConnectionPool
) -> None:
    """A pending message must not be tried at a blanked address, nor count as failed."""
    (person,) = await key_account(db, 1)
    made = await care.start_broadcast(
        db,
        TEST_ACTOR,
        name="Price list",
        segment=care.Segment(tiers=("A",)),
        body_en="New prices",
        body_zh="",
        channel=None,
        now=datetime(2027, 6, 1, 10, tzinfo=UTC),
    )
    await care.send_batch(
        db,
        made.id,
        origin=Origin(sms_from="+12025550100"),
        now=datetime(2027, 6, 1, 10, tzinfo=UTC),
    )
    admin = await token_for(db, await make_user(db, Role.ADMIN))
    erased = await client.post(f"/api/v1/customers/{person.id}/erase-outbound", headers=admin)
    assert (await erased.json())["erased"] == 1
    async with db.acquire() as conn:
        row = await conn.fetchrow(
            "SELECT status, to_address FROM outbound_messages WHERE customer_id = $1", person.id
        )
    assert dict(row) == {"status": "cancelled", "to_address": ""}
    figures = (await care.get_broadcast(db, made.id)).figures
    assert figures["failed"] == 0 and figures["queued"] == 0 and figures["withdrawn"] == 1
