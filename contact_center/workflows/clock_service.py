"""Ticket clocks: started, paused, resumed and met as the ticket lives (filled in by the clocks
work)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from contact_center.db import Conn
from contact_center.tickets.model import Status, Ticket
from contact_center.workflows.model import Clock, StepDeadline


async def start_ticket_clocks(conn: Conn, ticket: Ticket, *, now: datetime) -> None:
    """First response and resolution clocks for a new ticket, by its priority."""


async def customer_wrote(
    conn: Conn, ticket: Ticket, *, previous_status: Status, now: datetime
) -> None:
    """Resume paused clocks; after a first response, start the next-update clock."""


async def agent_replied(conn: Conn, ticket: Ticket, *, now: datetime) -> None:
    """Meet the first-response and next-update clocks."""


async def ticket_changed(conn: Conn, before: Ticket, after: Ticket, *, now: datetime) -> None:
    """Pending pauses, back from pending resumes, resolved meets resolution, closed cancels."""


# Step clocks for complaint cases (contract shared with the cases work; the clocks work fills
# them in).
async def start_step_clock(
    conn: Conn,
    *,
    ticket_id: UUID,
    case_id: int,
    step: str,
    deadline: StepDeadline,
    started_from: datetime,
    warn_share: float,
    escalate_to: str | None,
    now: datetime,
) -> Clock | None:
    """Start the deadline clock of a case's step."""
    return None


async def stop_step_clocks(conn: Conn, *, case_id: int, now: datetime, cancelled: bool = False) -> None:
    """Meet (or cancel) the case's running step clocks."""


async def cancel_case_clocks(conn: Conn, *, case_id: int, now: datetime) -> None:
    """The case was withdrawn: its clocks are cancelled."""
