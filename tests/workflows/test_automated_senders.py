"""Machines get no thanks and no survey, and do not reopen complaints (mail-loop rule): a
complaint mailed by an autoresponder or a no-reply sender is neither thanked nor surveyed, and
an out-of-office reply to the survey is stored on the closed complaint, which stays closed."""

from __future__ import annotations

from datetime import timedelta

from contact_center import tickets, workflows
from contact_center.audit import Actor
from contact_center.config import Settings
from contact_center.db import Conn
from contact_center.tickets import IntakeOptions, Status
from contact_center.timeutil import utc_now
from contact_center.users import Role
from contact_center.workflows.messages import message_options, perform
from tests.builders import make_inbound_email, make_user
from tests.conftest import SingleConnectionPool
from tests.workflows.test_surveys import survey_message_id

OPTIONS = message_options(Settings(public_url="https://care.example.com"))
MOVES = [
    ("triaged", {"category": "product_quality"}),
    ("investigating", {"facts": "The lid seal is missing."}),
    ("resolved", {"resolution": "Replacement sent."}),
    ("callback_done", {"callback_outcome": "Happy with the replacement."}),
    ("closed", {"root_cause": "manufacturing_defect"}),
]


async def _closed_complaint(
    conn: Conn, db: SingleConnectionPool, address: str, automated: str | None
) -> tickets.Ticket:
    """A complaint mailed to the complaints address, moved to closed, its messages sent."""
    start = utc_now() - timedelta(hours=1)
    contact = make_inbound_email(
        from_address=address,
        to_address="complaints@example.com",
        subject="Broken kettle",
        text="It leaks.",
        automated=automated,
    )
    result = await tickets.intake(db, contact, now=start, options=IntakeOptions(acknowledge=True))
    user = await make_user(db, Role.AGENT)
    actor = Actor(label=f"user:{user.email}", user_id=user.id)
    await tickets.update_ticket(
        db, actor, result.ticket_id, {"assignee_id": str(user.id)}, now=start
    )
    for minutes, (to, fields) in enumerate(MOVES, start=1):
        await workflows.move_case(
            db, actor, result.ticket_id, to, fields, now=start + timedelta(minutes=minutes)
        )
    rows = await conn.fetch(
        "SELECT a.id FROM case_actions a JOIN cases c ON c.id = a.case_id"
        " WHERE c.ticket_id = $1 AND a.state = 'pending' ORDER BY a.id",
        result.ticket_id,
    )
    for row in rows:
        await perform(db, row["id"], OPTIONS, now=start + timedelta(minutes=7))
    ticket, _ = await tickets.get_ticket(db, result.ticket_id)
    return ticket


async def _clocks(conn: Conn, ticket: tickets.Ticket) -> list[tuple[str, str, str]]:
    rows = await conn.fetch(
        "SELECT kind, coalesce(step, '') AS step, state FROM clocks WHERE ticket_id = $1"
        " ORDER BY id",
        ticket.id,
    )
    return [(r["kind"], r["step"], r["state"]) for r in rows]


async def test_a_complaint_from_an_autoresponder_is_neither_thanked_nor_surveyed(
    conn: Conn, db: SingleConnectionPool
) -> None:
    ticket = await _closed_complaint(
        conn, db, "no-reply@shop.example.net", "auto-submitted: auto-generated"
    )
    rows = await conn.fetch(
        "SELECT a.action, a.state, a.note FROM case_actions a JOIN cases c ON c.id = a.case_id"
        " WHERE c.ticket_id = $1 AND a.action IN ('acknowledge', 'survey') ORDER BY a.id",
        ticket.id,
    )
    assert [(r["action"], r["state"]) for r in rows] == [
        ("acknowledge", "skipped"),
        ("survey", "skipped"),
    ]
    assert all("automated sender" in r["note"] for r in rows)
    _, messages = await tickets.get_ticket(db, ticket.id)
    assert [m for m in messages if m.direction == "outbound"] == []
    notes = [m.body_text for m in messages if m.direction == "internal"]
    assert any(n.startswith("No acknowledgement sent: the complaint came from an") for n in notes)
    assert any(n.startswith("No satisfaction survey sent: the complaint came from") for n in notes)
    assert await workflows.ticket_surveys(db, ticket.id) == []


async def test_an_out_of_office_reply_to_the_survey_does_not_reopen_the_complaint(
    conn: Conn, db: SingleConnectionPool
) -> None:
    address = "chen.jie@example.net"
    ticket = await _closed_complaint(conn, db, address, None)
    assert ticket.status in (Status.RESOLVED, Status.CLOSED)
    before = await _clocks(conn, ticket)
    away = make_inbound_email(
        from_address=address,
        subject="Automatic reply: How did we handle your complaint?",
        text="I am out of the office until Monday.",
        thread_refs=[await survey_message_id(db, ticket)],
        automated="auto-submitted: auto-replied",
    )
    result = await tickets.intake(db, away, now=utc_now())
    assert result.ticket_id == ticket.id  # the message is stored on the complaint
    after, messages = await tickets.get_ticket(db, ticket.id)
    assert after.status is ticket.status
    case = (await workflows.get_case(db, ticket.id))["case"]
    assert (case["step"], case["state"]) == ("closed", "closed")
    assert any(m.body_text.startswith("I am out of the office") for m in messages)
    assert any("was not reopened" in m.body_text for m in messages if m.direction == "internal")
    assert await _clocks(conn, ticket) == before
