"""Complaint cases: started from every entry point, moved through their steps (filled in by
the cases work)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from contact_center.audit import Actor
from contact_center.db import Conn
from contact_center.tickets.model import Status, Ticket
from contact_center.workflows.model import CaseSource


async def start_case(
    conn: Conn,
    ticket: Ticket,
    *,
    source: CaseSource,
    now: datetime,
    confidence: float | None = None,
    matched: tuple[str, ...] = (),
) -> None:
    """Open the ticket's case on the current complaint definition (no-op if it has one)."""


async def customer_wrote(
    conn: Conn, ticket: Ticket, message_id: UUID, *, previous_status: Status, now: datetime
) -> None:
    """Reopen a resolved or closed case at the definition's `reopen_to` step."""


async def ticket_changed(
    conn: Conn, actor: Actor, before: Ticket, after: Ticket, *, now: datetime
) -> None:
    """Kind changed to complaint: start (source: the IVR or an agent); away: withdraw."""
