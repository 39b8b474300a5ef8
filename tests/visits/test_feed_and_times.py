"""Site-zone times: a visit's wall-clock minutes become UTC instants that keep the wall clock
across a DST change, and the iCalendar feed parses back with them."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from uuid import uuid4
from zoneinfo import ZoneInfo

import icalendar

from contact_center.visits.feed import calendar_of
from contact_center.visits.plan_input import instant
from contact_center.visits.views import VisitView

BERLIN = ZoneInfo("Europe/Berlin")


def test_ten_o_clock_stays_ten_o_clock_across_the_dst_change() -> None:
    before = instant(date(2026, 3, 27), 10 * 60, BERLIN)  # Friday, CET
    after = instant(date(2026, 3, 30), 10 * 60, BERLIN)  # Monday, CEST
    assert before == datetime(2026, 3, 27, 9, 0, tzinfo=UTC)
    assert after == datetime(2026, 3, 30, 8, 0, tzinfo=UTC)
    assert after.astimezone(BERLIN).hour == before.astimezone(BERLIN).hour == 10


def _view(day: date, minute: int, **changes: object) -> VisitView:
    now = datetime(2026, 3, 20, tzinfo=UTC)
    base = VisitView(
        id=uuid4(),
        organization_id=uuid4(),
        manager_id=uuid4(),
        day=day,
        kind="cadence",
        state="planned",
        pinned=False,
        request_id=None,
        sequence=0,
        arrives_at=instant(day, minute, BERLIN),
        leaves_at=instant(day, minute + 45, BERLIN),
        outcome_notes="",
        next_steps="",
        satisfaction=None,
        recorded_at=None,
        recorded_by=None,
        version=1,
        created_at=now,
        updated_at=now,
        account_name="华东贸易 East Trading",
        manager_name="Mia Manager",
        address="1 Hafenstraße, Hamburg",
        latitude=53.54,
        longitude=9.98,
        window_start="09:00",
        window_end="17:00",
        duration_minutes=45,
        reason="complaint_followup",
        request_note="Follow-up of complaint #12",
        cancel_reason="",
        needs_outcome=False,
        reminder="not_due",
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_the_feed_of_a_dst_week_parses_back_with_icalendar() -> None:
    visits = [
        _view(date(2026, 3, 27), 600),
        _view(date(2026, 3, 30), 600, state="confirmed", version=3),
        _view(date(2026, 3, 31), 600, state="cancelled"),
        _view(date(2026, 4, 1), 600, arrives_at=None, leaves_at=None),  # not ordered yet
    ]
    cal = icalendar.Calendar.from_ical(
        calendar_of("Mia Manager", visits, now=datetime(2026, 3, 20, tzinfo=UTC))
    )
    assert str(cal["VERSION"]) == "2.0" and "contact-center" in str(cal["PRODID"])
    events = list(cal.walk("VEVENT"))
    assert len(events) == 3
    starts = [e.decoded("DTSTART").astimezone(BERLIN) for e in events]
    assert [(s.day, s.hour) for s in starts] == [(27, 10), (30, 10), (31, 10)]
    assert [str(e["STATUS"]) for e in events] == ["TENTATIVE", "CONFIRMED", "CANCELLED"]
    assert [int(e["SEQUENCE"]) for e in events] == [0, 2, 0]
    assert str(events[0]["SUMMARY"]) == "华东贸易 East Trading"
    assert events[0]["GEO"].latitude == 53.54
    assert "Follow-up of complaint #12" in str(events[0]["DESCRIPTION"])
    assert str(events[0]["UID"]) == f"{visits[0].id}@visits.contact-center"
    assert (events[0].decoded("DTEND") - events[0].decoded("DTSTART")).seconds == 45 * 60


def test_a_missed_visit_stays_in_the_feed_marked_missed_not_cancelled() -> None:
    """Calendar apps hide or strike out a CANCELLED event; a missed visit did take its slot,
    and the manager should see that it was missed."""
    visits = [
        _view(date(2026, 3, 24), 600, state="missed", version=2),
        _view(date(2026, 3, 25), 600, state="done", version=2),
    ]
    cal = icalendar.Calendar.from_ical(
        calendar_of("Mia Manager", visits, now=datetime(2026, 3, 26, tzinfo=UTC))
    )
    missed, done = cal.walk("VEVENT")
    assert "STATUS" not in missed
    assert str(missed["SUMMARY"]) == "Missed: 华东贸易 East Trading"
    assert str(done["STATUS"]) == "CONFIRMED"
    assert str(done["SUMMARY"]) == "华东贸易 East Trading"
