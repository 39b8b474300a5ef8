"""A complaint case starts from every entry point, once per ticket, and is withdrawn when the
ticket turns out to be no complaint."""

from __future__ import annotations

from datetime import timedelta

from contact_center import audit, tickets, workflows
from contact_center.audit import Actor
from contact_center.tickets import Channel, Kind
from contact_center.timeutil import utc_now
from tests.builders import TEST_ACTOR, make_customer, make_inbound_sms, make_user
from tests.conftest import SingleConnectionPool
from tests.workflows.helpers import case_of, complaint_by_mail


async def test_mail_to_the_complaints_address_starts_a_case_left_at_acknowledged(
    db: SingleConnectionPool,
) -> None:
    now = utc_now()
    ticket_id = await complaint_by_mail(db, now)
    case = await case_of(db, ticket_id)
    assert (case["source"], case["step"], case["state"]) == ("address", "acknowledged", "open")
    assert [h["step"] for h in case["history"]] == ["received", "acknowledged"]
    assert case["definition"] == {"name": "complaint", "version": 1, "title": "Complaint"}
    assert [s["state"] for s in case["steps"]][:3] == ["done", "current", "todo"]
    assert case["next"] == [
        {
            "key": "triaged",
            "title": "Triaged",
            "requires": ["owner", "category"],
            "missing": ["owner", "category"],
        }
    ]


async def test_complaint_words_in_an_sms_start_a_case_from_the_classifier(
    db: SingleConnectionPool,
) -> None:
    contact = make_inbound_sms(text="I want to complain: the courier was rude")
    result = await tickets.intake(db, contact, now=utc_now())
    case = await case_of(db, result.ticket_id)
    assert case["source"] == "classifier"


async def test_an_sms_that_is_no_complaint_has_no_case(db: SingleConnectionPool) -> None:
    result = await tickets.intake(db, make_inbound_sms(), now=utc_now())
    view = await workflows.get_case(db, result.ticket_id)
    assert view["case"] is None
    assert [e["key"] for e in view["labels"]["category"]][:2] == ["product_quality", "delivery"]


async def test_an_agent_marking_a_ticket_as_complaint_starts_one_case(
    db: SingleConnectionPool,
) -> None:
    agent = await make_user(db)
    actor = Actor(label=f"user:{agent.email}", user_id=agent.id)
    result = await tickets.intake(db, make_inbound_sms(), now=utc_now())
    await tickets.update_ticket(db, actor, result.ticket_id, {"kind": "complaint"}, now=utc_now())
    await tickets.update_ticket(db, actor, result.ticket_id, {"priority": "urgent"}, now=utc_now())
    case = await case_of(db, result.ticket_id)
    assert case["source"] == "agent" and case["step"] == "acknowledged"
    async with db.acquire() as conn:
        entries = await audit.list_entries(conn, "case", [str(case["id"])])
    assert [e.action for e in entries] == ["opened", "moved"]
    assert entries[0].actor_id == agent.id


async def test_an_agent_opening_a_complaint_by_hand_starts_its_case(
    db: SingleConnectionPool,
) -> None:
    customer = await make_customer(db)
    ticket = await tickets.open_ticket(
        db,
        TEST_ACTOR,
        customer_id=customer.id,
        subject="Walk-in complaint",
        text="Came to the counter about a wrong bill",
        kind=Kind.COMPLAINT,
        channel=Channel.SMS,
        priority=None,
        now=utc_now(),
    )
    assert (await case_of(db, ticket.id))["source"] == "agent"


async def test_a_key_account_complaint_is_marked_and_gets_the_faster_deadlines(
    db: SingleConnectionPool,
) -> None:
    customer = await make_customer(
        db, "Key Buyer", emails=["buyer@example.net"], is_key_account=True
    )
    ticket_id = await complaint_by_mail(db, utc_now(), from_address=customer.emails[0])
    case = await case_of(db, ticket_id)
    assert case["key_account"]
    deadlines = {s["key"]: s["deadline"] for s in case["steps"]}
    assert deadlines["acknowledged"] == {"within": "1h", "mode": "business"}
    assert deadlines["resolved"] == {"within": "24h", "mode": "wall"}


async def test_kind_changed_away_withdraws_the_case_and_marking_again_starts_a_new_one(
    db: SingleConnectionPool,
) -> None:
    now = utc_now()
    ticket_id = await complaint_by_mail(db, now)
    first = await case_of(db, ticket_id)
    await tickets.update_ticket(db, TEST_ACTOR, ticket_id, {"kind": "inquiry"}, now=now)
    assert (await workflows.get_case(db, ticket_id))["case"] is None
    async with db.acquire() as conn:
        entries = await audit.list_entries(conn, "case", [str(first["id"])])
    assert entries[-1].action == "withdrawn"
    later = now + timedelta(minutes=5)
    await tickets.update_ticket(db, TEST_ACTOR, ticket_id, {"kind": "complaint"}, now=later)
    second = await case_of(db, ticket_id)
    assert second["id"] != first["id"] and second["step"] == "acknowledged"
