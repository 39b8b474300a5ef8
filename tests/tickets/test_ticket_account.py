"""Each ticket carries its customer's account (tier, key account), kept exact by the database
on every path that changes it: opening, the account's fields (an organization's, or a personal
account's through its customer), a customer moving account, merges and unmerges."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from contact_center import customers, merges, tickets
from contact_center.tickets import Channel, InboxFilter, Kind, Priority, Viewer
from contact_center.timeutil import utc_now
from tests.builders import TEST_ACTOR, make_customer, make_inbound_sms
from tests.conftest import SingleConnectionPool


async def _account(db: SingleConnectionPool, ticket_id: UUID) -> tuple[str | None, bool]:
    row = await db.conn.fetchrow(
        "SELECT account_tier, account_key FROM tickets WHERE id = $1", ticket_id
    )
    assert row is not None
    return row["account_tier"], row["account_key"]


async def _stale(db: SingleConnectionPool) -> int:
    """Tickets whose copy differs from their customer's account now."""
    return int(
        await db.conn.fetchval(
            "SELECT count(*) FROM tickets t, cc_customer_account(t.customer_id) a"
            " WHERE (t.account_tier, t.account_key) IS DISTINCT FROM (a.tier, a.is_key)"
        )
    )


async def _sms(db: SingleConnectionPool, phone: str) -> UUID:
    return (await tickets.intake(db, make_inbound_sms(from_address=phone), now=utc_now())).ticket_id


async def _walk_in(db: SingleConnectionPool, customer_id: UUID) -> tickets.Ticket:
    """A ticket opened by hand for a customer who came in."""
    return await tickets.open_ticket(
        db,
        TEST_ACTOR,
        customer_id=customer_id,
        subject="Walk-in",
        text="",
        kind=Kind.OTHER,
        channel=Channel.WEB,
        priority=Priority.LOW,
        now=utc_now(),
    )


async def test_tickets_opened_by_intake_and_by_hand_carry_the_account(
    db: SingleConnectionPool,
) -> None:
    org = await customers.create_organization(
        db, TEST_ACTOR, {"name": "Quayside Mills", "tier": "B", "is_key_account": True}
    )
    member = await make_customer(db, "Member", organization_id=str(org.id))
    personal = await make_customer(db, "Own Tier", tier="A")
    plain = await make_customer(db, "Plain")
    assert await _account(db, await _sms(db, member.phones[0])) == ("B", True)
    assert await _account(db, await _sms(db, personal.phones[0])) == ("A", False)
    assert await _account(db, await _sms(db, plain.phones[0])) == (None, False)
    assert await _account(db, await _sms(db, "+12025550199")) == (None, False)  # a new customer
    by_hand = await _walk_in(db, member.id)
    assert await _account(db, by_hand.id) == ("B", True)
    own = await _walk_in(db, personal.id)
    assert await _account(db, own.id) == ("A", False)
    assert own.organization_id is None  # a personal account is no organization


async def test_customer_and_organization_changes_reach_their_tickets(
    db: SingleConnectionPool,
) -> None:
    first = await customers.create_organization(
        db, TEST_ACTOR, {"name": "North Depot", "tier": "C"}
    )
    second = await customers.create_organization(
        db, TEST_ACTOR, {"name": "South Depot", "tier": "A", "is_key_account": True}
    )
    customer = await make_customer(db, "Mover", tier="B")
    ticket = await _sms(db, customer.phones[0])
    closed = await _sms(db, customer.phones[0])
    await tickets.update_ticket(db, TEST_ACTOR, closed, {"status": "resolved"}, now=utc_now())
    assert await _account(db, ticket) == ("B", False)

    # The personal account's facts, written through the customer.
    await customers.update_customer(
        db, TEST_ACTOR, customer.id, {"is_key_account": True}, region="US"
    )
    assert await _account(db, ticket) == ("B", True)

    # Moving into an organization: its account, for open and closed tickets alike.
    await customers.update_customer(
        db, TEST_ACTOR, customer.id, {"organization_id": str(first.id)}, region="US"
    )
    assert await _account(db, ticket) == ("C", False)
    assert await _account(db, closed) == ("C", False)

    await customers.update_organization(db, TEST_ACTOR, first.id, {"tier": "A"})
    await customers.update_organization(db, TEST_ACTOR, first.id, {"is_key_account": True})
    assert await _account(db, ticket) == ("A", True)
    await customers.update_organization(
        db, TEST_ACTOR, first.id, {"tier": None, "is_key_account": False}
    )
    assert await _account(db, ticket) == (None, False)

    await customers.update_customer(
        db, TEST_ACTOR, customer.id, {"organization_id": str(second.id)}, region="US"
    )
    assert await _account(db, ticket) == ("A", True)
    assert await _account(db, closed) == ("A", True)
    # Out again, into a new personal account written in the same change.
    await customers.update_customer(
        db, TEST_ACTOR, customer.id, {"organization_id": None, "is_key_account": True}, region="US"
    )
    assert await _account(db, ticket) == (None, True)
    assert await _stale(db) == 0


async def test_a_merge_moves_the_account_with_the_tickets_and_an_unmerge_moves_it_back(
    db: SingleConnectionPool,
) -> None:
    survivor = await make_customer(db, "Survivor", tier="A", is_key_account=True)
    duplicate = await make_customer(db, "Duplicate", tier="C")
    kept = await _sms(db, survivor.phones[0])
    moved = await _sms(db, duplicate.phones[0])
    assert await _account(db, moved) == ("C", False)

    await merges.merge_customers(db, TEST_ACTOR, survivor.id, duplicate.id)
    assert await _account(db, moved) == ("A", True)
    await merges.unmerge_customer(db, TEST_ACTOR, duplicate.id, any_merge=True)
    assert await _account(db, moved) == ("C", False)
    assert await _account(db, kept) == ("A", True)
    assert await _stale(db) == 0


async def test_account_filters_follow_a_change_of_the_account(db: SingleConnectionPool) -> None:
    org = await customers.create_organization(db, TEST_ACTOR, {"name": "Lantern Wharf"})
    customer = await make_customer(db, "Member", organization_id=str(org.id))
    ticket = await _sms(db, customer.phones[0])
    viewer = Viewer(customer.id)
    later = utc_now() + timedelta(seconds=1)

    async def listed(**where: object) -> bool:
        page = await tickets.list_inbox(db, viewer, InboxFilter(**where), limit=500, now=later)  # type: ignore[arg-type]
        return ticket in {row.id for row in page.items}

    assert not await listed(tier="B") and not await listed(key_account=True)
    await customers.update_organization(
        db, TEST_ACTOR, org.id, {"tier": "B", "is_key_account": True}
    )
    assert await listed(tier="B") and await listed(key_account=True)
    assert not await listed(key_account=False)
