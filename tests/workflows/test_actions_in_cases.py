"""The actions as the cases run them: a complaint mailed in and moved through its steps by an
agent gets one thank-you (intake's), an owner in the complaint queue, the confirmation
callback on resolution and the survey on closing, each once."""

from __future__ import annotations

from datetime import timedelta

from contact_center import calls, tickets, workflows
from contact_center.audit import Actor
from contact_center.calls import CallbackReason
from contact_center.config import Settings
from contact_center.db import Conn
from contact_center.tickets import IntakeOptions, Status
from contact_center.timeutil import utc_now
from contact_center.users import Role
from contact_center.workflows.messages import message_options, perform
from tests.builders import make_customer, make_inbound_email, make_user
from tests.conftest import SingleConnectionPool

OPTIONS = message_options(Settings(public_url="https://care.example.com"))


async def test_a_mailed_complaint_moved_to_closed_runs_each_action_once(
    conn: Conn, db: SingleConnectionPool
) -> None:
    start = utc_now()
    customer = await make_customer(db, emails=["li.na@example.net"])
    contact = make_inbound_email(
        from_address="li.na@example.net",
        to_address="complaints@example.com",
        subject="Broken kettle",
        text="It leaks.",
    )
    result = await tickets.intake(db, contact, now=start, options=IntakeOptions(acknowledge=True))
    user = await make_user(db, Role.AGENT)
    actor = Actor(label=f"user:{user.email}", user_id=user.id)
    ticket, _ = await tickets.get_ticket(db, result.ticket_id)
    assert ticket.queue == "complaint"
    await tickets.update_ticket(db, actor, ticket.id, {"assignee_id": str(user.id)}, now=start)
    moves = [
        ("triaged", {"category": "product_quality"}),
        ("investigating", {"facts": "The lid seal is missing."}),
        ("resolved", {"resolution": "Replacement sent."}),
        ("callback_done", {"callback_outcome": "Happy with the replacement."}),
        ("closed", {"root_cause": "manufacturing_defect"}),
    ]
    for minutes, (to, fields) in enumerate(moves, start=1):
        await workflows.move_case(
            db, actor, ticket.id, to, fields, now=start + timedelta(minutes=minutes)
        )
    rows = await conn.fetch(
        "SELECT a.id, a.action, a.state FROM case_actions a JOIN cases c ON c.id = a.case_id"
        " WHERE c.ticket_id = $1 ORDER BY a.id",
        ticket.id,
    )
    assert [(r["action"], r["state"]) for r in rows] == [
        ("acknowledge", "pending"),
        ("assign_owner", "done"),
        ("key_account_callback", "skipped"),
        ("confirmation_callback", "done"),
        ("followup_visit", "skipped"),
        ("survey", "pending"),
    ]
    for row in rows:
        if row["state"] == "pending":
            await perform(db, row["id"], OPTIONS, now=start + timedelta(minutes=7))
    states = await conn.fetch(
        "SELECT action, state FROM case_actions WHERE id = ANY($1::bigint[]) ORDER BY id",
        [r["id"] for r in rows],
    )
    assert [s["state"] for s in states] == ["skipped", "done", "skipped", "done", "skipped", "done"]
    [task] = await calls.list_callbacks(db, ticket_id=ticket.id)
    assert task.reason is CallbackReason.COMPLAINT_CONFIRMATION
    assert task.phone == customer.phones[0]
    [survey] = await workflows.ticket_surveys(db, ticket.id)
    assert survey.channel == "email" and survey.score is None
    closed, messages = await tickets.get_ticket(db, ticket.id)
    assert closed.status in (Status.RESOLVED, Status.CLOSED)
    outbound = [m for m in messages if m.direction == "outbound"]
    assert len(outbound) == 2  # intake's thanks and the survey
