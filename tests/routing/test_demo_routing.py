"""The demo's routing: queues open around the clock, agents with the skills of their queues."""

from __future__ import annotations

from contact_center import demo, routing, users
from contact_center.config import Settings
from contact_center.routing.hours import ALWAYS, is_open
from contact_center.timeutil import utc_now
from tests.conftest import SingleConnectionPool


async def test_demo_queues_are_always_open_and_agents_have_their_skills(
    db: SingleConnectionPool, settings: Settings
) -> None:
    await demo.load_demo_if_empty(db, settings, size=150)
    now = utc_now()
    for queue in await routing.list_queues(db):
        assert queue.hours == ALWAYS
        assert is_open(queue.hours, now, "Pacific/Kiritimati")
    staff = {u.email: u for u in await users.list_users(db)}
    skills = {
        email: (await routing.get_agent(db, staff[email].id, now=now)).skills
        for email in ("agent1@example.com", "agent2@example.com", "manager1@example.com")
    }
    assert skills == {
        "agent1@example.com": ("orders",),  # general and order
        "agent2@example.com": ("complaints",),
        "manager1@example.com": ("complaints", "orders"),
    }
