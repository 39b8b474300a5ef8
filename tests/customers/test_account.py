"""One owner for a customer's account: its organization, or its own personal account; read
through `customers.account_of`, changed through the customer only when it is personal."""

from uuid import uuid4

import pytest

from contact_center import customers
from contact_center.customers.fields import empty_account_fields
from contact_center.errors import Conflict, NotFound
from tests.builders import TEST_ACTOR, make_customer, make_user
from tests.conftest import SingleConnectionPool


async def test_an_individual_customer_has_a_personal_account_with_its_facts(
    db: SingleConnectionPool,
) -> None:
    manager = await make_user(db)
    customer = await make_customer(
        db,
        "Lone Buyer",
        tier="B",
        is_key_account=True,
        account_manager_id=str(manager.id),
        route_territory="North",
        route_weekday=3,
        latitude=40.5,
        longitude=-73.9,
        lifecycle_stage="prospect",
    )
    account = await customers.account_of(db.conn, customer.id)
    assert account == customer.account
    assert account.personal and account.name == "Lone Buyer"
    assert (account.tier, account.key_account, account.account_manager_id) == (
        "B",
        True,
        manager.id,
    )
    assert (account.route_territory, account.route_weekday) == ("North", 3)
    assert (account.latitude, account.longitude, account.lifecycle_stage) == (
        40.5,
        -73.9,
        "prospect",
    )
    assert customer.organization_id is None


async def test_a_member_reads_its_organizations_account(db: SingleConnectionPool) -> None:
    org = await customers.create_organization(
        db, TEST_ACTOR, {"name": "Harbour Foods", "tier": "A", "is_key_account": True}
    )
    member = await make_customer(db, "Member", organization_id=str(org.id))
    account = await customers.account_of(db.conn, member.id)
    assert (account.organization_id, account.personal, account.name) == (
        org.id,
        False,
        "Harbour Foods",
    )
    assert (account.tier, account.key_account) == ("A", True)
    assert member.organization_id == org.id


async def test_account_of_an_unknown_customer_is_not_found(db: SingleConnectionPool) -> None:
    with pytest.raises(NotFound):
        await customers.account_of(db.conn, uuid4())


async def test_a_member_is_refused_account_fields_naming_its_organization(
    db: SingleConnectionPool,
) -> None:
    org = await customers.create_organization(db, TEST_ACTOR, {"name": "Quay Mills", "tier": "C"})
    with pytest.raises(Conflict, match="Quay Mills") as refused:
        await make_customer(db, "New Member", organization_id=str(org.id), tier="A")
    assert refused.value.field == "tier"
    member = await make_customer(db, "Member", organization_id=str(org.id))
    with pytest.raises(Conflict, match="edit the organization"):
        await customers.update_customer(
            db, TEST_ACTOR, member.id, {"is_key_account": True}, region="US"
        )
    # The organization's own values sent back unchanged are no edit.
    same = await customers.update_customer(db, TEST_ACTOR, member.id, {"tier": "C"}, region="US")
    assert same.account.tier == "C"


async def test_account_fields_of_a_personal_customer_change_its_account(
    db: SingleConnectionPool,
) -> None:
    customer = await make_customer(db, "Solo")
    changed = await customers.update_customer(
        db,
        TEST_ACTOR,
        customer.id,
        {"tier": "A", "is_key_account": True, "name": "Solo Trader"},
        region="US",
    )
    assert (changed.account.tier, changed.account.key_account) == ("A", True)
    assert changed.account.organization_id == customer.account.organization_id
    assert changed.account.name == "Solo Trader"  # named after its customer
    history = await customers.store.list_customers_by_id(db.conn, [customer.id])
    assert history[0].account.tier == "A"


async def test_moving_in_and_out_of_an_organization_changes_the_account(
    db: SingleConnectionPool,
) -> None:
    org = await customers.create_organization(db, TEST_ACTOR, {"name": "Depot", "tier": "B"})
    customer = await make_customer(db, "Mover", tier="A")
    personal = customer.account.organization_id
    moved = await customers.update_customer(
        db, TEST_ACTOR, customer.id, {"organization_id": str(org.id)}, region="US"
    )
    assert (moved.organization_id, moved.account.tier, moved.account.personal) == (
        org.id,
        "B",
        False,
    )
    left = await customers.update_customer(
        db, TEST_ACTOR, customer.id, {"organization_id": None}, region="US"
    )
    assert left.organization_id is None and left.account.personal
    assert left.account.organization_id not in {personal, org.id}
    assert left.account.tier is None  # a new, empty personal account
    with pytest.raises(NotFound) as refused:  # a personal account is no organization
        await customers.update_customer(
            db, TEST_ACTOR, moved.id, {"organization_id": str(personal)}, region="US"
        )
    assert refused.value.field == "organization_id"


async def test_personal_accounts_are_never_listed_or_shown_as_organizations(
    db: SingleConnectionPool,
) -> None:
    customer = await make_customer(db, "Unlisted Person", tier="A")
    await customers.create_organization(db, TEST_ACTOR, {"name": "Unlisted Works"})
    found = await customers.list_organizations(db, q="Unlisted")
    assert [o.name for o in found] == ["Unlisted Works"]
    assert await customers.list_organizations(db, tier="A") == []
    with pytest.raises(NotFound):
        await customers.get_organization(db, customer.account.organization_id)
    with pytest.raises(NotFound):
        await customers.update_organization(
            db, TEST_ACTOR, customer.account.organization_id, {"tier": "B"}
        )


async def test_a_customer_found_by_a_new_number_gets_a_personal_account(
    db: SingleConnectionPool,
) -> None:
    resolved = await customers.resolve_by_identity(
        db.conn, customers.IdentityKind.PHONE, "+12025550142", name="Caller", actor=TEST_ACTOR
    )
    account = await customers.account_of(db.conn, resolved.id)
    assert account.personal and account.name == "Caller" and not account.key_account
    assert resolved.organization_id is None


def test_given_account_values_fill_only_what_the_account_leaves_empty() -> None:
    current = {
        "tier": "C",
        "is_key_account": False,
        "account_manager_id": None,
        "route_territory": "",
        "route_weekday": 2,
        "latitude": None,
        "longitude": None,
        "lifecycle_stage": "customer",
    }
    given = {
        "tier": "A",
        "is_key_account": True,
        "route_territory": "East",
        "latitude": 1.0,
        "longitude": 2.0,
        "lifecycle_stage": "dormant",
    }
    assert empty_account_fields(current, given) == {
        "is_key_account": True,
        "latitude": 1.0,
        "longitude": 2.0,
    }
