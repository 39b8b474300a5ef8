"""A complaint's automatic actions on entering a step: each runs once per (case, action, step
entry), whatever retries or re-runs the entry. Actions that only change our own records
(owner, callbacks, the visit request) run in the caller's transaction; the acknowledgement and
the survey need the site's senders and public address, so they are queued for the worker
(`messages.py`), which sends them within a minute of the commit."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from contact_center import audit, calls, customers, i18n, routing, site, tickets, visits, worktime
from contact_center.audit import Actor
from contact_center.calls.model import CallbackReason
from contact_center.db import Conn
from contact_center.jobs import enqueue_job
from contact_center.tickets.model import Channel, Status, Ticket
from contact_center.timeutil import site_time_text
from contact_center.visits.model import VisitReason
from contact_center.workflows import action_rules, action_store
from contact_center.workflows.action_rules import ActionState
from contact_center.workflows.model import Action, Case, Definition

log = logging.getLogger(__name__)
WORKFLOW_ACTOR = Actor.system("workflows")
ACTION_TASK = "workflow-action"
MESSAGE_ACTIONS = (Action.ACKNOWLEDGE, Action.SURVEY)
FINISHED = (Status.RESOLVED, Status.CLOSED)

# Email subjects of the system's messages (the definition's texts are the bodies).
ACK_SUBJECT = i18n.N_("Your complaint [#{number}]")
SURVEY_SUBJECT = i18n.N_("How did we handle your complaint? [#{number}]")


async def run(
    conn: Conn,
    action: Action,
    case: Case,
    ticket: Ticket,
    definition: Definition,
    *,
    now: datetime,
    automated: str | None = None,
) -> None:
    """Do `action` for the case's current step entry (`case.step`, `case.step_entered_at`),
    inside the caller's transaction. A second call for the same entry changes nothing.
    `automated`: why the contact that started the case was machine-sent mail (intake knows);
    such a case is neither thanked nor surveyed (mail-loop rule), now or when it closes."""
    if action in MESSAGE_ACTIONS:
        automated = automated or await _started_by_machine(conn, case)
        if automated is not None:
            await _skip_for_machine(conn, action, case, ticket, automated, now=now)
            return
    pending = action in MESSAGE_ACTIONS
    payload = await _message(conn, action, case, ticket, definition) if pending else {}
    action_id = await action_store.claim_action(
        conn,
        case_id=case.id,
        action=action.value,
        step=case.step,
        step_entered_at=case.step_entered_at,
        state=ActionState.PENDING if pending else ActionState.DONE,
        payload=payload,
        now=now,
    )
    if action_id is None:
        log.info("case %s: %s already ran for this entry of %s", case.id, action, case.step)
        return
    if pending:
        await enqueue_job(conn, ACTION_TASK, str(action_id), dedupe_key=f"case-action:{action_id}")
        return
    done, note = await INLINE[action](conn, case, ticket, now)
    await finish(conn, action_id, case.id, action, case.step, done=done, note=note, now=now)


async def _started_by_machine(conn: Conn, case: Case) -> str | None:
    """Why the case's first contact was machine-sent, as its skipped thanks recorded it."""
    for done in await action_store.case_actions(conn, case.id):
        reason = done.payload.get("automated")
        if isinstance(reason, str):
            return reason
    return None


async def _skip_for_machine(
    conn: Conn, action: Action, case: Case, ticket: Ticket, automated: str, *, now: datetime
) -> None:
    """Record the thanks or survey as skipped (once per entry), with a note on the ticket."""
    action_id = await action_store.claim_action(
        conn,
        case_id=case.id,
        action=action.value,
        step=case.step,
        step_entered_at=case.step_entered_at,
        state=ActionState.SKIPPED,
        payload={"automated": automated},
        now=now,
    )
    if action_id is None:
        return
    what = "acknowledgement" if action is Action.ACKNOWLEDGE else "satisfaction survey"
    note = f"No {what} sent: the complaint came from an automated sender ({automated})."
    await tickets.add_system_note(conn, ticket.id, note, now=now)
    await finish(conn, action_id, case.id, action, case.step, done=False, note=note, now=now)


async def finish(
    conn: Conn,
    action_id: int,
    case_id: int,
    action: str,
    step: str,
    *,
    done: bool,
    note: str,
    now: datetime,
) -> None:
    """Mark the action done or skipped with what happened, in the case's audit trail."""
    state = ActionState.DONE if done else ActionState.SKIPPED
    await action_store.finish_action(conn, action_id, state=state, note=note, now=now)
    await audit.record_change(
        conn,
        WORKFLOW_ACTOR,
        "case_action",
        action_id,
        state.value,
        after={"case_id": case_id, "action": action, "step": step, "note": note},
        at=now,
    )
    log.info("case %s, step %s, %s: %s", case_id, step, action, note)


async def _message(
    conn: Conn, action: Action, case: Case, ticket: Ticket, definition: Definition
) -> dict[str, Any]:
    """The text the worker will send, in the customer's language, fixed now: the case keeps
    the definition version it started with, the job need not read it again."""
    language = action_rules.definition_language(await _customer_language(conn, ticket))
    name = "acknowledgement" if action is Action.ACKNOWLEDGE else "survey"
    text = action_rules.definition_text(
        definition.texts, name, language, number=ticket.number, link="{link}"
    )
    subject = ACK_SUBJECT if action is Action.ACKNOWLEDGE else SURVEY_SUBJECT
    return {
        "ticket_id": str(ticket.id),
        "case_source": str(case.source),
        "case_opened_at": case.opened_at.isoformat(),
        "language": language,
        "text": text or "",
        "subject": i18n.gettext(subject, i18n.supported(language) or "en").format(
            number=ticket.number
        ),
    }


async def _customer_language(conn: Conn, ticket: Ticket) -> str:
    """The customer's language by intake's one rule (`tickets.language_of`): for a call the
    language the IVR spoke to them, else their stored one; only without either a guess from
    the ticket's subject (an SMS's or email's own words; a call's subject is no words of
    theirs, "Call from 王芳" says nothing about the language)."""
    stored = (await customers.load_customer(conn, ticket.customer_id)).language
    if ticket.channel is Channel.VOICE:
        return tickets.language_of(await calls.call_language_in(conn, ticket.id) or stored, "")
    return tickets.language_of(stored, ticket.subject)


async def _assign_owner(conn: Conn, case: Case, ticket: Ticket, now: datetime) -> tuple[bool, str]:
    """An unassigned complaint waits in routing for an owner: in the complaint queue (moved
    there if it waits elsewhere; the move re-queues its work item)."""
    if ticket.assignee_id is not None:
        return False, "the ticket has an owner already"
    if ticket.status in FINISHED:
        return False, "the ticket is resolved or closed"
    queue = await routing.queue_for_kind(conn, "complaint")
    if ticket.queue != queue:
        await tickets.update_ticket_in(conn, WORKFLOW_ACTOR, ticket.id, {"queue": queue}, now=now)
        return True, f"moved to queue {queue} to wait for an owner"
    if ticket.channel not in (Channel.SMS, Channel.EMAIL):
        return False, "a call's ticket goes to the agent who takes or returns the call"
    await tickets.route_ticket(conn, ticket, now=now)
    return True, f"waiting for an owner in queue {queue}"


async def _working_days_after(conn: Conn, start: datetime, within: str) -> datetime:
    """`within` ("1d", "3d") on the site's business calendar: holidays and closures skipped."""
    calendar = await site.business_calendar(conn, around=start)
    return worktime.add(calendar, start, worktime.Duration.parse(within))


async def _phone(conn: Conn, ticket: Ticket) -> str | None:
    """The number to call: the caller's for a call, else the customer's first phone."""
    if ticket.channel in (Channel.VOICE, Channel.SMS):
        found = await tickets.customer_address(conn, ticket, ticket.channel)
        if found is not None:
            return found[0]
    phones = (await customers.load_customer(conn, ticket.customer_id)).phones
    return str(phones[0]) if phones else None


async def _callback(
    conn: Conn, ticket: Ticket, reason: CallbackReason, due_at: datetime, now: datetime
) -> tuple[bool, str]:
    phone = await _phone(conn, ticket)
    if phone is None:
        note = "No callback task could be opened: the customer has no phone number."
        await tickets.add_system_note(conn, ticket.id, note, now=now)
        return False, note
    task = await calls.open_case_callback(
        conn,
        ticket_id=ticket.id,
        customer_id=ticket.customer_id,
        phone=phone,
        reason=reason,
        due_at=due_at,
        queue=ticket.queue,
        now=now,
    )
    return True, f"callback task {task.id} due {task.due_at.isoformat()}"


async def _key_account_callback(
    conn: Conn, case: Case, ticket: Ticket, now: datetime
) -> tuple[bool, str]:
    """A key account is called back within 24 hours (wall clock) of its complaint."""
    if not case.key_account:
        return False, "not a key account"
    due = case.opened_at + action_rules.KEY_ACCOUNT_CALLBACK_WITHIN
    return await _callback(conn, ticket, CallbackReason.COMPLAINT, due, now)


async def _confirmation_callback(
    conn: Conn, case: Case, ticket: Ticket, now: datetime
) -> tuple[bool, str]:
    """On resolution: call the customer to confirm the fix, within one working day."""
    due = await _working_days_after(conn, now, action_rules.CONFIRMATION_WITHIN)
    return await _callback(conn, ticket, CallbackReason.COMPLAINT_CONFIRMATION, due, now)


async def _followup_visit(
    conn: Conn, case: Case, ticket: Ticket, now: datetime
) -> tuple[bool, str]:
    """A key account's resolved complaint asks its account manager for a visit within the
    visit rules' follow-up working days (3 by default); the visit planner places it."""
    if not case.key_account:
        return False, "not a key account"
    account = await customers.account_of(conn, ticket.customer_id)
    settings = await site.load(conn)
    due = await _working_days_after(conn, now, f"{settings.visit_rules['followup_working_days']}d")
    zone = settings.timezone
    request = await visits.request_visit(
        conn,
        WORKFLOW_ACTOR,
        organization_id=account.organization_id,
        ticket_id=ticket.id,
        reason=VisitReason.COMPLAINT_FOLLOWUP,
        due_by=due,
        now=now,
        note=f"Follow-up of complaint #{ticket.number}",
    )
    await tickets.add_system_note(
        conn,
        ticket.id,
        f"Follow-up visit requested for the account, due by {site_time_text(due, zone)}.",
        now=now,
    )
    return True, f"visit request {request.id} due {due.isoformat()}"


# The actions that run in the caller's transaction; MESSAGE_ACTIONS go to the worker.
INLINE: dict[Action, Callable[[Conn, Case, Ticket, datetime], Awaitable[tuple[bool, str]]]] = {
    Action.ASSIGN_OWNER: _assign_owner,
    Action.KEY_ACCOUNT_CALLBACK: _key_account_callback,
    Action.CONFIRMATION_CALLBACK: _confirmation_callback,
    Action.FOLLOWUP_VISIT: _followup_visit,
}
