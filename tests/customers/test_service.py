from __future__ import annotations

import asyncio
from typing import Any
from uuid import uuid4

import asyncpg
import pytest

from contact_center import audit, customers, merges, tickets
from contact_center.customers import NewCustomer
from contact_center.errors import Conflict, Invalid, NotFound
from contact_center.timeutil import utc_now
from tests.builders import TEST_ACTOR, make_customer, make_inbound_sms, unique_phone
from tests.conftest import SingleConnectionPool


async def test_two_customers_cannot_share_a_phone_in_any_format(db: SingleConnectionPool) -> None:
    await make_customer(db, phones=["+1 202 555 0143"])
    with pytest.raises(Conflict) as caught:
        await make_customer(db, name="Other", phones=["(202) 555-0143"])
    assert caught.value.field == "phones[0]"


async def test_a_refused_create_leaves_nothing_behind(db: SingleConnectionPool) -> None:
    phone = unique_phone()
    with pytest.raises(Invalid):
        await make_customer(db, phones=[phone], emails=["not-an-email"])
    assert await customers.search_customers(db, phone, region="US") == []


async def test_changes_are_audited_with_before_and_after(db: SingleConnectionPool) -> None:
    customer = await make_customer(db, name="Ada Lark", tier="C")
    new_phone = unique_phone()
    updated = await customers.update_customer(
        db,
        TEST_ACTOR,
        customer.id,
        {"tier": "A", "phones": [new_phone], "notes": "prefers mornings"},
        region="US",
    )
    assert updated.account.tier == "A" and updated.phones == [new_phone]
    trail = await audit.list_entries(db.conn, "customer", [str(customer.id)])
    assert [e.action for e in trail] == ["created", "updated"]
    assert trail[1].before == {"tier": "C", "notes": "", "phones": customer.phones}
    assert trail[1].after == {"tier": "A", "notes": "prefers mornings", "phones": [new_phone]}
    assert trail[1].actor_label == TEST_ACTOR.label


async def test_search_finds_by_name_phone_email_and_ticket_number(db: SingleConnectionPool) -> None:
    customer = await make_customer(
        db, name="Quinn Stonemere", phones=["+1 415 555 0123"], emails=["quinn@example.org"]
    )
    result = await tickets.intake(db, make_inbound_sms(from_address="+14155550123"), now=utc_now())
    for q in [
        "stonemere",
        "(415) 555-0123",
        "555 0123",
        "QUINN@example.org",
        f"#{result.ticket_number}",
    ]:
        found = await customers.search_customers(db, q, region="US")
        assert [c.id for c in found] == [customer.id], q


async def test_merge_moves_identities_and_tickets_and_can_be_undone(
    db: SingleConnectionPool,
) -> None:
    survivor = await make_customer(db, name="Reese Oakhurst")
    duplicate = await make_customer(db, name="R. Oakhurst", emails=["reese@example.org"])
    first = await tickets.intake(
        db, make_inbound_sms(from_address=survivor.phones[0]), now=utc_now()
    )
    second = await tickets.intake(
        db, make_inbound_sms(from_address=duplicate.phones[0]), now=utc_now()
    )
    merged = await merges.merge_customers(db, TEST_ACTOR, survivor.id, duplicate.id)
    assert set(merged.phones) == {survivor.phones[0], duplicate.phones[0]}
    assert merged.emails == ["reese@example.org"]
    for result in (first, second):
        assert (await tickets.get_ticket(db, result.ticket_id))[0].customer_id == survivor.id
    away = await customers.get_customer(db, duplicate.id)
    assert away.merged_into_id == survivor.id and away.identities == []
    trail = await audit.list_entries(db.conn, "customer", [str(survivor.id), str(duplicate.id)])
    assert {"created", "merged_in", "merged_away"} <= {e.action for e in trail}
    with pytest.raises(Conflict):
        await merges.merge_customers(db, TEST_ACTOR, survivor.id, duplicate.id)

    restored = await merges.unmerge_customer(db, TEST_ACTOR, duplicate.id, any_merge=True)
    assert restored.merged_into_id is None and restored.phones == duplicate.phones
    assert (await tickets.get_ticket(db, second.ticket_id))[0].customer_id == duplicate.id
    assert (await tickets.get_ticket(db, first.ticket_id))[0].customer_id == survivor.id
    trail = await audit.list_entries(db.conn, "customer", [str(duplicate.id)])
    assert [e.action for e in trail] == ["created", "merged_away", "unmerged"]


async def test_merging_a_customer_into_itself_or_a_missing_one_is_refused(
    db: SingleConnectionPool,
) -> None:
    customer = await make_customer(db)
    with pytest.raises(Conflict):
        await merges.merge_customers(db, TEST_ACTOR, customer.id, customer.id)
    with pytest.raises(NotFound):
        await merges.merge_customers(db, TEST_ACTOR, customer.id, uuid4())


@pytest.mark.commits
async def test_concurrent_creates_with_one_phone_make_one_customer(pool: asyncpg.Pool[Any]) -> None:
    phone = unique_phone()
    outcomes = await asyncio.gather(
        *(
            customers.create_customer(
                pool, TEST_ACTOR, NewCustomer(name=f"n{i}", phones=[phone]), region="US"
            )
            for i in range(10)
        ),
        return_exceptions=True,
    )
    assert sum(not isinstance(o, Exception) for o in outcomes) == 1
    assert all(isinstance(o, Conflict) for o in outcomes if isinstance(o, Exception))


@pytest.mark.parametrize("value", ["@example.com", "big bug bb@bug.example", "Ann@Example.com"])
async def test_only_a_normalized_answerable_email_becomes_an_identity(
    db: SingleConnectionPool, value: str
) -> None:
    async with db.acquire() as conn:
        with pytest.raises(Invalid):
            await customers.resolve_by_identity(
                conn, customers.IdentityKind.EMAIL, value, name="", actor=TEST_ACTOR
            )
