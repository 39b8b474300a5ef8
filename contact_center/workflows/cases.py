"""Complaint cases: started from every entry point, moved through their steps by people and
the system, reopened by the customer, withdrawn when the ticket is no complaint after all.

Status rules: entering the definition's final step resolves the ticket (unless it is resolved
or closed already); leaving the final step again (a reopen) sets a resolved or closed ticket
back to open. Resolving or closing the ticket by hand does not move the case.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from contact_center import audit, customers, i18n, live, tickets
from contact_center.audit import Actor
from contact_center.db import Conn
from contact_center.errors import Conflict, Invalid
from contact_center.i18n import gettext as _
from contact_center.live.model import Event
from contact_center.tickets.model import Kind, Status, Ticket
from contact_center.workflows import (
    actions,
    case_fields,
    clock_service,
    store,
    transitions,
    versions,
)
from contact_center.workflows.model import Case, CaseSource, CaseState, Definition

WORKFLOW = "complaint"
SYSTEM = Actor.system("workflows")
IVR_LABEL = Actor.system("ivr").label
FINISHED = (Status.RESOLVED, Status.CLOSED)


async def start_case(
    conn: Conn,
    ticket: Ticket,
    *,
    source: CaseSource,
    now: datetime,
    confidence: float | None = None,
    matched: tuple[str, ...] = (),
    actor: Actor = SYSTEM,
    automated: str | None = None,
) -> Case:
    """Open the ticket's case on the latest complaint definition, enter its first step (its
    actions run, automatic steps are left at once). Idempotent per ticket: a ticket that has
    a case (not withdrawn) keeps it. `automated`: why the contact that opened the ticket was
    machine-sent (never thanked nor surveyed)."""
    existing = await store.case_of_ticket(conn, ticket.id, lock=True)
    if existing is not None:
        return existing
    definition = await versions.current_definition(conn, WORKFLOW, now=now)
    account = await customers.account_of(conn, ticket.customer_id)
    case = await store.insert_case(
        conn,
        ticket_id=ticket.id,
        definition_id=definition.id,
        step=definition.steps[0].key,
        source=source,
        confidence=confidence,
        matched=matched,
        key_account=account.key_account,
        now=now,
    )
    if case is None:  # a concurrent start won the unique index
        found = await store.case_of_ticket(conn, ticket.id)
        assert found is not None, "the case that won the index is visible after it"
        return found
    await audit.record_change(
        conn,
        actor,
        "case",
        case.id,
        "opened",
        after={
            "ticket_id": ticket.id,
            "source": source,
            "confidence": confidence,
            "matched": list(matched),
            "definition": f"{definition.name}:{definition.version}",
            "automated": automated,
        },
        at=now,
    )
    case = await _enter(
        conn, actor, case, definition, ticket, case.step, now=now, first=True, automated=automated
    )
    return case


async def _enter(
    conn: Conn,
    actor: Actor,
    case: Case,
    definition: Definition,
    ticket: Ticket,
    step_key: str,
    *,
    now: datetime,
    first: bool = False,
    note: str = "",
    automated: str | None = None,
) -> Case:
    """Enter `step_key`: the step row, the deadline clock, the actions, the ticket's status;
    then on through automatic steps. Audited and announced."""
    before = case.step
    if not first:
        await clock_service.stop_step_clocks(conn, case_id=case.id, now=now)
    step = definition.step(step_key)
    final = step.final
    case = await store.update_case(
        conn,
        case.id,
        step=step_key,
        step_entered_at=now,
        state=CaseState.CLOSED if final else CaseState.OPEN,
        closed_at=now if final else None,
    )
    await store.enter_step(conn, case.id, step_key, at=now, by=actor.user_id, note=note)
    if not first:
        await audit.record_change(
            conn,
            actor,
            "case",
            case.id,
            "moved",
            before={"step": before},
            after={"step": step_key, "note": note} if note else {"step": step_key},
            at=now,
        )
    tier = transitions.deadline_tier(case.key_account, step)
    if tier is not None:
        deadline = step.deadline[tier]
        await clock_service.start_step_clock(
            conn,
            ticket_id=ticket.id,
            case_id=case.id,
            step=step_key,
            deadline=deadline,
            started_from=case.opened_at if deadline.from_case_start else now,
            warn_share=step.warn_at if step.warn_at is not None else definition.warn_at,
            escalate_to=step.escalate_to or definition.escalate_to,
            now=now,
        )
    ticket = await _ticket_follows(conn, actor, ticket, definition, before, step_key, now=now)
    await _run_actions(conn, case, ticket, definition, now=now, automated=automated)
    await _announce(conn, case)
    following = transitions.next_automatic(definition, step_key)
    if following is not None:
        return await _enter(
            conn, SYSTEM, case, definition, ticket, following, now=now, automated=automated
        )
    return case


async def _ticket_follows(
    conn: Conn,
    actor: Actor,
    ticket: Ticket,
    definition: Definition,
    before: str,
    after: str,
    *,
    now: datetime,
) -> Ticket:
    """Entering the final step resolves the ticket; leaving it reopens a finished ticket."""
    if definition.step(after).final and ticket.status not in FINISHED:
        status = Status.RESOLVED
    elif definition.step(before).final and not definition.step(after).final:
        status = Status.OPEN if ticket.status in FINISHED else ticket.status
    else:
        return ticket
    if status is ticket.status:
        return ticket
    return await tickets.update_ticket_in(conn, actor, ticket.id, {"status": status}, now=now)


async def _announce(conn: Conn, case: Case) -> None:
    await live.publish(
        conn,
        Event.CASE_UPDATED,
        {"ticket_id": case.ticket_id, "case_id": case.id, "step": case.step, "state": case.state},
    )


async def _run_actions(
    conn: Conn,
    case: Case,
    ticket: Ticket,
    definition: Definition,
    *,
    now: datetime,
    automated: str | None,
) -> None:
    """The step's automatic actions (acknowledgement, owner, callbacks, survey, visit), each
    once per (case, action, step entry)."""
    for action in definition.step(case.step).on_enter:
        await actions.run(conn, action, case, ticket, definition, now=now, automated=automated)


async def move_case_in(
    conn: Conn, actor: Actor, ticket_id: UUID, to: str, fields: dict[str, Any], *, now: datetime
) -> Case:
    """`move_case` inside the caller's transaction."""
    ticket = await tickets.load_ticket_in(conn, ticket_id, for_update=True)
    case = await _open_case(conn, ticket_id)
    definition = await versions.definition_by_id(conn, case.definition_id)
    case = await case_fields.save_fields(conn, actor, case, fields, now=now)
    refused = transitions.refusal(
        definition,
        case.step,
        to,
        case.fields,
        assignee_id=ticket.assignee_id,
        language=i18n.current.get(),
    )
    if refused is not None and refused.field is not None:
        raise Invalid(refused.message, field=refused.field)
    if refused is not None:
        raise Conflict(refused.message)
    return await _enter(conn, actor, case, definition, ticket, to, now=now)


async def update_case_fields_in(
    conn: Conn, actor: Actor, ticket_id: UUID, fields: dict[str, Any], *, now: datetime
) -> Case:
    """Save a case's fields (facts, category, ...) without moving it."""
    await tickets.load_ticket_in(conn, ticket_id, for_update=True)
    case = await _open_case(conn, ticket_id)
    case = await case_fields.save_fields(conn, actor, case, fields, now=now)
    await _announce(conn, case)
    return case


async def _open_case(conn: Conn, ticket_id: UUID) -> Case:
    case = await store.case_of_ticket(conn, ticket_id, lock=True)
    if case is None:
        # The ticket is there, but it is no complaint (or no longer): a refusal, not a 404.
        raise Conflict(_("This ticket has no complaint case."))
    return case


async def customer_wrote(
    conn: Conn,
    ticket: Ticket,
    message_id: UUID,
    *,
    previous_status: Status,
    now: datetime,
    automated: str | None = None,
) -> None:
    """Reopen a resolved or closed case at the definition's `reopen_to` step (a case still
    being worked on goes on as it is; its clocks resume by themselves). A machine's message
    (`automated`: an out-of-office reply, say) reopens nothing: a note says it came."""
    case = await store.case_of_ticket(conn, ticket.id, lock=True)
    if case is None:
        return
    definition = await versions.definition_by_id(conn, case.definition_id)
    closed = case.state is CaseState.CLOSED
    if not transitions.reopens(definition, case.step, closed=closed):
        return
    if automated is not None:
        note = f"An automatic message ({automated}) came in; the complaint was not reopened."
        await tickets.add_system_note(conn, ticket.id, note, now=now)
        return
    await _enter(
        conn,
        SYSTEM,
        case,
        definition,
        ticket,
        transitions.reopen_step(definition),
        now=now,
        note=f"customer wrote (message {message_id})",
    )


async def ticket_changed(
    conn: Conn, actor: Actor, before: Ticket, after: Ticket, *, now: datetime
) -> None:
    """Kind changed to complaint: start (source: the IVR or an agent); away: withdraw."""
    if before.kind is after.kind:
        return
    if after.kind is Kind.COMPLAINT:
        source = CaseSource.IVR if actor.label == IVR_LABEL else CaseSource.AGENT
        await start_case(conn, after, source=source, now=now, actor=actor)
    elif before.kind is Kind.COMPLAINT:
        await withdraw_case(conn, actor, after, now=now)


async def withdraw_case(conn: Conn, actor: Actor, ticket: Ticket, *, now: datetime) -> None:
    """Not a complaint after all: the case is withdrawn and its clocks cancelled."""
    case = await store.case_of_ticket(conn, ticket.id, lock=True)
    if case is None:
        return
    await clock_service.cancel_case_clocks(conn, case_id=case.id, now=now)
    await store.leave_steps(conn, case.id, at=now)
    case = await store.update_case(conn, case.id, state=CaseState.WITHDRAWN, closed_at=now)
    await audit.record_change(
        conn,
        actor,
        "case",
        case.id,
        "withdrawn",
        before={"step": case.step},
        after={"state": CaseState.WITHDRAWN},
        at=now,
    )
    await _announce(conn, case)
