"""A complaint moved through every step by people: refusals say what is missing, the ticket
follows the case, a customer's reply reopens it, versions stay with their cases."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from contact_center import audit, tickets, workflows
from contact_center.audit import Actor
from contact_center.errors import Conflict, Invalid
from contact_center.tickets import Status
from contact_center.timeutil import utc_now
from contact_center.users import Role
from tests.builders import (
    TEST_ACTOR,
    make_customer,
    make_inbound_email,
    make_inbound_sms,
    make_organization,
    make_user,
)
from tests.conftest import SingleConnectionPool
from tests.workflows.helpers import case_of, complaint_by_mail


async def agent_actor(db: SingleConnectionPool, role: Role = Role.AGENT) -> Actor:
    user = await make_user(db, role)
    return Actor(label=f"user:{user.email}", user_id=user.id)


async def test_leaving_acknowledged_without_an_owner_or_category_is_refused_saying_what_to_do(
    db: SingleConnectionPool,
) -> None:
    now = utc_now()
    actor = await agent_actor(db)
    ticket_id = await complaint_by_mail(db, now)
    with pytest.raises(Invalid) as refused:
        await workflows.move_case(db, actor, ticket_id, "triaged", {}, now=now)
    assert refused.value.field == "owner"
    assert refused.value.message == "To leave Acknowledged, assign the ticket to an owner."
    await tickets.update_ticket(db, actor, ticket_id, {"assignee_id": str(actor.user_id)}, now=now)
    with pytest.raises(Invalid) as refused:
        await workflows.move_case(db, actor, ticket_id, "triaged", {}, now=now)
    assert (refused.value.field, refused.value.message) == (
        "category",
        "To leave Acknowledged, choose a category.",
    )
    with pytest.raises(Conflict) as refused:
        await workflows.move_case(db, actor, ticket_id, "triaged", {"category": "weather"}, now=now)
    assert refused.value.field == "category"
    with pytest.raises(Conflict):
        await workflows.move_case(db, actor, ticket_id, "closed", {"category": "billing"}, now=now)


async def test_a_complaint_runs_through_every_step_to_closed_and_the_ticket_is_resolved(
    db: SingleConnectionPool,
) -> None:
    start = utc_now()
    actor = await agent_actor(db)
    ticket_id = await complaint_by_mail(db, start)
    await tickets.update_ticket(
        db, actor, ticket_id, {"assignee_id": str(actor.user_id)}, now=start
    )
    moves = [
        ("triaged", {"category": "product_quality"}),
        ("investigating", {"facts": "The lid seal is missing on batch 42."}),
        ("resolved", {"resolution": "Replacement kettle sent."}),
        ("callback_done", {"callback_outcome": "Customer happy with the replacement."}),
        ("closed", {"root_cause": "manufacturing_defect"}),
    ]
    for minutes, (to, fields) in enumerate(moves, start=1):
        view = await workflows.move_case(
            db, actor, ticket_id, to, fields, now=start + timedelta(minutes=minutes)
        )
        assert view["case"]["step"] == to
    case = view["case"]
    assert case["state"] == "closed" and case["closed_at"] is not None
    assert all(s["state"] == "done" for s in case["steps"])
    assert [h["step"] for h in case["history"]] == [
        "received",
        "acknowledged",
        "triaged",
        "investigating",
        "resolved",
        "callback_done",
        "closed",
    ]
    assert case["fields"]["root_cause"] == "manufacturing_defect"
    assert case["history"][-1]["left_at"] is None
    ticket, _messages = await tickets.get_ticket(db, ticket_id)
    assert ticket.status is Status.RESOLVED
    async with db.acquire() as conn:
        entries = await audit.list_entries(conn, "case", [str(case["id"])])
    steps = [e.after["step"] for e in entries if e.action == "moved" and e.after]
    assert steps == [m[0] for m in [("acknowledged", {}), *moves]]


async def test_saving_fields_without_moving_keeps_the_step(db: SingleConnectionPool) -> None:
    now = utc_now()
    actor = await agent_actor(db)
    ticket_id = await complaint_by_mail(db, now)
    view = await workflows.update_case_fields(
        db, actor, ticket_id, {"category": "delivery", "facts": "Parcel left in the rain"}, now=now
    )
    assert view["case"]["step"] == "acknowledged"
    assert view["case"]["fields"]["facts"] == "Parcel left in the rain"
    assert view["case"]["next"][0]["missing"] == ["owner"]
    with pytest.raises(Invalid) as refused:
        await workflows.update_case_fields(db, actor, ticket_id, {"owner": "me"}, now=now)
    assert refused.value.field == "owner"


async def close_case(db: SingleConnectionPool, actor: Actor, ticket_id: object) -> None:
    now = utc_now()
    await tickets.update_ticket(db, actor, ticket_id, {"assignee_id": str(actor.user_id)}, now=now)  # type: ignore[arg-type]
    fields = {
        "category": "billing",
        "facts": "Charged twice",
        "resolution": "Refunded",
        "callback_outcome": "Confirmed",
        "root_cause": "billing_error",
    }
    for to in ("triaged", "investigating", "resolved", "callback_done", "closed"):
        await workflows.move_case(db, actor, ticket_id, to, fields, now=now)  # type: ignore[arg-type]


async def test_a_customer_reply_reopens_a_closed_case_at_investigating(
    db: SingleConnectionPool,
) -> None:
    actor = await agent_actor(db)
    writer = "reopen-writer@example.net"
    ticket_id = await complaint_by_mail(db, utc_now(), from_address=writer)
    await close_case(db, actor, ticket_id)
    closed, _messages = await tickets.get_ticket(db, ticket_id)
    reply = make_inbound_email(
        from_address=writer,
        to_address="complaints@example.com",
        subject="Re: Broken kettle",
        text="The refund never arrived.",
        ticket_hint=closed.number,
    )
    result = await tickets.intake(db, reply, now=utc_now())
    assert result.ticket_id == ticket_id
    case = await case_of(db, ticket_id)
    assert (case["step"], case["state"], case["closed_at"]) == ("investigating", "open", None)
    assert case["history"][-1]["step"] == "investigating"
    ticket, _messages = await tickets.get_ticket(db, ticket_id)
    assert ticket.status is Status.OPEN


async def test_an_sms_after_a_closed_sms_complaint_reopens_it_without_naming_it(
    db: SingleConnectionPool,
) -> None:
    """SMS names no ticket: "it broke again" within the thread window goes back on the
    complaint (resolved when its case closed) and reopens the case, not a new inquiry."""
    actor = await agent_actor(db)
    phone = "+12025550187"
    first = make_inbound_sms(from_address=phone, text="I want to complain, the kettle leaks")
    ticket_id = (await tickets.intake(db, first, now=utc_now())).ticket_id
    await close_case(db, actor, ticket_id)
    again = make_inbound_sms(from_address=phone, text="It broke again")
    result = await tickets.intake(db, again, now=utc_now())
    assert (result.ticket_id, result.opened_ticket) == (ticket_id, False)
    case = await case_of(db, ticket_id)
    assert (case["step"], case["state"]) == ("investigating", "open")


async def test_a_customer_reply_while_the_case_is_worked_on_leaves_its_step(
    db: SingleConnectionPool,
) -> None:
    writer = "patient-writer@example.net"
    ticket_id = await complaint_by_mail(db, utc_now(), from_address=writer)
    reply = make_inbound_email(
        from_address=writer,
        to_address="complaints@example.com",
        subject="Re: Broken kettle",
        text="Any news?",
    )
    await tickets.intake(db, reply, now=utc_now())
    case = await case_of(db, ticket_id)
    assert case["step"] == "acknowledged" and len(case["history"]) == 2


async def test_running_cases_keep_their_version_and_new_cases_take_the_latest(
    db: SingleConnectionPool,
) -> None:
    supervisor = await agent_actor(db, Role.SUPERVISOR)
    before = await complaint_by_mail(db, utc_now())
    current = await workflows.get_workflow(db, "complaint")
    body = copy.deepcopy(current["definition"])
    body["steps"][1]["deadline"]["default"] = "3h"
    saved = await workflows.update_workflow(
        db, supervisor, "complaint", body, version=current["version"], now=utc_now()
    )
    assert saved["version"] == current["version"] + 1
    assert saved["versions"][0]["created_by"] == supervisor.user_id
    after = await complaint_by_mail(db, utc_now())
    old, new = await case_of(db, before), await case_of(db, after)
    assert old["definition"]["version"] == current["version"]
    assert new["definition"]["version"] == saved["version"]
    assert new["steps"][1]["deadline"] == {"within": "3h", "mode": "business"}
    assert old["steps"][1]["deadline"] == {"within": "2h", "mode": "business"}


async def test_a_changed_structure_or_a_stale_version_is_refused(db: SingleConnectionPool) -> None:
    supervisor = await agent_actor(db, Role.SUPERVISOR)
    current = await workflows.get_workflow(db, "complaint")
    body = copy.deepcopy(current["definition"])
    body["steps"][1]["leave_requires"] = ["owner"]
    with pytest.raises(Conflict) as refused:
        await workflows.update_workflow(
            db, supervisor, "complaint", body, version=current["version"], now=utc_now()
        )
    assert "Only deadlines" in refused.value.message
    body = copy.deepcopy(current["definition"])
    with pytest.raises(Conflict):
        await workflows.update_workflow(
            db, supervisor, "complaint", body, version=current["version"] - 1 or 99, now=utc_now()
        )
    body["steps"][1]["deadline"]["default"] = "two hours"
    with pytest.raises(Conflict) as invalid:
        await workflows.update_workflow(
            db, supervisor, "complaint", body, version=current["version"], now=utc_now()
        )
    assert invalid.value.field == "steps[1].deadline.default"


def step_clocks(found: dict[str, Any]) -> dict[str, tuple[str, str, int]]:
    return {
        c["step"]: (c["state"], c["mode"], c["target_seconds"])
        for c in found["clocks"]
        if c["kind"] == "step"
    }


async def test_each_step_entered_starts_its_deadline_clock_and_meets_the_last(
    db: SingleConnectionPool,
) -> None:
    monday = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # inside the default business week
    actor = await agent_actor(db)
    ticket_id = await complaint_by_mail(db, monday)
    clocks = step_clocks(await workflows.ticket_clocks(db, ticket_id, now=monday))
    assert clocks["received"] == ("met", "wall", 60)
    assert clocks["acknowledged"] == ("running", "business", 2 * 3600)
    await tickets.update_ticket(
        db, actor, ticket_id, {"assignee_id": str(actor.user_id)}, now=monday
    )
    later = monday + timedelta(minutes=30)
    await workflows.move_case(db, actor, ticket_id, "triaged", {"category": "billing"}, now=later)
    clocks = step_clocks(await workflows.ticket_clocks(db, ticket_id, now=later))
    assert clocks["acknowledged"][0] == "met"
    assert clocks["triaged"] == ("running", "business", 4 * 3600)


async def test_a_key_account_gets_the_wall_clock_24_hours_from_the_complaint_to_resolve(
    db: SingleConnectionPool,
) -> None:
    monday = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    actor = await agent_actor(db)
    org = await make_organization(db, "Key Org", tier="A", is_key_account=True)
    writer = await make_customer(
        db, "Key Writer", emails=["key.writer@example.net"], organization_id=str(org.id)
    )
    ticket_id = await complaint_by_mail(db, monday, from_address=writer.emails[0])
    await tickets.update_ticket(
        db, actor, ticket_id, {"assignee_id": str(actor.user_id)}, now=monday
    )
    fields = {"category": "billing", "facts": "Charged twice", "resolution": "Refunded"}
    for hours, to in enumerate(("triaged", "investigating", "resolved"), start=1):
        await workflows.move_case(
            db, actor, ticket_id, to, fields, now=monday + timedelta(hours=hours)
        )
    found = await workflows.ticket_clocks(db, ticket_id, now=monday + timedelta(hours=3))
    (resolved,) = [c for c in found["clocks"] if c.get("step") == "resolved"]
    assert resolved["mode"] == "wall"
    assert datetime.fromisoformat(str(resolved["due_at"])) == monday + timedelta(hours=24)


async def test_withdrawing_a_case_cancels_its_step_clock(db: SingleConnectionPool) -> None:
    monday = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    ticket_id = await complaint_by_mail(db, monday)
    await tickets.update_ticket(db, TEST_ACTOR, ticket_id, {"kind": "inquiry"}, now=monday)
    clocks = step_clocks(await workflows.ticket_clocks(db, ticket_id, now=monday))
    assert clocks["acknowledged"][0] == "cancelled"


async def test_an_agent_reopening_a_closed_case_reopens_its_resolved_ticket(
    db: SingleConnectionPool,
) -> None:
    actor = await agent_actor(db)
    ticket_id = await complaint_by_mail(db, utc_now())
    await close_case(db, actor, ticket_id)
    ticket, _messages = await tickets.get_ticket(db, ticket_id)
    assert ticket.status is Status.RESOLVED
    view = await workflows.move_case(db, actor, ticket_id, "investigating", {}, now=utc_now())
    assert (view["case"]["step"], view["case"]["state"]) == ("investigating", "open")
    ticket, _messages = await tickets.get_ticket(db, ticket_id)
    assert ticket.status is Status.OPEN
