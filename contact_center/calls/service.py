"""Inbound calls: the answer to a new call (inside intake's transaction), the menu, holding,
voicemail, and status callbacks that keep each call current.

Every function returns what the caller hears next (`VoiceAnswer`); channels render it as TwiML.
A replayed webhook finds the call already moved on and is answered from its current state.
"""

from __future__ import annotations

import logging
from datetime import datetime
from uuid import UUID

from contact_center import customers, routing, site, tickets
from contact_center.audit import Actor
from contact_center.calls import ivr, store
from contact_center.calls.callbacks import cancel_callback_in
from contact_center.calls.ending import publish_call
from contact_center.calls.model import (
    Call,
    CallState,
    Choice,
    Direction,
    HangUp,
    Menu,
    VoiceAnswer,
    Voicemail,
    VoiceOptions,
    Wait,
)
from contact_center.db import Conn, Pool, transaction
from contact_center.routing import ItemKind, ItemRequest
from contact_center.routing.hours import is_open

log = logging.getLogger(__name__)
IVR_ACTOR = Actor.system("ivr")


def call_responder(options: VoiceOptions, *, now: datetime) -> tickets.Responder:
    """Intake's responder for a call: store the call on the ticket intake chose, then greet."""

    async def respond(conn: Conn, placed: tickets.Placed) -> VoiceAnswer:
        return await answer_new_call(conn, placed, options, now=now)

    return respond


async def answer_new_call(
    conn: Conn, placed: tickets.Placed, options: VoiceOptions, *, now: datetime
) -> VoiceAnswer:
    """Inside intake's transaction: the call's row, then the greeting (by name when the caller
    is known) and the menu; a caller who hung up while waiting a few minutes ago goes straight
    back to their place. A replay is answered from the call as it is."""
    contact = placed.contact
    existing = await store.find_call_by_sid(conn, contact.provider_id, for_update=True)
    if existing is not None:
        return answer_for_state(existing, options)
    customer = await customers.load_customer(conn, placed.customer_id)
    account = await customers.account_of(conn, placed.customer_id)
    language = ivr.language_of(customer.language)
    call = await store.insert_call(
        conn,
        call_sid=contact.provider_id,
        ticket_id=placed.ticket_id,
        message_id=placed.message_id,
        customer_id=placed.customer_id,
        from_number=contact.from_address,
        to_number=contact.to_address,
        direction=Direction.INBOUND,
        language=language,
        key_account=account.key_account,
        priority=routing.priority_for(key_account=account.key_account, complaint=False),
        state=CallState.IVR,
        at=now,
    )
    if call is None:  # a concurrent delivery of the same CallSid stored it first
        raced = await store.find_call_by_sid(conn, contact.provider_id)
        assert raced is not None
        return answer_for_state(raced, options)
    await publish_call(conn, call)
    earlier = await store.find_recent_abandoned(
        conn, call.from_number, now - options.place_back_window
    )
    if earlier is not None and earlier.queue is not None:
        return await route_call(
            conn, call, Choice.PLACE_BACK, earlier.queue, options, now=now, since=earlier
        )
    name = customer.name.strip()
    known = bool(name) and name != call.from_number
    greeting = (
        ivr.text("greeting_known", language, options.texts, name=name)
        if known
        else ivr.text("greeting", language, options.texts)
    )
    return VoiceAnswer(
        say=(greeting,),
        next=Menu(call.id, ivr.text("menu", language, options.texts), attempt=1),
        language=language,
    )


def answer_for_state(call: Call, options: VoiceOptions) -> VoiceAnswer:
    """What a call in its current state hears again (a replayed or late webhook)."""
    if call.state is CallState.IVR:
        prompt = ivr.text("menu", call.language, options.texts)
        return VoiceAnswer(
            next=Menu(call.id, prompt, attempt=call.menu_attempts + 1), language=call.language
        )
    if call.state is CallState.WAITING and call.queue is not None:
        return VoiceAnswer(next=Wait(call.id, call.queue), language=call.language)
    if call.state is CallState.VOICEMAIL and call.recording_sid is None:
        return VoiceAnswer(
            next=Voicemail(call.id, options.voicemail_seconds), language=call.language
        )
    return VoiceAnswer(next=HangUp(), language=call.language)


async def choose_from_menu(
    pool: Pool,
    call_id: UUID,
    *,
    digits: str,
    speech: str,
    attempt: int,
    options: VoiceOptions,
    now: datetime,
) -> VoiceAnswer:
    """The caller answered the menu (or did not): route by the choice, say the menu once more,
    or after that go to the default queue."""
    async with transaction(pool) as conn:
        call = await store.get_call(conn, call_id, for_update=True)
        if call.state is not CallState.IVR or attempt <= call.menu_attempts:
            return answer_for_state(call, options)
        choice = ivr.after_menu(digits, speech, attempt)
        if choice is None:
            await store.update_call(conn, call.id, now, menu_attempts=attempt)
            say = ivr.text("invalid", call.language, options.texts)
            prompt = ivr.text("menu", call.language, options.texts)
            return VoiceAnswer(
                say=(say,), next=Menu(call.id, prompt, attempt=attempt + 1), language=call.language
            )
        call = await store.update_call(conn, call.id, now, menu_attempts=attempt)
        queue = await routing.queue_for_kind(conn, ivr.KIND_OF[choice])
        return await route_call(conn, call, choice, queue, options, now=now)


async def route_call(
    conn: Conn,
    call: Call,
    choice: Choice,
    queue_name: str,
    options: VoiceOptions,
    *,
    now: datetime,
    since: Call | None = None,
) -> VoiceAnswer:
    """Into the queue while it is open (keeping the place of `since`, an abandoned call of the
    same caller), else to voicemail."""
    queue = await routing.read_queue(conn, queue_name)
    complaint = choice is Choice.COMPLAINT
    priority = routing.priority_for(key_account=call.key_account, complaint=complaint)
    path = [*call.ivr_path, choice.value]
    # The site calendar's closed dates (public holidays, closures) close every queue; its
    # make-up working days open each on its usual day (routing/hours.py).
    calendar = await site.business_calendar(conn, around=now)
    if not is_open(queue.hours, now, options.site_timezone, calendar.closed, calendar.extra):
        call = await store.update_call(
            conn,
            call.id,
            now,
            ivr_path=path,
            queue=queue.name,
            priority=priority.value,
            state=CallState.VOICEMAIL,
        )
        await publish_call(conn, call)
        return VoiceAnswer(
            say=(ivr.text("closed", call.language, options.texts),),
            next=Voicemail(call.id, options.voicemail_seconds),
            language=call.language,
        )
    if complaint:
        # The caller said it is a complaint: so is the ticket (its queue and priority follow).
        changes = {"kind": "complaint", "queue": queue.name, "priority": priority.value}
        await tickets.update_ticket_in(conn, IVR_ACTOR, call.ticket_id, changes, now=now)
    enqueued_at = since.enqueued_at if since is not None and since.enqueued_at else now
    call = await store.update_call(
        conn,
        call.id,
        now,
        ivr_path=path,
        queue=queue.name,
        priority=priority.value,
        state=CallState.WAITING,
        enqueued_at=enqueued_at,
    )
    customer = await customers.load_customer(conn, call.customer_id)
    account = customer.account
    await routing.enqueue_item(
        conn,
        ItemRequest(
            kind=ItemKind.CALL,
            queue=queue.name,
            priority=priority,
            call_id=call.id,
            customer_id=call.customer_id,
            key_account=call.key_account,
            complaint=complaint,
            preferred_agent_ids=routing.preferred_agents(
                account.account_manager_id, await tickets.last_agent_for(conn, call.customer_id)
            ),
            waiting_since=enqueued_at,
            summary={
                "channel": "voice",
                "customer_name": customer.name,
                "tier": account.tier,
                "key_account": account.key_account,
                "from": call.from_number,
                "ticket_id": call.ticket_id,
                "ivr_path": path,
                "waiting_since": enqueued_at,
            },
        ),
        now=now,
    )
    if since is not None and since.callback_id is not None:
        await cancel_callback_in(conn, since.callback_id, note="called back", now=now)
    await publish_call(conn, call)
    said = "place_back" if since is not None else "queued"
    return VoiceAnswer(
        say=(ivr.text(said, call.language, options.texts),),
        next=Wait(call.id, queue.name),
        language=call.language,
    )


async def call_language_in(conn: Conn, ticket_id: UUID) -> str | None:
    """The language the IVR spoke on the ticket's latest call (what the caller heard), in the
    caller's transaction; None for a ticket without calls."""
    found = await store.list_calls_for_ticket(conn, ticket_id)
    return found[-1].language if found else None


async def calls_for_ticket(pool: Pool, ticket_id: UUID) -> list[Call]:
    """The ticket's calls, oldest first (the console shows them on the timeline)."""
    async with pool.acquire() as conn:
        return await store.list_calls_for_ticket(conn, ticket_id)
