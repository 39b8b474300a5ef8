"""Complaint figures for the reports, from complaints made and worked through the services."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from contact_center import reports, tickets, workflows
from contact_center.audit import Actor
from contact_center.db import Conn
from contact_center.users import Role
from contact_center.workflows import deadline_service
from tests.builders import TEST_ACTOR, make_inbound_sms, make_user
from tests.conftest import SingleConnectionPool
from tests.workflows.helpers import complaint_by_mail
from tests.workflows.test_surveys import closed_with_survey

ZONE = "Asia/Shanghai"
# 10:00 in Shanghai on Monday 2 March 2026.
MONDAY = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
SINCE = datetime(2026, 3, 1, 16, 0, tzinfo=UTC)  # Shanghai midnight starting 2 March
UNTIL = SINCE + timedelta(days=3)  # through Wednesday 4 March


async def test_volume_sources_categories_and_time_in_steps_of_a_period(
    db: SingleConnectionPool,
) -> None:
    user = await make_user(db, Role.AGENT)
    agent = Actor(label=user.email, user_id=user.id)
    by_mail = await complaint_by_mail(db, MONDAY)
    by_sms = (
        await tickets.intake(db, make_inbound_sms(text="我要投诉，快递破损"), now=MONDAY)
    ).ticket_id
    wednesday = MONDAY + timedelta(days=2)
    late = (
        await tickets.intake(db, make_inbound_sms(text="Rude driver, unacceptable"), now=wednesday)
    ).ticket_id
    undone = (
        await tickets.intake(db, make_inbound_sms(text="I want to complain"), now=MONDAY)
    ).ticket_id
    await workflows.undo_classification(db, TEST_ACTOR, undone, now=MONDAY)
    outside = MONDAY - timedelta(days=5)
    await tickets.intake(db, make_inbound_sms(text="Formal complaint"), now=outside)

    await tickets.update_ticket(db, agent, by_mail, {"assignee_id": str(user.id)}, now=MONDAY)
    two_hours, six_hours = MONDAY + timedelta(hours=2), MONDAY + timedelta(hours=6)
    await workflows.move_case(
        db, agent, by_mail, "triaged", {"category": "delivery"}, now=two_hours
    )
    await workflows.move_case(
        db, agent, by_mail, "investigating", {"facts": "Left in rain"}, now=six_hours
    )
    await workflows.update_case_fields(db, agent, by_sms, {"category": "delivery"}, now=MONDAY)
    await workflows.update_case_fields(
        db, agent, late, {"category": "product_quality"}, now=wednesday
    )

    figures = await reports.complaint_figures(db, since=SINCE, until=UNTIL, timezone=ZONE)

    assert figures["total"] == 3
    assert figures["by_day"] == [
        {"day": "2026-03-02", "count": 2},
        {"day": "2026-03-03", "count": 0},
        {"day": "2026-03-04", "count": 1},
    ]
    assert sorted((s["source"], s["channel"], s["count"]) for s in figures["by_source"]) == [
        ("address", "email", 1),
        ("classifier", "sms", 2),
    ]
    assert [(c["category"], c["count"], c["cumulative_share"]) for c in figures["categories"]] == [
        ("delivery", 2, round(2 / 3, 4)),
        ("product_quality", 1, 1.0),
    ]
    steps = {s["step"]: s for s in figures["steps"]}
    assert steps["received"]["count"] == 3 and steps["received"]["median_seconds"] == 0
    assert steps["acknowledged"]["count"] == 1
    assert steps["acknowledged"]["median_seconds"] == 2 * 3600
    assert steps["triaged"]["p90_seconds"] == 4 * 3600
    assert figures["breaches"]["total"] == 0


async def test_a_quiet_period_lists_every_day_at_zero(db: SingleConnectionPool) -> None:
    figures = await reports.complaint_figures(db, since=SINCE, until=UNTIL, timezone=ZONE)
    assert figures["total"] == 0
    assert [d["count"] for d in figures["by_day"]] == [0, 0, 0]
    assert figures["categories"] == [] and figures["steps"] == []


async def test_satisfaction_counts_the_surveys_sent_after_complaints_and_their_scores(
    conn: Conn, db: SingleConnectionPool
) -> None:
    answered, token = await closed_with_survey(
        conn, db, make_inbound_sms(text="Complaint: the driver was rude"), MONDAY
    )
    await closed_with_survey(conn, db, make_inbound_sms(text="我要投诉，太差了"), MONDAY)
    await workflows.answer_by_link(
        db, token, score=4, comment="Sorted quickly", now=MONDAY + timedelta(days=1)
    )
    figures = await reports.complaint_figures(db, since=SINCE, until=UNTIL, timezone=ZONE)
    assert figures["satisfaction"] == {
        "sent": 2,
        "answered": 1,
        "average": 4.0,
        "distribution": {"1": 0, "2": 0, "3": 0, "4": 1, "5": 0},
    }
    assert answered.kind == "complaint"


async def test_breaches_count_the_complaints_clocks_only(db: SingleConnectionPool) -> None:
    await complaint_by_mail(db, MONDAY)
    await tickets.intake(db, make_inbound_sms(text="What time do you open?"), now=MONDAY)
    wednesday = MONDAY + timedelta(days=2)
    await deadline_service.fire_due(db, now=wednesday)
    figures = await reports.complaint_figures(db, since=SINCE, until=UNTIL, timezone=ZONE)
    breached = {(b["kind"], b["step"]): b["tickets"] for b in figures["breaches"]["by_clock"]}
    assert breached[("first_response", None)] == 1
    assert breached[("step", "acknowledged")] == 1
    assert figures["breaches"]["tickets"] == 1
    assert figures["breaches"]["total"] == sum(b["count"] for b in figures["breaches"]["by_clock"])
