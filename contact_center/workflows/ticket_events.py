"""What a ticket's life means for its clocks and its complaint case: the one place tickets
call into workflows, inside the caller's transaction."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from contact_center.audit import Actor
from contact_center.db import Conn
from contact_center.tickets.model import Kind, Status, Ticket
from contact_center.workflows import at_risk, cases, clock_service
from contact_center.workflows.model import CaseSource


async def ticket_opened(
    conn: Conn,
    ticket: Ticket,
    *,
    source: CaseSource | None,
    now: datetime,
    confidence: float | None = None,
    matched: tuple[str, ...] = (),
    automated: str | None = None,
) -> None:
    """A new ticket: its clocks start; a complaint starts its case (`source` says why: the
    complaints address, the classifier — with its confidence and matched phrases —, an agent;
    None for a ticket that is no complaint). `automated`: why its first contact was machine-
    sent mail, as intake saw it (the case then thanks and surveys nobody)."""
    await clock_service.start_ticket_clocks(conn, ticket, now=now)
    if source is not None:
        await cases.start_case(
            conn,
            ticket,
            source=source,
            now=now,
            confidence=confidence,
            matched=matched,
            automated=automated,
        )
        await at_risk.complaint_opened(conn, ticket, now=now)


async def customer_wrote(
    conn: Conn,
    ticket: Ticket,
    message_id: UUID,
    *,
    previous_status: Status,
    now: datetime,
    automated: str | None = None,
) -> None:
    """A customer's message on an existing ticket: paused clocks resume, the next update is
    due, and a resolved or closed complaint reopens (or a waiting one resumes). A machine's
    message (`automated`, as intake saw it: an out-of-office reply) is stored but changes no
    clock and reopens no case (mail-loop rule)."""
    if automated is None:
        await clock_service.customer_wrote(conn, ticket, previous_status=previous_status, now=now)
    await cases.customer_wrote(
        conn, ticket, message_id, previous_status=previous_status, now=now, automated=automated
    )


async def agent_replied(conn: Conn, ticket: Ticket, *, now: datetime) -> None:
    """An agent's reply to the customer: the first response and the next update are met."""
    await clock_service.agent_replied(conn, ticket, now=now)


async def reply_undone(conn: Conn, ticket: Ticket, *, replied_at: datetime, now: datetime) -> None:
    """An agent's reply taken back before it left: the clocks it met count again."""
    await clock_service.reply_undone(conn, ticket, replied_at=replied_at, now=now)


async def ticket_changed(
    conn: Conn, actor: Actor, before: Ticket, after: Ticket, *, now: datetime
) -> None:
    """A ticket changed by a person or the system: waiting on the customer pauses its clocks,
    resolving meets the resolution clock; a kind changed to complaint starts a case, away
    from complaint withdraws it."""
    await clock_service.ticket_changed(conn, before, after, now=now)
    await cases.ticket_changed(conn, actor, before, after, now=now)
    if after.kind != before.kind and after.kind is Kind.COMPLAINT:
        await at_risk.complaint_opened(conn, after, now=now)
