"""The satisfaction survey on closing a complaint: sent by SMS or email with a link, answered
by a reply of 1 to 5 (the closed ticket stays closed) or on the public page; first answer wins."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import pytest

from contact_center import tickets, workflows
from contact_center.config import Settings
from contact_center.db import Conn
from contact_center.errors import NotFound
from contact_center.tickets import InboundContact, Status, Ticket
from contact_center.timeutil import utc_now
from contact_center.workflows import Action, actions, message_options
from contact_center.workflows.messages import perform
from tests.builders import TEST_ACTOR, make_inbound_email, make_inbound_sms, unique_phone
from tests.conftest import SingleConnectionPool
from tests.workflows.case_helpers import action_rows, entered, open_case, stored_definition

OPTIONS = message_options(
    Settings(public_url="https://care.example.com/", twilio_from_number="+12025550100")
)
LINK = re.compile(r"https://care\.example\.com/survey/([A-Za-z0-9_-]+)")


async def closed_with_survey(
    conn: Conn, db: SingleConnectionPool, contact: InboundContact, now: datetime
) -> tuple[Ticket, str]:
    """A complaint ticket from `contact`, closed, its survey sent; (ticket, the link's token)."""
    result = await tickets.intake(db, contact, now=now)
    definition = await stored_definition(conn)
    ticket, _ = await tickets.get_ticket(db, result.ticket_id)
    case = await open_case(conn, ticket, definition, now=now)
    ticket = await tickets.update_ticket(db, TEST_ACTOR, ticket.id, {"status": "closed"}, now=now)
    closed = entered(case, "closed", now)
    await actions.run(conn, Action.SURVEY, closed, ticket, definition, now=now)
    await actions.run(conn, Action.SURVEY, closed, ticket, definition, now=now)  # a retry
    [row] = await action_rows(conn, closed, "survey")
    assert row["state"] == "pending"
    await perform(db, row["id"], OPTIONS, now=now)
    _, messages = await tickets.get_ticket(db, ticket.id)
    [survey] = [m for m in messages if m.direction == "outbound" and "/survey/" in m.body_text]
    found = LINK.search(survey.body_text)
    assert found and f"#{ticket.number}" in survey.body_text
    return ticket, found.group(1)


async def survey_message_id(db: SingleConnectionPool, ticket: Ticket) -> str:
    """The Message-ID of the survey mail sent about `ticket`."""
    _, messages = await tickets.get_ticket(db, ticket.id)
    [survey] = [m for m in messages if m.direction == "outbound" and "/survey/" in m.body_text]
    assert survey.rfc_message_id
    return survey.rfc_message_id


async def _survey(db: SingleConnectionPool, ticket: Ticket) -> Any:
    [survey] = await workflows.ticket_surveys(db, ticket.id)
    return survey


async def test_a_score_by_sms_is_recorded_and_the_complaint_stays_closed(
    conn: Conn, db: SingleConnectionPool
) -> None:
    phone = unique_phone()
    now = utc_now() - timedelta(days=2)
    ticket, token = await closed_with_survey(
        conn, db, make_inbound_sms(from_address=phone, text="Complaint: rude driver"), now
    )
    assert len(token) >= 21  # at least 122 random bits in URL-safe base64
    reply = await tickets.intake(
        db, make_inbound_sms(from_address=phone, text="5 - very kind, thank you"), now=utc_now()
    )
    assert reply.ticket_id == ticket.id and not reply.opened_ticket
    after, messages = await tickets.get_ticket(db, ticket.id)
    assert after.status is Status.CLOSED
    assert any(
        m.body_text.startswith("Satisfaction survey answered (sms): 5 of 5") for m in messages
    )
    survey = await _survey(db, ticket)
    assert (survey.score, survey.comment, survey.answered_via) == (5, "very kind, thank you", "sms")
    events = await conn.fetch(
        "SELECT payload FROM events WHERE name = 'survey.answered' AND ticket_id = $1", ticket.id
    )
    assert [e["payload"]["score"] for e in events] == [5]


async def test_a_score_by_email_reply_is_recorded_without_the_quoted_survey(
    conn: Conn, db: SingleConnectionPool
) -> None:
    address = "mei@example.net"
    now = utc_now() - timedelta(days=1)
    ticket, _ = await closed_with_survey(
        conn, db, make_inbound_email(from_address=address, text="Complaint about billing"), now
    )
    text = "4\nQuick, but one call too many.\n\nOn Mon, Care wrote:\n> Reply with a number 5"
    reply = await tickets.intake(
        db,
        make_inbound_email(
            from_address=address,
            subject="Re: survey",
            text=text,
            thread_refs=[await survey_message_id(db, ticket)],
        ),
        now=utc_now(),
    )
    assert reply.ticket_id == ticket.id and not reply.opened_ticket
    survey = await _survey(db, ticket)
    assert (survey.score, survey.comment) == (4, "Quick, but one call too many.")
    assert (await tickets.get_ticket(db, ticket.id))[0].status is Status.CLOSED


async def test_a_reply_that_is_no_score_goes_where_any_message_goes_and_so_does_a_second_score(
    conn: Conn, db: SingleConnectionPool
) -> None:
    phone = unique_phone()
    ticket, _ = await closed_with_survey(
        conn, db, make_inbound_sms(from_address=phone, text="Complaint"), utc_now()
    )
    words = await tickets.intake(
        db, make_inbound_sms(from_address=phone, text="It broke again"), now=utc_now()
    )
    assert (await _survey(db, ticket)).score is None
    # A closed SMS ticket takes no new messages: intake opens a follow-up ticket, as always.
    assert words.opened_ticket and words.ticket_id != ticket.id
    first = await tickets.intake(db, make_inbound_sms(from_address=phone, text="2"), now=utc_now())
    second = await tickets.intake(db, make_inbound_sms(from_address=phone, text="5"), now=utc_now())
    assert first.ticket_id == ticket.id and not first.opened_ticket
    assert second.ticket_id == words.ticket_id  # not a score any more: an ordinary message
    assert (await _survey(db, ticket)).score == 2  # the first answer wins
    assert (await tickets.get_ticket(db, ticket.id))[0].status is Status.CLOSED


async def test_a_score_after_fourteen_days_is_not_recorded(
    conn: Conn, db: SingleConnectionPool
) -> None:
    phone = unique_phone()
    sent = utc_now() - timedelta(days=15)
    ticket, _ = await closed_with_survey(
        conn, db, make_inbound_sms(from_address=phone, text="Complaint"), sent
    )
    await tickets.intake(db, make_inbound_sms(from_address=phone, text="5"), now=utc_now())
    assert (await _survey(db, ticket)).answered_at is None


async def test_the_link_records_the_first_answer_and_refuses_unknown_tokens(
    conn: Conn, db: SingleConnectionPool
) -> None:
    _ticket, token = await closed_with_survey(
        conn, db, make_inbound_sms(text="Complaint"), utc_now()
    )
    answered = await workflows.answer_by_link(db, token, score=3, comment=" ok ", now=utc_now())
    assert (answered.score, answered.comment, answered.answered_via) == (3, "ok", "link")
    again = await workflows.answer_by_link(db, token, score=1, comment="", now=utc_now())
    assert again.score == 3
    with pytest.raises(NotFound):
        await workflows.survey_by_token(db, "not-a-token")


async def test_an_opted_out_number_gets_no_survey(conn: Conn, db: SingleConnectionPool) -> None:
    phone = unique_phone()
    result = await tickets.intake(db, make_inbound_sms(from_address=phone), now=utc_now())
    await tickets.intake(db, make_inbound_sms(from_address=phone, text="STOP"), now=utc_now())
    definition = await stored_definition(conn)
    ticket, _ = await tickets.get_ticket(db, result.ticket_id)
    case = entered(await open_case(conn, ticket, definition, now=utc_now()), "closed", utc_now())
    await actions.run(conn, Action.SURVEY, case, ticket, definition, now=utc_now())
    [row] = await action_rows(conn, case, "survey")
    note = await perform(db, row["id"], OPTIONS, now=utc_now())
    assert "opted out" in note
    assert await workflows.ticket_surveys(db, ticket.id) == []
