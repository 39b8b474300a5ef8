"""Administering queues against the database: create, change, the default flag moving, renames
refused while something refers to a queue, the audit trail and the live event."""

from __future__ import annotations

import pytest

from contact_center import audit, routing, tickets, users
from contact_center.db import Conn
from contact_center.errors import Conflict, Invalid, NotFound
from contact_center.timeutil import utc_now
from tests.builders import TEST_ACTOR, make_customer, make_user
from tests.conftest import SingleConnectionPool


async def events(conn: Conn, name: str) -> list[dict[str, object]]:
    rows = await conn.fetch("SELECT payload FROM events WHERE name = $1 ORDER BY id", name)
    return [dict(row["payload"]) for row in rows]


async def test_the_seeded_queues_are_listed(db: SingleConnectionPool) -> None:
    queues = {q.name: q for q in await routing.list_queues(db)}
    assert {"general", "complaint", "order"} <= set(queues)
    assert queues["general"].is_default
    assert queues["complaint"].overflow_queue == "general"


async def test_no_such_queue(db: SingleConnectionPool) -> None:
    with pytest.raises(NotFound, match="no such queue: nowhere"):
        await routing.get_queue(db, "nowhere")
    with pytest.raises(NotFound):
        await routing.update_queue(db, TEST_ACTOR, "nowhere", {"label": "x"}, now=utc_now())


async def test_a_new_queue_is_stored_audited_and_announced(
    db: SingleConnectionPool, conn: Conn
) -> None:
    made = await routing.create_queue(
        db,
        TEST_ACTOR,
        {"name": "vip", "label": "Key accounts", "skills": ["vip"], "overflow_queue": "general"},
        now=utc_now(),
    )
    assert await routing.get_queue(db, "vip") == made
    trail = await audit.list_entries(conn, "queue", ["vip"])
    assert [e.action for e in trail] == ["created"]
    assert {"queue": "vip"} in await events(conn, "queue.updated")
    assert await routing.queue_for_kind(conn, "order") == "order"


async def test_a_taken_name_is_a_conflict(db: SingleConnectionPool) -> None:
    with pytest.raises(Conflict, match="a queue named order exists"):
        await routing.create_queue(db, TEST_ACTOR, {"name": "order"}, now=utc_now())


async def test_a_kind_another_queue_takes_is_refused(db: SingleConnectionPool) -> None:
    with pytest.raises(Invalid, match="'order' is already taken by queue 'order'"):
        await routing.create_queue(
            db, TEST_ACTOR, {"name": "sales", "kinds": ["order"]}, now=utc_now()
        )


async def test_moving_a_kind_between_queues_in_two_steps(
    db: SingleConnectionPool, conn: Conn
) -> None:
    await routing.update_queue(db, TEST_ACTOR, "order", {"kinds": []}, now=utc_now())
    await routing.create_queue(db, TEST_ACTOR, {"name": "sales", "kinds": ["order"]}, now=utc_now())
    assert await routing.queue_for_kind(conn, "order") == "sales"


async def test_a_change_is_audited_with_the_fields_that_changed(
    db: SingleConnectionPool, conn: Conn
) -> None:
    hours = {"sat": [["09:00", "13:00"]]}
    after = await routing.update_queue(
        db, TEST_ACTOR, "order", {"hours": hours, "strategy": "round_robin"}, now=utc_now()
    )
    assert after.hours == hours
    assert after.strategy is routing.Strategy.ROUND_ROBIN
    (entry,) = await audit.list_entries(conn, "queue", ["order"])
    assert entry.after == {"hours": hours, "strategy": "round_robin"}
    assert entry.before is not None and entry.before["strategy"] == "longest_idle"


async def test_changing_nothing_writes_nothing(db: SingleConnectionPool, conn: Conn) -> None:
    await routing.update_queue(db, TEST_ACTOR, "order", {"label": "Orders"}, now=utc_now())
    assert await audit.list_entries(conn, "queue", ["order"]) == []
    assert await events(conn, "queue.updated") == []


async def test_making_a_queue_the_default_takes_the_flag_from_the_old_one(
    db: SingleConnectionPool, conn: Conn
) -> None:
    await routing.update_queue(db, TEST_ACTOR, "order", {"is_default": True}, now=utc_now())
    queues = {q.name: q for q in await routing.list_queues(db)}
    assert [n for n, q in queues.items() if q.is_default] == ["order"]
    assert await routing.queue_for_kind(conn, "inquiry") == "general"  # still listed there
    assert await routing.queue_for_kind(conn, "unlisted") == "order"
    (entry,) = await audit.list_entries(conn, "queue", ["general"])
    assert entry.after == {"is_default": False}
    assert await events(conn, "queue.updated") == [{"queue": "order"}, {"queue": "general"}]


async def test_the_default_queue_cannot_stop_being_the_default(db: SingleConnectionPool) -> None:
    with pytest.raises(Invalid, match="make another queue the default") as refused:
        await routing.update_queue(db, TEST_ACTOR, "general", {"is_default": False}, now=utc_now())
    assert refused.value.field == "is_default"


async def test_an_overflow_circle_is_refused(db: SingleConnectionPool) -> None:
    with pytest.raises(Invalid, match="circle: general → order → general"):
        await routing.update_queue(
            db, TEST_ACTOR, "general", {"overflow_queue": "order"}, now=utc_now()
        )


async def test_an_unused_queue_may_be_renamed(db: SingleConnectionPool, conn: Conn) -> None:
    await routing.create_queue(db, TEST_ACTOR, {"name": "retrns"}, now=utc_now())
    renamed = await routing.update_queue(
        db, TEST_ACTOR, "retrns", {"name": "returns"}, now=utc_now()
    )
    assert renamed.name == "returns"
    assert not await routing.queue_exists(conn, "retrns")
    assert {"queue": "returns", "renamed_from": "retrns"} in await events(conn, "queue.updated")


async def test_a_queue_with_tickets_keeps_its_name(db: SingleConnectionPool) -> None:
    customer = await make_customer(db)
    await tickets.open_ticket(
        db,
        TEST_ACTOR,
        customer_id=customer.id,
        subject="Late parcel",
        text="Where is it?",
        kind=tickets.Kind.ORDER,
        channel=tickets.Channel.WEB,
        priority=None,
        now=utc_now(),
    )
    with pytest.raises(Conflict, match="queue order keeps its name: 1 tickets"):
        await routing.update_queue(db, TEST_ACTOR, "order", {"name": "orders"}, now=utc_now())


async def test_a_queue_agents_work_keeps_its_name(db: SingleConnectionPool) -> None:
    await routing.create_queue(db, TEST_ACTOR, {"name": "vip"}, now=utc_now())
    agent = await make_user(db)
    await users.set_queues(db, TEST_ACTOR, agent.id, ["vip"])
    with pytest.raises(Conflict, match="1 agents"):
        await routing.update_queue(db, TEST_ACTOR, "vip", {"name": "keys"}, now=utc_now())
