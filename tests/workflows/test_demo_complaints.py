"""The demo complaints stand at the steps they are meant to, one from a key account."""

from __future__ import annotations

from contact_center import tickets, workflows
from contact_center.config import Settings
from contact_center.demo_complaints import COMPLAINTS, load_demo_complaints
from contact_center.tickets import TicketFilter
from contact_center.users import Role
from tests.builders import TEST_ACTOR, make_customer, make_organization, make_user
from tests.conftest import SingleConnectionPool


async def test_the_demo_complaints_reach_their_steps(
    db: SingleConnectionPool, settings: Settings
) -> None:
    org = await make_organization(db, "Demo Key Org", tier="A", is_key_account=True)
    people = [
        await make_customer(
            db,
            f"Demo {n}",
            emails=[f"demo{n}@example.net"],
            **({"organization_id": str(org.id)} if n == 0 else {}),
        )
        for n in range(len(COMPLAINTS))
    ]
    agents = [await make_user(db, Role.AGENT), await make_user(db, Role.AGENT)]
    assert await load_demo_complaints(db, TEST_ACTOR, settings, people, agents) == 4
    steps = {}
    for person in people:
        page = await tickets.list_tickets(db, TicketFilter(customer_id=person.id))
        view = await workflows.get_case(db, page.tickets[0].id)
        steps[person.name] = (view["case"]["step"], view["case"]["key_account"])
    assert list(steps.values()) == [
        ("acknowledged", True),
        ("triaged", False),
        ("investigating", False),
        ("closed", False),
    ]
