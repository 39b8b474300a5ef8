import dataclasses
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from contact_center.tickets.model import Channel, Status, TicketCandidate
from contact_center.tickets.threads import (
    choose_ticket,
    follow_reference,
    status_after_inbound,
    subject_for,
    subject_key,
)
from tests.builders import make_inbound_email, make_inbound_sms

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
WEEK = timedelta(days=7)


def candidate(
    number: int,
    channel: Channel = Channel.SMS,
    status: Status = Status.OPEN,
    age: timedelta = timedelta(hours=1),
    subject: str = "",
) -> TicketCandidate:
    return TicketCandidate(
        id=uuid4(),
        number=number,
        channel=channel,
        status=status,
        last_message_at=NOW - age,
        subject_key=subject_key(subject),
    )


def test_sms_goes_onto_the_most_recent_active_sms_ticket() -> None:
    older, newer = candidate(1, age=timedelta(days=2)), candidate(2, age=timedelta(hours=3))
    assert choose_ticket(make_inbound_sms(), [older, newer], now=NOW, window=WEEK) == newer


def test_no_active_ticket_within_the_window_opens_a_new_one() -> None:
    stale = candidate(1, age=timedelta(days=8))
    done = candidate(2, status=Status.CLOSED)
    assert choose_ticket(make_inbound_sms(), [stale, done], now=NOW, window=WEEK) is None


def test_other_channels_do_not_thread_together() -> None:
    email_ticket = candidate(1, channel=Channel.EMAIL)
    assert choose_ticket(make_inbound_sms(), [email_ticket], now=NOW, window=WEEK) is None


def test_a_new_email_subject_opens_a_new_ticket_even_with_an_open_one_in_the_window() -> None:
    open_one = candidate(1, channel=Channel.EMAIL, subject="Broken lid")
    mail = make_inbound_email(subject="Invoice 2231 is wrong")
    assert choose_ticket(mail, [open_one], now=NOW, window=WEEK) is None


def test_an_email_with_its_conversations_subject_joins_it() -> None:
    lid = candidate(1, channel=Channel.EMAIL, subject="Broken lid", age=timedelta(days=1))
    invoice = candidate(2, channel=Channel.EMAIL, subject="Invoice", age=timedelta(hours=1))
    mail = make_inbound_email(subject="RE: Fwd: broken  LID")
    assert choose_ticket(mail, [lid, invoice], now=NOW, window=WEEK) == lid


def test_an_email_subject_matches_only_within_the_window_and_while_active() -> None:
    stale = candidate(1, channel=Channel.EMAIL, subject="Broken lid", age=timedelta(days=8))
    done = candidate(2, channel=Channel.EMAIL, subject="Broken lid", status=Status.CLOSED)
    mail = make_inbound_email(subject="Re: Broken lid")
    assert choose_ticket(mail, [stale, done], now=NOW, window=WEEK) is None
    resolved = candidate(3, channel=Channel.EMAIL, subject="Broken lid", status=Status.RESOLVED)
    assert choose_ticket(mail, [stale, done, resolved], now=NOW, window=WEEK) == resolved


def test_empty_email_subjects_never_match() -> None:
    blank = candidate(1, channel=Channel.EMAIL, subject="")
    for subject in ("", "Re:", "  ", "Fwd: [#1234]"):
        mail = make_inbound_email(subject=subject)
        assert choose_ticket(mail, [blank], now=NOW, window=WEEK) is None, subject


def test_sms_keeps_the_window_whatever_its_text() -> None:
    ticket = candidate(1, subject="")
    assert choose_ticket(make_inbound_sms(text="Something new"), [ticket], now=NOW, window=WEEK)


@pytest.mark.parametrize(
    "subject",
    [
        "Broken lid",
        "Re: Broken lid",
        "RE: RE: Broken lid",
        "Fwd: Broken lid",
        "FW: Re: Broken lid",
        "AW: WG: Broken lid",
        "SV: VS: Broken lid",
        "TR: Broken lid",
        "RV: Broken lid",
        "Re[2]: Broken lid",
        "Re (3) : Broken lid",
        "回复: Broken lid",
        "答复：Broken lid",
        "转发： 回复：Broken lid",
        "Ｒｅ：Ｂｒｏｋｅｎ ｌｉｄ",
        "Re: [#1234] Broken lid",
        "Re: Broken lid [#1234]",
        "[#1234] RE: broken\tLID ",
        "ΑΠ: Broken lid",
        "Antw: Broken lid",
    ],
)
def test_reply_and_forward_prefixes_in_many_languages_are_removed(subject: str) -> None:
    assert subject_key(subject) == "broken lid"


def test_subject_keys_keep_what_is_not_a_prefix() -> None:
    assert subject_key("Return policy") == "return policy"
    assert subject_key("Re: Refund") == "refund"
    assert subject_key("退款 回复: 问题") == "退款 回复: 问题"
    assert subject_key("Re:") == ""
    assert len(subject_key("x" * 5000)) == 200


def test_a_referenced_ticket_is_followed_even_when_closed_recently() -> None:
    closed = candidate(77, channel=Channel.EMAIL, status=Status.CLOSED, age=timedelta(days=40))
    closed = dataclasses.replace(closed, closed_at=NOW - timedelta(days=3))
    assert follow_reference(closed, now=NOW, reopen_window=timedelta(days=30)) == closed
    resolved = candidate(78, status=Status.RESOLVED, age=timedelta(days=90))
    assert follow_reference(resolved, now=NOW, reopen_window=timedelta(days=30)) == resolved


def test_a_ticket_closed_long_ago_gets_a_new_linked_one() -> None:
    old = dataclasses.replace(
        candidate(79, status=Status.CLOSED), closed_at=NOW - timedelta(days=31)
    )
    assert follow_reference(old, now=NOW, reopen_window=timedelta(days=30)) is None


def test_a_new_message_reopens_but_keeps_new_tickets_new() -> None:
    assert status_after_inbound(Status.NEW) is Status.NEW
    for status in (Status.PENDING, Status.RESOLVED, Status.CLOSED, Status.OPEN):
        assert status_after_inbound(status) is Status.OPEN


def test_subject_comes_from_the_email_subject_or_the_first_line() -> None:
    assert subject_for(make_inbound_email(subject="  Broken lid ")) == "Broken lid"
    assert (
        subject_for(make_inbound_sms(text="\n\nWhere is my parcel?\nThanks"))
        == "Where is my parcel?"
    )
    assert subject_for(make_inbound_sms(text="x" * 200)).endswith("…")
    assert (
        subject_for(make_inbound_sms(text="", from_address="+12025550143"))
        == "SMS from +12025550143"
    )


def test_an_sms_goes_back_on_a_resolved_ticket_within_the_window_but_not_on_a_closed_one() -> None:
    contact = make_inbound_sms()
    resolved = candidate(80, status=Status.RESOLVED, age=timedelta(days=2))
    closed = candidate(81, status=Status.CLOSED, age=timedelta(hours=1))
    window = WEEK
    assert choose_ticket(contact, [resolved], now=NOW, window=window) == resolved
    assert choose_ticket(contact, [closed], now=NOW, window=window) is None
    stale = candidate(82, status=Status.RESOLVED, age=timedelta(days=8))
    assert choose_ticket(contact, [stale], now=NOW, window=window) is None
