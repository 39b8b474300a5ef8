"""Intake classifies a new ticket's text and records how sure it was."""

from __future__ import annotations

from contact_center import audit, tickets
from contact_center.db import Conn
from contact_center.tickets import Kind, Priority
from contact_center.timeutil import utc_now
from tests.builders import make_inbound_email, make_inbound_sms
from tests.conftest import SingleConnectionPool


async def test_a_classified_complaint_is_opened_with_its_confidence_and_phrases(
    db: SingleConnectionPool, conn: Conn
) -> None:
    contact = make_inbound_sms(text="我要投诉你们，快递破损了 and I want my money back")
    result = await tickets.intake(db, contact, now=utc_now())
    ticket, _ = await tickets.get_ticket(db, result.ticket_id)
    assert ticket.kind is Kind.COMPLAINT and ticket.priority is Priority.HIGH
    [opened] = await audit.list_entries(conn, "ticket", [str(ticket.id)])
    assert opened.after is not None
    assert opened.after["confidence"] == 0.99
    assert {"投诉你们", "破损", "want my money back"} <= set(opened.after["matched"])


async def test_a_thank_you_note_is_not_taken_for_a_complaint(db: SingleConnectionPool) -> None:
    contact = make_inbound_email(subject="Delivery", text="No complaints, thanks - all arrived.")
    result = await tickets.intake(db, contact, now=utc_now())
    ticket, _ = await tickets.get_ticket(db, result.ticket_id)
    assert ticket.kind is Kind.ORDER
