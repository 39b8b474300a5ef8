from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

import pytest

from contact_center import routing
from contact_center.audit import Actor
from contact_center.db import transaction
from contact_center.errors import Conflict, Forbidden
from contact_center.routing import ItemKind, ItemState, Presence, RoutingOptions
from contact_center.timeutil import utc_now
from contact_center.users import Role
from tests.builders import TEST_ACTOR
from tests.conftest import SingleConnectionPool
from tests.routing.helpers import enqueue, make_agent


def actor(user_id: object) -> Actor:
    return Actor(label="agent", user_id=user_id)  # type: ignore[arg-type]


async def offer_of(db: SingleConnectionPool, user_id: object) -> routing.OfferView:
    found = await routing.current_offer(db, user_id)  # type: ignore[arg-type]
    assert found is not None
    return found


async def test_enqueue_is_idempotent_per_call(db: SingleConnectionPool) -> None:
    now = utc_now()
    first, call_id = await enqueue(db, now, kind=ItemKind.CALL)
    again, _ = await enqueue(db, now, kind=ItemKind.CALL, subject=call_id)
    assert again == first


async def test_an_offer_accepted_assigns_the_call_and_queues_its_connection(
    db: SingleConnectionPool,
) -> None:
    now = utc_now()
    agent = await make_agent(db, now)
    item_id, call_id = await enqueue(db, now, kind=ItemKind.CALL)
    assert await routing.dispatch(db, now=now) == 1
    view = await offer_of(db, agent.id)
    assert view.item.id == item_id and view.offer.expires_at == now + timedelta(seconds=20)
    assignment = await routing.accept_offer(db, actor(agent.id), view.offer.id, now=now)
    assert assignment.call_id == call_id and assignment.kind is ItemKind.CALL
    jobs = await db.conn.fetchval(
        "SELECT count(*) FROM pgqueuer WHERE entrypoint = 'call-connect' AND payload = $1",
        str(call_id).encode(),
    )
    assert jobs == 1
    state = await routing.get_agent(db, agent.id, now=now)
    assert state.voice_load == 1
    again = await routing.accept_offer(db, actor(agent.id), view.offer.id, now=now)
    assert again == assignment  # a retried click
    with pytest.raises(Conflict):
        await routing.reject_offer(db, actor(agent.id), view.offer.id, now=now)


async def test_someone_elses_offer_cannot_be_accepted(db: SingleConnectionPool) -> None:
    now = utc_now()
    agent = await make_agent(db, now)
    await enqueue(db, now)
    await routing.dispatch(db, now=now)
    view = await offer_of(db, agent.id)
    with pytest.raises(Forbidden):
        await routing.accept_offer(db, actor(uuid4()), view.offer.id, now=now)


async def test_a_full_agent_gets_no_second_call(db: SingleConnectionPool) -> None:
    now = utc_now()
    agent = await make_agent(db, now)
    await enqueue(db, now, kind=ItemKind.CALL)
    await enqueue(db, now, kind=ItemKind.CALL)
    await routing.dispatch(db, now=now)
    view = await offer_of(db, agent.id)
    await routing.accept_offer(db, actor(agent.id), view.offer.id, now=now)
    assert await routing.dispatch(db, now=now) == 0
    await routing.finish_item(db.conn, call_id=view.item.call_id, now=now)
    assert await routing.dispatch(db, now=now) == 1


async def test_a_rejected_item_goes_to_another_agent(db: SingleConnectionPool) -> None:
    now = utc_now()
    first = await make_agent(db, now)
    second = await make_agent(db, now + timedelta(seconds=1))
    await enqueue(db, now)
    await routing.dispatch(db, now=now)
    view = await offer_of(db, first.id)  # idle longest
    await routing.reject_offer(db, actor(first.id), view.offer.id, now=now)
    assert await routing.dispatch(db, now=now) == 1
    assert (await offer_of(db, second.id)).item.id == view.item.id


async def test_three_offers_let_expire_set_the_agent_away(db: SingleConnectionPool) -> None:
    now = utc_now()
    agent = await make_agent(db, now)
    options = RoutingOptions(voice_offer_seconds=20)
    for n in range(3):
        at = now + timedelta(seconds=30 * n)
        await enqueue(db, at)
        assert await routing.dispatch(db, now=at, options=options) == 1
        assert await routing.expire_offers(db, now=at + timedelta(seconds=21)) == 1
    state = await routing.get_agent(db, agent.id, now=now)
    assert state.presence is Presence.AWAY and state.reason == "missed offers"
    assert state.voice_load == 0
    assert await routing.dispatch(db, now=now + timedelta(minutes=5)) == 0


async def test_cancel_withdraws_the_pending_offer(db: SingleConnectionPool) -> None:
    now = utc_now()
    agent = await make_agent(db, now)
    _, call_id = await enqueue(db, now, kind=ItemKind.CALL)
    await routing.dispatch(db, now=now)
    async with transaction(db) as conn:
        await routing.cancel_item(conn, call_id=call_id, reason="abandoned", now=now)
    assert await routing.current_offer(db, agent.id) is None
    assert (await routing.get_agent(db, agent.id, now=now)).voice_load == 0


async def test_going_offline_gives_the_offer_back(db: SingleConnectionPool) -> None:
    now = utc_now()
    agent = await make_agent(db, now)
    item_id, _ = await enqueue(db, now)
    await routing.dispatch(db, now=now)
    await routing.set_presence(db, TEST_ACTOR, agent.id, Presence.OFFLINE, "home", now=now)
    assert await routing.current_offer(db, agent.id) is None
    other = await make_agent(db, now)
    await routing.dispatch(db, now=now)
    assert (await offer_of(db, other.id)).item.id == item_id


async def test_the_preferred_agent_is_offered_first(db: SingleConnectionPool) -> None:
    now = utc_now()
    await make_agent(db, now - timedelta(hours=1))  # idle longer
    manager = await make_agent(db, now)
    await enqueue(db, now, preferred=(manager.id,))
    await routing.dispatch(db, now=now)
    view = await offer_of(db, manager.id)
    assert view.offer.reason == "preferred"


async def test_skills_are_required_until_the_item_widens(db: SingleConnectionPool) -> None:
    now = utc_now()
    agent = await make_agent(db, now)  # no "complaints" skill
    await enqueue(db, now, queue="complaint")
    assert await routing.dispatch(db, now=now) == 0
    assert await routing.dispatch(db, now=now + timedelta(seconds=121)) == 1
    assert (await offer_of(db, agent.id)).offer.reason == "widened"


async def test_a_supervisor_assigns_by_hand(db: SingleConnectionPool) -> None:
    now = utc_now()
    first = await make_agent(db, now)
    second = await make_agent(db, now)
    item_id, _ = await enqueue(db, now)
    await routing.dispatch(db, now=now)
    offered_to = first.id if await routing.current_offer(db, first.id) else second.id
    other = second.id if offered_to == first.id else first.id
    done = await routing.assign_item(db, TEST_ACTOR, item_id, other, now=now)
    assert done.user_id == other
    assert (await routing.get_agent(db, offered_to, now=now)).voice_load == 0
    assert (await routing.get_agent(db, other, now=now)).voice_load == 1
    with pytest.raises(Conflict):  # the other agent's one voice line is taken
        second_item, _ = await enqueue(db, now)
        await routing.assign_item(db, TEST_ACTOR, second_item, other, now=now)


async def test_queue_position_counts_callers_ahead(db: SingleConnectionPool) -> None:
    now = utc_now()
    await enqueue(db, now, kind=ItemKind.CALL)
    _, call_id = await enqueue(db, now + timedelta(seconds=1), kind=ItemKind.CALL)
    urgent = await enqueue(db, now + timedelta(seconds=2), kind=ItemKind.CALL, priority="urgent")  # type: ignore[arg-type]
    async with transaction(db) as conn:
        assert await routing.queue_position(conn, call_id=call_id, now=now) == (3, 180)
        assert await routing.queue_position(conn, call_id=urgent[1], now=now) == (1, 60)
        assert await routing.queue_position(conn, call_id=uuid4(), now=now) is None


async def test_the_board_shows_waiting_work_and_agents(db: SingleConnectionPool) -> None:
    now = utc_now()
    agent = await make_agent(db, now, role=Role.SUPERVISOR)
    await routing.set_presence(db, TEST_ACTOR, agent.id, Presence.BUSY, "training", now=now)
    await enqueue(db, now - timedelta(seconds=30), kind=ItemKind.CALL)
    board = await routing.board(db, now=now, day_start=now - timedelta(hours=1))
    general = next(q for q in board["queues"] if q["name"] == "general")
    assert general["waiting"] == {"voice": 1} and general["longest_wait_seconds"] == 30
    assert general["items"][0]["customer_name"] == "Test Caller"
    mine = next(a for a in board["agents"] if a["user_id"] == agent.id)
    assert mine["presence"] == "busy" and mine["reason"] == "training"


async def test_enum_values_match_the_check_constraints(db: SingleConnectionPool) -> None:
    checks = {
        "agents_presence_check": routing.Presence,
        "work_items_kind_check": routing.ItemKind,
        "work_items_state_check": routing.ItemState,
        "work_items_priority_check": routing.Priority,
        "offers_outcome_check": routing.OfferOutcome,
        "offers_workload_check": routing.Workload,
    }
    for name, enum in checks.items():
        definition = await db.conn.fetchval(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = $1", name
        )
        allowed = {part.split("'")[1] for part in definition.split("ARRAY[")[1].split(",")}
        assert allowed == {e.value for e in enum}, name
    assert ItemState.CANCELLED.value == "cancelled"


async def test_agents_without_room_for_the_waiting_work_do_not_crowd_the_claim(
    db: SingleConnectionPool,
) -> None:
    now = utc_now()
    for _ in range(2):  # idle longest, room only for messaging
        await make_agent(db, now - timedelta(hours=1), voice_capacity=0)
    caller_taker = await make_agent(db, now)
    await enqueue(db, now, kind=ItemKind.CALL)
    # A round claims twice its batch of agents: here two.
    assert await routing.dispatch(db, now=now, options=RoutingOptions(batch=1)) == 1
    assert await routing.current_offer(db, caller_taker.id) is not None


async def test_a_call_already_with_its_agent_cannot_be_reassigned(
    db: SingleConnectionPool,
) -> None:
    now = utc_now()
    agent = await make_agent(db, now)
    item_id, _ = await enqueue(db, now, kind=ItemKind.CALL)
    await routing.dispatch(db, now=now)
    view = await offer_of(db, agent.id)
    await routing.accept_offer(db, actor(agent.id), view.offer.id, now=now)
    other = await make_agent(db, now)
    with pytest.raises(Conflict):
        await routing.assign_item(db, TEST_ACTOR, item_id, other.id, now=now)
    assert (await routing.get_agent(db, agent.id, now=now)).voice_load == 1


async def test_handled_today_counts_in_the_sites_day(db: SingleConnectionPool) -> None:
    evening = datetime(2026, 12, 5, 20, 0, tzinfo=UTC)  # already the 6th in Shanghai
    options = RoutingOptions(site_timezone="Asia/Shanghai")
    agent = await make_agent(db, evening)
    await enqueue(db, evening)
    assert await routing.dispatch(db, now=evening, options=options) == 1
    view = await offer_of(db, agent.id)
    await routing.accept_offer(db, actor(agent.id), view.offer.id, now=evening, options=options)
    day = await db.conn.fetchval("SELECT handled_day FROM agents WHERE user_id = $1", agent.id)
    assert day == date(2026, 12, 6)
    next_morning = datetime(2026, 12, 6, 1, 0, tzinfo=UTC)
    later = await routing.get_agent(db, agent.id, now=next_morning, options=options)
    assert later.handled_today == 1
