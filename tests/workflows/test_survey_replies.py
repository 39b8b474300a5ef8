"""Which replies answer a satisfaction survey: a bare score or a score with a comment after a
separator, from a customer who names no other ticket (an email: in the survey's thread).
Ordinary messages that begin with a number go where any message goes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from contact_center import tickets, workflows
from contact_center.db import Conn
from contact_center.timeutil import utc_now
from contact_center.workflows.action_rules import SurveyAnswer, survey_answer
from tests.builders import make_inbound_email, make_inbound_sms, unique_phone
from tests.conftest import SingleConnectionPool
from tests.workflows.test_surveys import closed_with_survey, survey_message_id


@pytest.mark.parametrize(
    ("text", "score", "comment"),
    [
        ("5", 5, ""),
        ("  ３ ", 3, ""),
        ("5分", 5, ""),
        ("4星！", 4, ""),
        ("5.", 5, ""),
        ("5 - great", 5, "great"),
        ("4, a bit slow", 4, "a bit slow"),
        ("5。很好", 5, "很好"),
        ("2: too long on hold", 2, "too long on hold"),
        ("5\nKind people", 5, "Kind people"),
    ],
)
def test_a_score_alone_or_with_a_separated_comment_answers(
    text: str, score: int, comment: str
) -> None:
    assert survey_answer(text) == SurveyAnswer(score, comment)


@pytest.mark.parametrize(
    "text",
    [
        "2 items missing from my order",
        "4:30 works for the callback",
        "5pm is fine",
        "3 boxes arrived damaged",
        "5 very kind",
        "50",
        "5.5",
        "1-5",
        "2024 order",
        "4, 5 and 6 are broken",
        "Thanks, 5",
    ],
)
def test_a_message_that_merely_begins_with_a_number_is_no_answer(text: str) -> None:
    assert survey_answer(text) is None


async def test_an_sms_beginning_with_a_number_opens_its_own_ticket(
    conn: Conn, db: SingleConnectionPool
) -> None:
    phone = unique_phone()
    ticket, _ = await closed_with_survey(
        conn, db, make_inbound_sms(from_address=phone, text="Complaint"), utc_now()
    )
    for text in ("2 items missing from my order", "5pm is fine", "4:30 works for the callback"):
        result = await tickets.intake(
            db, make_inbound_sms(from_address=phone, text=text), now=utc_now()
        )
        assert result.ticket_id != ticket.id
    [survey] = await workflows.ticket_surveys(db, ticket.id)
    assert survey.answered_at is None


async def test_an_sms_score_naming_another_ticket_goes_to_that_ticket(
    conn: Conn, db: SingleConnectionPool
) -> None:
    phone = unique_phone()
    ticket, _ = await closed_with_survey(
        conn, db, make_inbound_sms(from_address=phone, text="Complaint"), utc_now()
    )
    other = await tickets.intake(
        db, make_inbound_sms(from_address=phone, text="Where is my parcel?"), now=utc_now()
    )
    assert other.ticket_id != ticket.id
    named = make_inbound_sms(from_address=phone, text="3", ticket_hint=other.ticket_number)
    result = await tickets.intake(db, named, now=utc_now())
    assert result.ticket_id == other.ticket_id
    [survey] = await workflows.ticket_surveys(db, ticket.id)
    assert survey.answered_at is None
    mine = make_inbound_sms(from_address=phone, text="3", ticket_hint=ticket.number)
    assert (await tickets.intake(db, mine, now=utc_now())).ticket_id == ticket.id
    [survey] = await workflows.ticket_surveys(db, ticket.id)
    assert survey.score == 3


async def test_an_email_answers_only_in_the_survey_thread(
    conn: Conn, db: SingleConnectionPool
) -> None:
    address = "lan@example.net"
    ticket, _ = await closed_with_survey(
        conn,
        db,
        make_inbound_email(from_address=address, text="Complaint"),
        utc_now() - timedelta(hours=1),
    )
    fresh = make_inbound_email(from_address=address, subject="New order", text="5")
    by_subject = make_inbound_email(
        from_address=address, subject=f"Re: [#{ticket.number}]", text="5", ticket_hint=ticket.number
    )
    for contact in (fresh, by_subject):
        await tickets.intake(db, contact, now=utc_now())
        [survey] = await workflows.ticket_surveys(db, ticket.id)
        assert survey.answered_at is None
    reply = make_inbound_email(
        from_address=address,
        subject="Re: survey",
        text="2 - slow",
        thread_refs=[await survey_message_id(db, ticket)],
    )
    assert (await tickets.intake(db, reply, now=utc_now())).ticket_id == ticket.id
    [survey] = await workflows.ticket_surveys(db, ticket.id)
    assert (survey.score, survey.comment) == (2, "slow")
