"""The overdue decision, tag normalization and inbox cursors:
pure, no database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from contact_center.errors import Invalid
from contact_center.tickets import Status
from contact_center.tickets.inbox_query import Cursor, Sort, decode_cursor, encode_cursor
from contact_center.tickets.overdue import is_overdue
from contact_center.tickets.tags import MAX_TAG_LENGTH, normalize_tags

OPENED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_a_new_unanswered_ticket_past_its_due_time_is_overdue() -> None:
    due = OPENED + timedelta(minutes=30)
    assert is_overdue(Status.NEW, None, due, now=due + timedelta(seconds=1))
    assert is_overdue(Status.OPEN, None, due, now=due + timedelta(seconds=1))


def test_before_or_at_the_due_time_it_is_not_overdue() -> None:
    due = OPENED + timedelta(minutes=30)
    assert not is_overdue(Status.NEW, None, due, now=due)
    assert not is_overdue(Status.NEW, None, due, now=OPENED)


def test_an_answered_pending_resolved_or_undated_ticket_is_never_overdue() -> None:
    due, late = OPENED, OPENED + timedelta(days=3)
    assert not is_overdue(Status.OPEN, OPENED + timedelta(minutes=1), due, now=late)
    for status in (Status.PENDING, Status.RESOLVED, Status.CLOSED):
        assert not is_overdue(status, None, due, now=late)
    assert not is_overdue(Status.NEW, None, None, now=late)


def test_tags_are_trimmed_lower_cased_deduplicated_and_capped() -> None:
    long = "x" * (MAX_TAG_LENGTH + 10)
    raw = ["  VIP ", "vip", "Late  Delivery", "", "   ", "退款", long, "\x00spare\x00"]
    assert normalize_tags(raw) == ["vip", "late delivery", "退款", "x" * MAX_TAG_LENGTH, "spare"]


def test_a_cursor_reads_back_as_written_and_serves_every_sort() -> None:
    cursor = Cursor(OPENED, OPENED - timedelta(hours=1), 2, None, uuid4())
    again = decode_cursor(encode_cursor(cursor))
    assert again == cursor
    assert again.keys(Sort.DUE) == (None,)
    assert again.keys(Sort.PRIORITY) == (2, OPENED - timedelta(hours=1))


@pytest.mark.parametrize("text", ["", "nonsense", "W10", "WyJ4IiwgMSwgMiwgMywgNF0"])
def test_anything_else_is_not_a_cursor(text: str) -> None:
    with pytest.raises(Invalid) as raised:
        decode_cursor(text)
    assert raised.value.field == "cursor"
