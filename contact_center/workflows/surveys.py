"""Satisfaction survey answers: a reply of 1 to 5 by SMS or email within 14 days, or the public
link. The first answer counts; a later one (or one after 14 days) is not a score — a reply
is then an ordinary message on the ticket; the link thanks for a second answer and says the
survey is closed after 14 days, recording nothing."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from contact_center import audit, live, tickets
from contact_center.audit import Actor
from contact_center.db import Conn, Pool, transaction
from contact_center.errors import Invalid, NotFound
from contact_center.live import Event
from contact_center.tickets.model import Channel
from contact_center.workflows import action_rules, action_store
from contact_center.workflows.action_rules import AnsweredVia
from contact_center.workflows.action_store import Survey

log = logging.getLogger(__name__)
SURVEY_ACTOR = Actor.system("survey")


@dataclass(frozen=True)
class SurveyReply:
    """A customer's message that answered a survey: intake places it on the survey's ticket
    and leaves that ticket as it is (a closed complaint stays closed)."""

    ticket_id: UUID
    ticket_number: int
    score: int


@dataclass(frozen=True)
class TicketSurvey:
    """A survey as the ticket page shows it (not its token: that is the customer's)."""

    id: int
    ticket_id: UUID
    case_id: int | None
    channel: str  # sms | email
    sent_at: datetime
    answered_at: datetime | None
    score: int | None  # 1-5
    comment: str
    answered_via: str | None  # sms | email | link


def _shown(survey: Survey) -> TicketSurvey:
    return TicketSurvey(
        id=survey.id,
        ticket_id=survey.ticket_id,
        case_id=survey.case_id,
        channel=survey.channel,
        sent_at=survey.sent_at,
        answered_at=survey.answered_at,
        score=survey.score,
        comment=survey.comment,
        answered_via=survey.answered_via,
    )


async def survey_reply_for(
    conn: Conn,
    customer_id: UUID,
    channel: Channel,
    text: str,
    *,
    named: bool,
    referenced: UUID | None,
    now: datetime,
) -> SurveyReply | None:
    """Inside intake's transaction: when this SMS or email from the customer answers their
    latest unanswered survey on that channel (sent within 14 days, the reply a score of 1 to
    5, alone or with a comment after a separator), record the score and the comment; None for
    any other message. `named`: the contact names a ticket (a reference, a token, a number);
    `referenced`: the ticket its In-Reply-To/References or reply token point at. A contact
    that names another ticket is no answer; an email answers only as a reply to the survey's
    thread (its mail or its ticket)."""
    if channel not in (Channel.SMS, Channel.EMAIL):
        return None
    words = action_rules.first_line_only(text) if channel is Channel.EMAIL else text
    answer = action_rules.survey_answer(words)
    if answer is None:
        return None
    survey = await action_store.open_survey(
        conn, customer_id, str(channel), sent_after=now - action_rules.SURVEY_WINDOW
    )
    if survey is None:
        return None
    if channel is Channel.EMAIL or named:
        if referenced != survey.ticket_id:
            return None
    await _record(conn, survey, answer.score, answer.comment, AnsweredVia(channel.value), now)
    return SurveyReply(survey.ticket_id, survey.ticket_number, answer.score)


async def _record(
    conn: Conn, survey: Survey, score: int, comment: str, via: AnsweredVia, now: datetime
) -> bool:
    """Store the answer (audited, on the timeline, announced); False if answered already."""
    if not await action_store.answer_survey(
        conn, survey.id, score=score, comment=comment, via=via, now=now
    ):
        return False
    after = {"score": score, "comment": comment, "answered_via": via}
    await audit.record_change(
        conn, SURVEY_ACTOR, "survey", survey.id, "answered", after=after, at=now
    )
    said = f": {comment}" if comment else ""
    await tickets.add_system_note(
        conn, survey.ticket_id, f"Satisfaction survey answered ({via}): {score} of 5{said}", now=now
    )
    await live.publish(
        conn,
        Event.SURVEY_ANSWERED,
        {
            "ticket_id": survey.ticket_id,
            "survey_id": survey.id,
            "case_id": survey.case_id,
            "score": score,
            "answered_via": via,
        },
    )
    return True


async def survey_by_token(pool: Pool, token: str) -> Survey:
    """The survey behind a public link; NotFound for an unknown token."""
    async with pool.acquire() as conn:
        survey = await action_store.survey_by_token(conn, token)
    if survey is None:
        raise NotFound("no such survey")
    return survey


def survey_closed(survey: Survey, *, now: datetime) -> bool:
    """Whether the survey's page should say it is closed: unanswered after 14 days."""
    return action_rules.survey_closed(survey.sent_at, survey.answered_at, now=now)


async def answer_by_link(
    pool: Pool, token: str, *, score: int, comment: str, now: datetime
) -> Survey:
    """The customer's answer on the public page. A second answer changes nothing (the page
    thanks them all the same); one after 14 days changes nothing either, with an INFO log
    line (the page says the survey is closed)."""
    if not 1 <= score <= 5:
        raise Invalid("choose a score from 1 to 5", field="score")
    async with transaction(pool) as conn:
        survey = await action_store.survey_by_token(conn, token)
        if survey is None:
            raise NotFound("no such survey")
        if survey_closed(survey, now=now):
            log.info(
                "survey %s on ticket #%s: answered by link after 14 days, not recorded",
                survey.id,
                survey.ticket_number,
            )
        elif survey.answered_at is None:
            words = comment.replace("\x00", "").strip()[: action_rules.MAX_COMMENT_CHARS]
            await _record(conn, survey, score, words, AnsweredVia.LINK, now)
        return await action_store.survey_by_id(conn, survey.id)


async def ticket_surveys(pool: Pool, ticket_id: UUID) -> list[TicketSurvey]:
    """The surveys sent about this ticket, oldest first, with their answers."""
    async with pool.acquire() as conn:
        return [_shown(s) for s in await action_store.surveys_for_ticket(conn, ticket_id)]


async def survey_scores_by_account(
    conn: Conn, *, since: datetime, until: datetime
) -> dict[UUID, list[int]]:
    """The survey scores (1-5) answered from `since` to `until` about each account's
    complaints, oldest first: the satisfaction part of the account's health."""
    return await action_store.survey_scores_by_account(conn, since, until)
