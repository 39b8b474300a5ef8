"""Tickets and routing: SMS and email tickets wait for an agent; done or hand-assigned
tickets leave the line; an accepted offer makes the agent the assignee."""

from __future__ import annotations

from contact_center import routing, tickets
from contact_center.routing import ItemKind, Presence, Priority
from contact_center.tickets import Status
from contact_center.timeutil import utc_now
from contact_center.users import Role
from tests.builders import TEST_ACTOR, make_customer, make_inbound_sms, make_user, unique_phone
from tests.conftest import SingleConnectionPool
from tests.routing.helpers import make_agent


async def live_item(db: SingleConnectionPool, ticket_id: object) -> dict[str, object] | None:
    row = await db.conn.fetchrow(
        "SELECT kind, state, channel, priority, preferred_agent_ids, assigned_to FROM work_items"
        " WHERE ticket_id = $1 AND state IN ('waiting', 'offered', 'assigned')",
        ticket_id,
    )
    return dict(row) if row is not None else None


async def test_a_new_sms_ticket_waits_for_an_agent_once(db: SingleConnectionPool) -> None:
    phone = unique_phone()
    first = await tickets.intake(db, make_inbound_sms(from_address=phone), now=utc_now())
    again = await tickets.intake(db, make_inbound_sms(from_address=phone), now=utc_now())
    assert again.ticket_id == first.ticket_id
    item = await live_item(db, first.ticket_id)
    assert item is not None and item["kind"] == "ticket" and item["channel"] == "sms"
    count = await db.conn.fetchval(
        "SELECT count(*) FROM work_items WHERE ticket_id = $1", first.ticket_id
    )
    assert count == 1


async def test_a_key_accounts_manager_is_preferred(db: SingleConnectionPool) -> None:
    manager = await make_user(db, Role.ACCOUNT_MANAGER)
    customer = await make_customer(db, is_key_account=True, account_manager_id=str(manager.id))
    result = await tickets.intake(
        db, make_inbound_sms(from_address=customer.phones[0]), now=utc_now()
    )
    item = await live_item(db, result.ticket_id)
    assert item is not None
    assert item["preferred_agent_ids"] == [manager.id] and item["priority"] == Priority.URGENT


async def test_accepting_makes_the_agent_the_assignee_and_resolving_frees_them(
    db: SingleConnectionPool,
) -> None:
    now = utc_now()
    agent = await make_agent(db, now, skills=["orders", "complaints"])
    result = await tickets.intake(db, make_inbound_sms(), now=now)
    await routing.dispatch(db, now=now)
    view = await routing.current_offer(db, agent.id)
    assert view is not None and view.item.kind is ItemKind.TICKET
    actor = TEST_ACTOR.__class__(label="agent", user_id=agent.id)
    await routing.accept_offer(db, actor, view.offer.id, now=now)
    ticket, _ = await tickets.get_ticket(db, result.ticket_id)
    assert ticket.assignee_id == agent.id
    async with db.acquire() as conn:
        assert await tickets.last_agent_for(conn, ticket.customer_id) == agent.id
    assert (await routing.get_agent(db, agent.id, now=now)).messaging_load == 1
    await tickets.update_ticket(db, TEST_ACTOR, ticket.id, {"status": "resolved"}, now=now)
    assert await live_item(db, ticket.id) is None
    assert (await routing.get_agent(db, agent.id, now=now)).messaging_load == 0


async def test_assigning_by_hand_takes_the_ticket_out_of_the_line(
    db: SingleConnectionPool,
) -> None:
    now = utc_now()
    someone = await make_user(db, Role.AGENT)
    result = await tickets.intake(db, make_inbound_sms(), now=now)
    assert await live_item(db, result.ticket_id) is not None
    await tickets.update_ticket(
        db, TEST_ACTOR, result.ticket_id, {"assignee_id": str(someone.id)}, now=now
    )
    assert await live_item(db, result.ticket_id) is None
    await routing.set_presence(db, TEST_ACTOR, someone.id, Presence.AVAILABLE, "", now=now)
    assert await routing.dispatch(db, now=now) == 0
    ticket, _ = await tickets.get_ticket(db, result.ticket_id)
    assert ticket.status is not Status.RESOLVED


async def test_unassigning_frees_the_agents_slot_and_the_ticket_waits_again(
    db: SingleConnectionPool,
) -> None:
    now = utc_now()
    agent = await make_agent(db, now, skills=["orders", "complaints"])
    result = await tickets.intake(db, make_inbound_sms(), now=now)
    await routing.dispatch(db, now=now)
    view = await routing.current_offer(db, agent.id)
    assert view is not None
    actor = TEST_ACTOR.__class__(label="agent", user_id=agent.id)
    await routing.accept_offer(db, actor, view.offer.id, now=now)
    assert (await routing.get_agent(db, agent.id, now=now)).messaging_load == 1
    await tickets.update_ticket(db, TEST_ACTOR, result.ticket_id, {"assignee_id": None}, now=now)
    assert (await routing.get_agent(db, agent.id, now=now)).messaging_load == 0
    item = await live_item(db, result.ticket_id)
    assert item is not None and item["state"] == "waiting"


async def test_a_waiting_ticket_follows_a_new_queue_and_priority_in_its_place(
    db: SingleConnectionPool,
) -> None:
    now = utc_now()
    result = await tickets.intake(db, make_inbound_sms(), now=now)
    changes = {"queue": "order", "priority": "high"}
    await tickets.update_ticket(db, TEST_ACTOR, result.ticket_id, changes, now=now)
    row = await db.conn.fetchrow(
        "SELECT queue, priority, enqueued_at FROM work_items"
        " WHERE ticket_id = $1 AND state = 'waiting'",
        result.ticket_id,
    )
    assert row is not None and (row["queue"], row["priority"]) == ("order", "high")
    assert row["enqueued_at"] == now  # its place in line kept
