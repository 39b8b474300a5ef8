"""An account with three complaints within 90 days is at risk: on its card, in its account
manager's list, and announced once when a complaint makes it so."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from contact_center import live, tickets, workflows
from contact_center.tickets import Channel
from contact_center.timeutil import utc_now
from contact_center.users import Role
from tests.builders import TEST_ACTOR, make_customer, make_inbound_sms, make_organization, make_user
from tests.conftest import SingleConnectionPool

COMPLAINT = "I want to complain, the courier was rude"


async def complain(db: SingleConnectionPool, phone: str, at: datetime) -> UUID:
    """A classified complaint by SMS from this phone, on a ticket of its own."""
    result = await tickets.intake(db, make_inbound_sms(from_address=phone, text=COMPLAINT), now=at)
    assert result.opened_ticket
    return result.ticket_id


async def risk_events(db: SingleConnectionPool, account_id: UUID) -> list[live.LiveEvent]:
    missed = await live.read_missed(db, after=0, upto=2**62)
    return [
        e
        for e in missed.events
        if e.name == "account.at_risk" and e.payload["account_id"] == str(account_id)
    ]


async def test_the_third_complaint_in_90_days_puts_the_account_at_risk_once(
    db: SingleConnectionPool,
) -> None:
    manager = await make_user(db, Role.ACCOUNT_MANAGER)
    org = await make_organization(db, "Harbour Cafe", account_manager_id=str(manager.id))
    ann = await make_customer(db, "Ann", organization_id=str(org.id))
    bob = await make_customer(db, "Bob", organization_id=str(org.id))
    now = utc_now()
    # Weeks apart, so that each complaint opens a ticket of its own.
    first = await complain(db, ann.phones[0], now - timedelta(days=60))
    await complain(db, bob.phones[0], now - timedelta(days=30))
    summary = await tickets.customer_summary(db, ann.id, now=now - timedelta(days=1))
    assert summary.at_risk is None and await risk_events(db, org.id) == []
    third = await complain(db, ann.phones[0], now)
    summary = await tickets.customer_summary(db, bob.id, now=now)
    assert summary.at_risk is not None
    assert (summary.at_risk.complaints, summary.at_risk.days) == (3, 90)
    assert [t.ticket_id for t in summary.at_risk.tickets][::2] == [third, first]
    [event] = await risk_events(db, org.id)
    assert event.payload["account_manager_id"] == str(manager.id)
    assert event.payload["ticket_id"] == str(third)
    _, messages = await tickets.get_ticket(db, third)
    assert any(m.channel is Channel.NOTE and "at risk" in m.body_text for m in messages)
    await complain(db, bob.phones[0], now + timedelta(days=7))
    assert len(await risk_events(db, org.id)) == 1


async def test_old_and_undone_complaints_do_not_count(db: SingleConnectionPool) -> None:
    customer = await make_customer(db, "Chen Wei")
    now = utc_now()
    await complain(db, customer.phones[0], now - timedelta(days=150))
    undone = await complain(db, customer.phones[0], now - timedelta(days=60))
    await workflows.undo_classification(db, TEST_ACTOR, undone, now=now - timedelta(days=59))
    await complain(db, customer.phones[0], now - timedelta(days=45))
    await complain(db, customer.phones[0], now - timedelta(days=30))
    summary = await tickets.customer_summary(db, customer.id, now=now - timedelta(days=30))
    assert summary.at_risk is None
    await complain(db, customer.phones[0], now - timedelta(days=15))
    summary = await tickets.customer_summary(db, customer.id, now=now - timedelta(days=15))
    assert summary.at_risk is not None and summary.at_risk.complaints == 3


async def test_an_account_manager_lists_only_their_accounts_at_risk(
    db: SingleConnectionPool,
) -> None:
    mine, theirs = (
        await make_user(db, Role.ACCOUNT_MANAGER),
        await make_user(db, Role.ACCOUNT_MANAGER),
    )
    now = utc_now()
    accounts = {}
    for manager in (mine, theirs):
        org = await make_organization(
            db, f"Shop of {manager.email}", account_manager_id=str(manager.id)
        )
        member = await make_customer(db, "Member", organization_id=str(org.id))
        for days in (50, 25, 0):
            await complain(db, member.phones[0], now - timedelta(days=days))
        accounts[manager.id] = org.id
    listed = await workflows.accounts_at_risk(db, manager_id=mine.id, now=now)
    assert [a["account_id"] for a in listed] == [accounts[mine.id]]
    assert listed[0]["complaints"] == 3 and len(listed[0]["tickets"]) == 3
    everyone = await workflows.accounts_at_risk(db, manager_id=None, now=now)
    assert set(accounts.values()) <= {a["account_id"] for a in everyone}


async def test_an_agent_marking_the_third_complaint_puts_the_account_at_risk(
    db: SingleConnectionPool,
) -> None:
    customer = await make_customer(db, "Dana Ortiz")
    now = utc_now()
    await complain(db, customer.phones[0], now - timedelta(days=40))
    await complain(db, customer.phones[0], now - timedelta(days=20))
    asked = await tickets.intake(
        db, make_inbound_sms(from_address=customer.phones[0], text="Where is my parcel?"), now=now
    )
    assert await risk_events(db, customer.account.organization_id) == []
    await tickets.update_ticket(db, TEST_ACTOR, asked.ticket_id, {"kind": "complaint"}, now=now)
    [event] = await risk_events(db, customer.account.organization_id)
    assert event.payload["ticket_id"] == str(asked.ticket_id)
