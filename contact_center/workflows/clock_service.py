"""Ticket clocks: started, paused, resumed and met as the ticket lives (filled in by the clocks
work)."""

from __future__ import annotations

from datetime import datetime

from contact_center.db import Conn
from contact_center.tickets.model import Status, Ticket


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
