"""An agent undoes a complaint the classifier made: the ticket is an inquiry again, its case
withdrawn, and the audit trail keeps how sure the classifier was."""

from __future__ import annotations

import pytest

from contact_center import audit, tickets, workflows
from contact_center.db import Conn
from contact_center.errors import Conflict
from contact_center.tickets import Kind, Priority
from contact_center.timeutil import utc_now
from tests.builders import TEST_ACTOR, make_inbound_sms
from tests.conftest import SingleConnectionPool
from tests.workflows.helpers import complaint_by_mail


async def test_undoing_the_classifier_makes_an_inquiry_and_withdraws_the_case(
    db: SingleConnectionPool, conn: Conn
) -> None:
    now = utc_now()
    contact = make_inbound_sms(text="Unacceptable! The courier was rude and I want a refund")
    opened = await tickets.intake(db, contact, now=now)
    undone = await workflows.undo_classification(db, TEST_ACTOR, opened.ticket_id, now=now)
    assert (undone.kind, undone.priority) == (Kind.INQUIRY, Priority.NORMAL)
    assert (await workflows.get_case(db, opened.ticket_id))["case"] is None
    entries = await audit.list_entries(conn, "ticket", [str(opened.ticket_id)])
    [entry] = [e for e in entries if e.action == "classification_undone"]
    assert entry.before is not None
    assert entry.before["source"] == "classifier"
    assert entry.before["confidence"] == pytest.approx(1 - 0.4 * 0.7 * 0.7, abs=1e-6)
    assert entry.before["matched"] == ["unacceptable", "rude", "refund"]


async def test_undo_is_refused_for_complaints_the_classifier_did_not_make(
    db: SingleConnectionPool,
) -> None:
    now = utc_now()
    by_mail = await complaint_by_mail(db, now)
    inquiry = await tickets.intake(db, make_inbound_sms(text="When do you open?"), now=now)
    for ticket_id in (by_mail, inquiry.ticket_id):
        with pytest.raises(Conflict):
            await workflows.undo_classification(db, TEST_ACTOR, ticket_id, now=now)


async def test_undo_twice_is_refused_the_second_time(db: SingleConnectionPool) -> None:
    now = utc_now()
    opened = await tickets.intake(db, make_inbound_sms(text="我要投诉你们"), now=now)
    await workflows.undo_classification(db, TEST_ACTOR, opened.ticket_id, now=now)
    with pytest.raises(Conflict):
        await workflows.undo_classification(db, TEST_ACTOR, opened.ticket_id, now=now)
