"""Callback tasks: opened for abandoned calls and voicemails (and by hand), listed, finished
with an outcome, and routed to agents like other work (kind callback)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from contact_center import audit, customers, live, routing, site, tickets
from contact_center.audit import Actor
from contact_center.calls import ivr, store
from contact_center.calls.model import (
    Call,
    CallbackOutcome,
    CallbackReason,
    CallbackState,
    CallbackTask,
    VoiceOptions,
)
from contact_center.db import Conn, Pool, transaction
from contact_center.errors import Conflict, Forbidden, Invalid
from contact_center.jobs.model import CALLBACK_DIAL_TASK
from contact_center.jobs.queue import enqueue_job
from contact_center.live import Event
from contact_center.routing import ItemKind, ItemRequest

CALLS_ACTOR = Actor.system("calls")


async def _taken(conn: Conn, callback_id: UUID, user_id: UUID, now: datetime) -> None:
    """Routing gave the callback's item to an agent (accepted offer, supervisor): the task is
    theirs."""
    if await store.set_callback_assignee(conn, callback_id, user_id, now):
        task = await store.get_callback(conn, callback_id)
        await live.publish(conn, Event.CALLBACK_UPDATED, callback_event(task))


routing.on_callback_assigned(_taken)


def _check_owner(task: CallbackTask, actor: Actor, *, supervisor: bool) -> None:
    """Another agent's callback is theirs to dial and finish; a supervisor may step in."""
    if task.assignee_id not in (None, actor.user_id) and not supervisor:
        raise Forbidden("this callback task belongs to another agent")


async def open_callback(
    conn: Conn, call: Call, reason: CallbackReason, options: VoiceOptions, *, now: datetime
) -> UUID | None:
    """Inside the caller's transaction: a callback task for this call (due within 24 hours for
    a key account, else within the configured business hours of its queue), routed as work.
    None when the call has an open one already."""
    queue = call.queue or await routing.queue_for_kind(conn, "other")
    hours = (await routing.read_queue(conn, queue)).hours
    due = ivr.callback_due(
        key_account=call.key_account,
        now=now,
        hours=hours,
        timezone=options.site_timezone,
        key_account_hours=options.key_account_callback_hours,
        business_hours=options.callback_hours,
        calendar=await site.business_calendar(conn, around=now),
    )
    created = await store.insert_callback(
        conn,
        ticket_id=call.ticket_id,
        customer_id=call.customer_id,
        call_id=call.id,
        phone=call.from_number,
        reason=reason,
        due_at=due,
        assignee_id=None,
        created_by=None,
        at=now,
    )
    if created is None:
        return None
    await _announce_new(conn, created, queue, CALLS_ACTOR, now=now)
    return created


async def create_callback(
    pool: Pool,
    actor: Actor,
    *,
    ticket_id: UUID,
    due_at: datetime,
    reason: CallbackReason,
    phone: str | None,
    region: str,
    now: datetime,
) -> CallbackTask:
    """An agent schedules a callback on a ticket, to the given number or the customer's phone."""
    ticket, _messages = await tickets.get_ticket(pool, ticket_id)
    async with transaction(pool) as conn:
        number = customers.phone_or_none(phone, region) if phone else None
        if phone and number is None:
            raise Invalid("not a phone number", field="phone")
        if number is None:
            card = await customers.load_customer(conn, ticket.customer_id)
            phones = card.phones
            if not phones:
                raise Invalid("the customer has no phone number; give one", field="phone")
            number = str(phones[0])
        created = await store.insert_callback(
            conn,
            ticket_id=ticket.id,
            customer_id=ticket.customer_id,
            call_id=None,
            phone=number,
            reason=reason,
            due_at=due_at,
            assignee_id=actor.user_id,
            created_by=actor.user_id,
            at=now,
        )
        assert created is not None
        await _announce_new(conn, created, ticket.queue, actor, now=now)
        return await store.get_callback(conn, created)


async def open_case_callback(
    conn: Conn,
    *,
    ticket_id: UUID,
    customer_id: UUID,
    phone: str,
    reason: CallbackReason,
    due_at: datetime,
    queue: str,
    now: datetime,
) -> CallbackTask:
    """Inside the caller's transaction: a callback task a complaint's workflow asks for
    (reason complaint or complaint_confirmation), routed as work like any other."""
    created = await store.insert_callback(
        conn,
        ticket_id=ticket_id,
        customer_id=customer_id,
        call_id=None,
        phone=phone,
        reason=reason,
        due_at=due_at,
        assignee_id=None,
        created_by=None,
        at=now,
    )
    assert created is not None  # only a call's task is kept unique
    await _announce_new(conn, created, queue, CALLS_ACTOR, now=now)
    return await store.get_callback(conn, created)


async def _announce_new(
    conn: Conn, callback_id: UUID, queue: str, actor: Actor, *, now: datetime
) -> None:
    task = await store.get_callback(conn, callback_id)
    account = await customers.account_of(conn, task.customer_id)
    await routing.enqueue_item(
        conn,
        ItemRequest(
            kind=ItemKind.CALLBACK,
            queue=queue,
            priority=routing.priority_for(key_account=account.key_account, complaint=False),
            callback_id=task.id,
            customer_id=task.customer_id,
            key_account=account.key_account,
            # Whoever the task was given to keeps it; then the customer's usual agents.
            preferred_agent_ids=routing.preferred_agents(
                task.assignee_id,
                account.account_manager_id,
                await tickets.last_agent_for(conn, task.customer_id),
            ),
            summary={
                "channel": "callback",
                "customer_name": task.customer_name,
                "tier": account.tier,
                "key_account": account.key_account,
                "ticket_id": task.ticket_id,
                "ticket_number": task.ticket_number,
                "phone": task.phone,
                "reason": task.reason,
                "due_at": task.due_at,
            },
        ),
        now=now,
    )
    await audit.record_change(
        conn,
        actor,
        "callback",
        task.id,
        "created",
        after={"ticket_id": str(task.ticket_id), "reason": task.reason, "due_at": str(task.due_at)},
        at=now,
    )
    await live.publish(conn, Event.CALLBACK_CREATED, callback_event(task))


async def finish_callback(
    pool: Pool,
    actor: Actor,
    callback_id: UUID,
    *,
    outcome: CallbackOutcome,
    note: str,
    now: datetime,
    supervisor: bool = False,
) -> CallbackTask:
    """The callback was made (or is not needed): done with its outcome; its routing item ends.
    Forbidden for another agent's task unless `supervisor`."""
    async with transaction(pool) as conn:
        task = await store.get_callback(conn, callback_id, for_update=True)
        if task.state is not CallbackState.OPEN:
            raise Conflict("this callback task is already " + task.state.value)
        _check_owner(task, actor, supervisor=supervisor)
        await store.finish_callback(
            conn,
            task.id,
            state=CallbackState.DONE,
            outcome=outcome,
            note=note,
            by=actor.user_id,
            at=now,
        )
        await routing.finish_item(conn, callback_id=task.id, now=now)
        done = await store.get_callback(conn, task.id)
        await audit.record_change(
            conn,
            actor,
            "callback",
            task.id,
            "done",
            before={"state": task.state},
            after={"state": done.state, "outcome": outcome, "note": note},
            at=now,
        )
        await live.publish(conn, Event.CALLBACK_UPDATED, callback_event(done))
        return done


async def cancel_callback_in(conn: Conn, callback_id: UUID, *, note: str, now: datetime) -> None:
    """Inside the caller's transaction: an open callback is no longer needed (the customer
    called back and was queued again)."""
    task = await store.get_callback(conn, callback_id, for_update=True)
    if task.state is not CallbackState.OPEN:
        return
    await store.finish_callback(
        conn,
        task.id,
        state=CallbackState.CANCELLED,
        outcome=CallbackOutcome.NOT_NEEDED,
        note=note,
        by=None,
        at=now,
    )
    await routing.cancel_item(conn, callback_id=task.id, reason="called_back", now=now)
    await live.publish(
        conn, Event.CALLBACK_UPDATED, callback_event(await store.get_callback(conn, task.id))
    )


async def list_callbacks(
    pool: Pool,
    *,
    state: CallbackState = CallbackState.OPEN,
    due_before: datetime | None = None,
    assignee_id: UUID | None = None,
    ticket_id: UUID | None = None,
    limit: int = 50,
) -> list[CallbackTask]:
    async with pool.acquire() as conn:
        return await store.list_callbacks(
            conn,
            state=state,
            due_before=due_before,
            assignee_id=assignee_id,
            ticket_id=ticket_id,
            limit=limit,
        )


async def get_callback(pool: Pool, callback_id: UUID) -> CallbackTask:
    async with pool.acquire() as conn:
        return await store.get_callback(conn, callback_id)


async def request_dial(
    pool: Pool,
    actor: Actor,
    callback_id: UUID,
    *,
    now: datetime,
    supervisor: bool = False,
) -> CallbackTask:
    """An agent asks to call the customer back from the service's number: the call is placed
    by a job (paced to the provider's calls-per-second limit); the task becomes theirs.
    Forbidden for another agent's task unless `supervisor`."""
    if actor.user_id is None:
        raise Invalid("only a signed-in agent can dial", field="user")
    async with transaction(pool) as conn:
        task = await store.get_callback(conn, callback_id, for_update=True)
        if task.state is not CallbackState.OPEN:
            raise Conflict("this callback task is already " + task.state.value)
        _check_owner(task, actor, supervisor=supervisor)
        if task.assignee_id is None:
            await store.set_callback_assignee(conn, task.id, actor.user_id, now)
        await enqueue_job(
            conn,
            CALLBACK_DIAL_TASK,
            f"{task.id} {actor.user_id}",
            dedupe_key=f"{CALLBACK_DIAL_TASK}-{task.id}-{int(now.timestamp())}",
        )
        updated = await store.get_callback(conn, task.id)
        await live.publish(
            conn, Event.CALLBACK_UPDATED, {**callback_event(updated), "dialing": True}
        )
        return updated


def callback_event(task: CallbackTask) -> dict[str, Any]:
    return {
        "callback_id": task.id,
        "ticket_id": task.ticket_id,
        "customer_id": task.customer_id,
        "call_id": task.call_id,
        "state": task.state,
        "reason": task.reason,
        "due_at": task.due_at,
        "assignee_id": task.assignee_id,
    }
