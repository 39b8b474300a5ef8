"""The inbox read model: views, filters, counts, sorts and keyset pages over real tickets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest

from contact_center import customers, tickets, workflows
from contact_center.audit import Actor
from contact_center.errors import Invalid
from contact_center.tickets import (
    Channel,
    InboxFilter,
    Kind,
    Priority,
    Sort,
    Status,
    View,
    Viewer,
)
from contact_center.timeutil import utc_now
from contact_center.users import Role, User
from tests.builders import (
    TEST_ACTOR,
    make_customer,
    make_inbound_email,
    make_inbound_sms,
    make_user,
)
from tests.conftest import SingleConnectionPool


@dataclass
class Desk:
    """Two agents and five active tickets of different kinds, plus one resolved."""

    me: User
    other: User
    start: datetime
    question: UUID  # SMS inquiry, new, unassigned
    complaint: UUID  # SMS complaint, assigned to the other agent, tagged
    key_order: UUID  # email from a key-account customer (tier A), new, unassigned
    org_question: UUID  # SMS from a member of a key-account organization (tier B)
    walk_in: UUID  # opened by hand by me: open, assigned to me
    resolved: UUID

    @property
    def viewer(self) -> Viewer:
        return Viewer(self.me.id, ["complaint"])


async def _intake(db: SingleConnectionPool, contact: Any, at: datetime) -> UUID:
    return (await tickets.intake(db, contact, now=at)).ticket_id


@pytest.fixture
async def desk(db: SingleConnectionPool) -> Desk:
    me, other = await make_user(db, Role.AGENT), await make_user(db, Role.AGENT)
    start = utc_now() - timedelta(hours=3)
    await make_customer(
        db, "Key Customer", emails=["buyer@key.example"], tier="A", is_key_account=True
    )
    org = await customers.create_organization(
        db, TEST_ACTOR, {"name": "Harbour Traders", "tier": "B", "is_key_account": True}
    )
    member = await make_customer(db, "Member", organization_id=str(org.id))
    question = await _intake(db, make_inbound_sms(text="When do you open?"), start)
    complaint = await _intake(
        db, make_inbound_sms(text="店员态度很差，我要投诉。"), start + timedelta(minutes=1)
    )
    key_order = await _intake(
        db,
        make_inbound_email(from_address="buyer@key.example", subject="Spring order"),
        start + timedelta(minutes=2),
    )
    org_question = await _intake(
        db,
        make_inbound_sms(from_address=member.phones[0], text="Price?"),
        start + timedelta(minutes=3),
    )
    walk_in = await tickets.open_ticket(
        db,
        Actor(label=me.email, user_id=me.id),
        customer_id=member.id,
        subject="Walk-in",
        text="",
        kind=Kind.OTHER,
        channel=Channel.WEB,
        priority=Priority.LOW,
        now=start + timedelta(minutes=4),
    )
    resolved = await _intake(db, make_inbound_sms(text="thanks"), start + timedelta(minutes=5))
    at = start + timedelta(minutes=6)
    await tickets.update_ticket(
        db, TEST_ACTOR, complaint, {"assignee_id": str(other.id), "tags": ["Rude"]}, now=at
    )
    await tickets.update_ticket(db, TEST_ACTOR, resolved, {"status": "resolved"}, now=at)
    return Desk(
        me, other, start, question, complaint, key_order, org_question, walk_in.id, resolved
    )


async def first_response_due(db: SingleConnectionPool, ticket_id: UUID) -> datetime | None:
    """The first-response clock's due time, which the inbox shows as the ticket's."""
    shown = await workflows.ticket_clocks(db, ticket_id, now=utc_now())
    (clock,) = [c for c in shown["clocks"] if c["kind"] == "first_response"]
    due: datetime | None = clock["due_at"]
    return due


async def _ids(
    db: SingleConnectionPool, desk: Desk, now: datetime | None = None, **where: Any
) -> list[UUID]:
    page = await tickets.list_inbox(
        db, desk.viewer, InboxFilter(**where), limit=50, now=now or utc_now()
    )
    return [row.id for row in page.items]


async def test_each_view_lists_its_active_tickets(db: SingleConnectionPool, desk: Desk) -> None:
    assert await _ids(db, desk, view=View.MINE) == [desk.walk_in]
    assert await _ids(db, desk, view=View.QUEUES) == [desk.complaint]
    assert set(await _ids(db, desk, view=View.UNASSIGNED)) == {
        desk.question,
        desk.key_order,
        desk.org_question,
    }
    everything = await _ids(db, desk, view=View.OPEN)
    assert set(everything) == {
        desk.question,
        desk.complaint,
        desk.key_order,
        desk.org_question,
        desk.walk_in,
    }
    assert desk.resolved not in everything


async def test_counts_are_exact_for_every_view_and_follow_the_filters(
    db: SingleConnectionPool, desk: Desk
) -> None:
    page = await tickets.list_inbox(db, desk.viewer, InboxFilter(view=View.MINE), now=utc_now())
    assert (page.counts.mine, page.counts.queues, page.counts.unassigned, page.counts.open) == (
        1,
        1,
        3,
        5,
    )
    sms = await tickets.list_inbox(
        db, desk.viewer, InboxFilter(channel=[Channel.SMS]), now=utc_now()
    )
    assert (sms.counts.mine, sms.counts.queues, sms.counts.unassigned, sms.counts.open) == (
        0,
        1,
        2,
        3,
    )
    key = await tickets.list_inbox(db, desk.viewer, InboxFilter(key_account=True), now=utc_now())
    assert (key.counts.mine, key.counts.unassigned, key.counts.open) == (1, 2, 3)


async def test_filters_narrow_the_list(db: SingleConnectionPool, desk: Desk) -> None:
    assert await _ids(db, desk, kind=[Kind.COMPLAINT]) == [desk.complaint]
    assert await _ids(db, desk, channel=[Channel.EMAIL]) == [desk.key_order]
    assert await _ids(db, desk, status=[Status.OPEN]) == [desk.walk_in]
    assert await _ids(db, desk, tier="A") == [desk.key_order]
    assert set(await _ids(db, desk, tier="B")) == {desk.org_question, desk.walk_in}
    assert set(await _ids(db, desk, key_account=True)) == {
        desk.key_order,
        desk.org_question,
        desk.walk_in,
    }
    assert set(await _ids(db, desk, key_account=False)) == {desk.question, desk.complaint}
    assert await _ids(db, desk, tag="  RUDE ") == [desk.complaint]
    assert await _ids(db, desk, tag="unknown") == []


async def test_overdue_filter_matches_the_overdue_decision(
    db: SingleConnectionPool, desk: Desk
) -> None:
    """Past every target, the tickets still awaiting a first answer are overdue; a pending one
    is not. Before any target, none is."""
    await tickets.update_ticket(db, TEST_ACTOR, desk.question, {"status": "pending"}, now=utc_now())
    later = utc_now() + timedelta(days=30)  # past every business-time target
    late = await tickets.list_inbox(db, desk.viewer, InboxFilter(overdue=True), now=later)
    assert {r.id for r in late.items} == {
        desk.complaint,
        desk.key_order,
        desk.org_question,
        desk.walk_in,
    }
    assert all(r.overdue for r in late.items)
    on_time = await tickets.list_inbox(db, desk.viewer, InboxFilter(overdue=False), now=later)
    assert [r.id for r in on_time.items] == [desk.question]
    assert not any(r.overdue for r in on_time.items)
    early = desk.start - timedelta(minutes=1)
    assert await _ids(db, desk, now=early, overdue=True) == []


async def test_rows_carry_customer_account_assignee_tags_and_due_time(
    db: SingleConnectionPool, desk: Desk
) -> None:
    page = await tickets.list_inbox(db, desk.viewer, InboxFilter(), now=utc_now())
    rows = {r.id: r for r in page.items}
    complaint, key_order = rows[desk.complaint], rows[desk.key_order]
    assert complaint.tags == ["rude"] and complaint.queue == "complaint"
    assert complaint.assignee is not None and complaint.assignee.id == desk.other.id
    assert complaint.priority is Priority.HIGH
    assert complaint.due_at == await first_response_due(db, desk.complaint)
    assert key_order.customer.name == "Key Customer"
    assert (key_order.customer.tier, key_order.customer.is_key_account) == ("A", True)
    assert rows[desk.walk_in].due_at == await first_response_due(db, desk.walk_in)
    assert complaint.due_at is not None and complaint.due_at > desk.start


async def test_sort_orders(db: SingleConnectionPool, desk: Desk) -> None:
    opened = [desk.question, desk.complaint, desk.key_order, desk.org_question, desk.walk_in]
    assert await _ids(db, desk) == opened[::-1]  # latest message first
    assert await _ids(db, desk, sort=Sort.OLDEST) == opened
    # urgent (the key account, the key organization's member) oldest first, then high (the
    # complaint), normal, low (routing.priority_for)
    by_urgency = [desk.key_order, desk.org_question, desk.complaint, desk.question, desk.walk_in]
    assert await _ids(db, desk, sort=Sort.PRIORITY) == by_urgency
    # due soonest first (business time: tickets opened while closed may share a due time)
    by_due = await _ids(db, desk, sort=Sort.DUE)
    dues = [await first_response_due(db, ticket_id) for ticket_id in by_due]
    assert set(by_due) == set(by_urgency)
    assert dues == sorted(dues, key=lambda due: due or datetime.max.replace(tzinfo=UTC))


async def test_pages_have_no_duplicates_or_gaps_in_every_sort_even_with_new_tickets(
    db: SingleConnectionPool, desk: Desk
) -> None:
    for n in range(6):
        await _intake(db, make_inbound_sms(text=f"more {n}"), desk.start + timedelta(minutes=10))
    for sort in Sort:
        whole = await _ids(db, desk, sort=sort)
        seen: list[UUID] = []
        cursor: str | None = None
        while True:
            page = await tickets.list_inbox(
                db, desk.viewer, InboxFilter(sort=sort), cursor=cursor, limit=2, now=utc_now()
            )
            seen += [r.id for r in page.items]
            if len(seen) == 4:  # a ticket arrives while the agent pages
                await _intake(db, make_inbound_sms(text="late"), utc_now())
            cursor = page.next_cursor
            if cursor is None:
                break
        assert len(seen) == len(set(seen)), sort
        assert [i for i in seen if i in whole] == whole, sort


async def test_the_inbox_lists_active_tickets_only(db: SingleConnectionPool, desk: Desk) -> None:
    with pytest.raises(Invalid) as raised:
        await _ids(db, desk, status=[Status.RESOLVED])
    assert raised.value.field == "status"
