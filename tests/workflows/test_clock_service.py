"""Clocks follow the ticket: opening starts them, replies meet them, pending pauses them,
resolving and closing stop them, reopening starts a new resolution clock; step clocks for
the cases."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from contact_center import tickets
from contact_center.db import Conn
from contact_center.workflows import clock_service
from contact_center.workflows.clock_reads import ticket_clocks
from contact_center.workflows.model import ClockMode, StepDeadline
from tests.conftest import SingleConnectionPool
from tests.workflows.helpers import (
    MONDAY_10,
    agent_replies,
    customer_writes,
    open_ticket,
    set_status,
    sms_ticket,
)

HOUR = timedelta(hours=1)


async def clocks_of(db: Any, ticket_id: Any, now: Any = MONDAY_10) -> dict[str, dict[str, Any]]:
    shown = await ticket_clocks(db, ticket_id, now=now)
    return {
        (c["kind"] if c["kind"] != "step" else f"step:{c['step']}")
        + ("" if c["state"] in ("running", "paused") else f":{c['id']}"): c
        for c in shown["clocks"]
    }


async def events_of(db: Any, ticket_id: Any) -> list[tuple[str, str]]:
    shown = await ticket_clocks(db, ticket_id, now=MONDAY_10)
    return [(e["kind"], e["event"]) for e in shown["events"]]


async def test_a_new_ticket_starts_first_response_and_resolution_by_its_priority(db: Any) -> None:
    ticket = await open_ticket(db)  # normal: first response 4 h, resolution 5 working days
    found = await clocks_of(db, ticket.id)
    assert set(found) == {"first_response", "resolution"}
    first = found["first_response"]
    assert first["state"] == "running" and first["mode"] == "business"
    assert first["due_at"] == MONDAY_10 + 4 * HOUR
    assert first["label"] == "First response"
    assert first["remaining_seconds"] == 4 * 3600
    assert found["resolution"]["due_at"] == MONDAY_10 + timedelta(days=7)  # next Monday
    # the inbox's overdue filter reads the first-response due time
    stored, _ = await tickets.get_ticket(db, ticket.id)
    assert stored.due_at == first["due_at"]
    assert await events_of(db, ticket.id) == [
        ("first_response", "started"),
        ("resolution", "started"),
    ]


async def test_an_urgent_ticket_gets_the_urgent_target(db: Any) -> None:
    ticket = await open_ticket(db, priority=tickets.Priority.URGENT)
    found = await clocks_of(db, ticket.id)
    assert found["first_response"]["due_at"] == MONDAY_10 + timedelta(minutes=30)


async def test_an_agent_reply_meets_the_first_response(db: Any) -> None:
    ticket, _ = await sms_ticket(db)
    await agent_replies(db, ticket, now=MONDAY_10 + HOUR)
    found = await clocks_of(db, ticket.id, MONDAY_10 + HOUR)
    (met,) = [c for c in found.values() if c["kind"] == "first_response"]
    assert met["state"] == "met" and met["used_seconds"] == 3600
    assert met["ended_at"] == MONDAY_10 + HOUR
    assert found["resolution"]["state"] == "running"


async def test_the_customer_writing_after_a_reply_starts_the_next_update(db: Any) -> None:
    ticket, phone = await sms_ticket(db)
    await customer_writes(db, phone, now=MONDAY_10 + timedelta(minutes=10))
    assert "next_update" not in await clocks_of(db, ticket.id)  # no first response yet
    await agent_replies(db, ticket, now=MONDAY_10 + HOUR)
    await customer_writes(db, phone, now=MONDAY_10 + 2 * HOUR)
    found = await clocks_of(db, ticket.id)
    assert found["next_update"]["state"] == "running"
    assert found["next_update"]["due_at"] == MONDAY_10 + timedelta(days=1, hours=2)  # normal: 1d
    await agent_replies(db, ticket, now=MONDAY_10 + 3 * HOUR)
    assert "next_update" not in await clocks_of(db, ticket.id)
    assert ("next_update", "met") in await events_of(db, ticket.id)


async def test_pending_pauses_every_clock_and_leaving_pending_moves_the_due_time(db: Any) -> None:
    ticket = await open_ticket(db)
    await set_status(db, ticket, "pending", now=MONDAY_10 + HOUR)
    paused = await clocks_of(db, ticket.id, MONDAY_10 + 5 * HOUR)
    assert {c["state"] for c in paused.values()} == {"paused"}
    assert paused["first_response"]["due_at"] is None
    assert paused["first_response"]["remaining_seconds"] == 3 * 3600  # paused: nothing runs
    stored, _ = await tickets.get_ticket(db, ticket.id)
    assert stored.due_at is None  # not overdue while waiting on the customer
    tuesday_10 = MONDAY_10 + timedelta(days=1)
    await set_status(db, ticket, "open", now=tuesday_10)
    resumed = await clocks_of(db, ticket.id, tuesday_10)
    assert resumed["first_response"]["state"] == "running"
    assert resumed["first_response"]["due_at"] == tuesday_10 + 3 * HOUR
    stored, _ = await tickets.get_ticket(db, ticket.id)
    assert stored.due_at == tuesday_10 + 3 * HOUR
    assert ("first_response", "paused") in await events_of(db, ticket.id)
    assert ("first_response", "resumed") in await events_of(db, ticket.id)


async def test_the_customer_answering_a_pending_ticket_resumes_its_clocks(db: Any) -> None:
    ticket, phone = await sms_ticket(db)
    await set_status(db, ticket, "pending", now=MONDAY_10 + HOUR)
    await customer_writes(db, phone, now=MONDAY_10 + 2 * HOUR)
    found = await clocks_of(db, ticket.id)
    assert found["first_response"]["state"] == "running"
    assert found["first_response"]["due_at"] == MONDAY_10 + 5 * HOUR


async def test_resolving_meets_resolution_and_closing_cancels_the_rest(db: Any) -> None:
    ticket = await open_ticket(db)
    await set_status(db, ticket, "resolved", now=MONDAY_10 + HOUR)
    found = await clocks_of(db, ticket.id)
    assert found["first_response"]["state"] == "running"
    assert [c["state"] for c in found.values() if c["kind"] == "resolution"] == ["met"]
    await set_status(db, ticket, "closed", now=MONDAY_10 + 2 * HOUR)
    found = await clocks_of(db, ticket.id)
    assert {c["state"] for c in found.values()} == {"met", "cancelled"}


async def test_resolving_a_pending_ticket_meets_resolution_and_resumes_the_rest(db: Any) -> None:
    ticket = await open_ticket(db)
    await set_status(db, ticket, "pending", now=MONDAY_10 + HOUR)
    await set_status(db, ticket, "resolved", now=MONDAY_10 + 2 * HOUR)
    found = await clocks_of(db, ticket.id, MONDAY_10 + 2 * HOUR)
    (resolution,) = [c for c in found.values() if c["kind"] == "resolution"]
    assert resolution["state"] == "met" and resolution["used_seconds"] == 3600
    assert found["first_response"]["state"] == "running"
    assert found["first_response"]["due_at"] == MONDAY_10 + 5 * HOUR


async def test_a_reopened_ticket_starts_a_new_resolution_clock(db: Any) -> None:
    ticket = await open_ticket(db)
    await set_status(db, ticket, "resolved", now=MONDAY_10 + HOUR)
    await set_status(db, ticket, "open", now=MONDAY_10 + 2 * HOUR)
    found = await clocks_of(db, ticket.id)
    assert found["resolution"]["state"] == "running"
    assert found["resolution"]["started_at"] == MONDAY_10 + 2 * HOUR
    assert len([c for c in found.values() if c["kind"] == "resolution"]) == 2


async def test_step_clocks_start_pause_with_the_ticket_and_stop_with_the_step(
    conn: Conn, db: SingleConnectionPool
) -> None:
    ticket = await open_ticket(db)
    case_id = await _case(conn, ticket.id)
    clock = await clock_service.start_step_clock(
        conn,
        ticket_id=ticket.id,
        case_id=case_id,
        step="investigating",
        deadline=StepDeadline(within="2h"),
        started_from=MONDAY_10,
        warn_share=0.5,
        escalate_to="supervisors",
        now=MONDAY_10 + timedelta(minutes=30),
    )
    assert clock.used_seconds == 1800
    assert clock.due_at == MONDAY_10 + 2 * HOUR
    assert clock.warn_at == MONDAY_10 + HOUR
    await set_status(db, ticket, "pending", now=MONDAY_10 + HOUR)
    found = await clocks_of(db, ticket.id)
    assert found["step:investigating"]["state"] == "paused"
    assert found["step:investigating"]["label"] == "Step: investigating"
    await set_status(db, ticket, "open", now=MONDAY_10 + 3 * HOUR)
    await clock_service.stop_step_clocks(conn, case_id=case_id, now=MONDAY_10 + 4 * HOUR)
    found = await clocks_of(db, ticket.id)
    (met,) = [c for c in found.values() if c["kind"] == "step"]
    assert met["state"] == "met" and met["used_seconds"] == 2 * 3600


async def test_a_withdrawn_case_cancels_its_step_clocks(
    conn: Conn, db: SingleConnectionPool
) -> None:
    ticket = await open_ticket(db)
    case_id = await _case(conn, ticket.id)
    await clock_service.start_step_clock(
        conn,
        ticket_id=ticket.id,
        case_id=case_id,
        step="acknowledged",
        deadline=StepDeadline(within="24h", mode=ClockMode.WALL),
        started_from=MONDAY_10,
        warn_share=0.8,
        escalate_to=None,
        now=MONDAY_10,
    )
    await clock_service.cancel_case_clocks(conn, case_id=case_id, now=MONDAY_10 + HOUR)
    found = await clocks_of(db, ticket.id)
    assert [c["state"] for c in found.values() if c["kind"] == "step"] == ["cancelled"]


async def _case(conn: Conn, ticket_id: Any) -> int:
    """A case row for step clocks to hang on (cases make them; a bare row is enough here)."""
    definition: int = await conn.fetchval(
        "INSERT INTO workflow_definitions (name, version, body, created_at)"
        " VALUES ('t', 1, '{}', now()) RETURNING id"
    )
    case_id: int = await conn.fetchval(
        "INSERT INTO cases (ticket_id, definition_id, step, state, source, opened_at,"
        " step_entered_at) VALUES ($1, $2, 'received', 'open', 'agent', now(), now())"
        " RETURNING id",
        ticket_id,
        definition,
    )
    return case_id
