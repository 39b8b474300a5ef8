"""A complaint's automatic actions: each runs once per step entry; acknowledgements honour
opt-out and intake's own thanks; callbacks, owner and the visit request land where the people
who act on them look."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from contact_center import calls, tickets, visits
from contact_center.calls import CallbackReason
from contact_center.config import Settings
from contact_center.db import Conn
from contact_center.tickets import Channel, InboundContact, IntakeOptions, Kind, Ticket
from contact_center.timeutil import utc_now
from contact_center.workflows import Action, CaseSource, actions, message_options
from contact_center.workflows.messages import perform
from tests.builders import (
    make_customer,
    make_inbound_email,
    make_inbound_sms,
    make_organization,
    unique_phone,
)
from tests.conftest import SingleConnectionPool
from tests.workflows.case_helpers import action_rows, entered, open_case, stored_definition

OPTIONS = message_options(
    Settings(public_url="https://care.example.com", twilio_from_number="+12025550100")
)


async def _ticket(db: SingleConnectionPool, contact: InboundContact) -> Ticket:
    result = await tickets.intake(db, contact, now=utc_now())
    ticket, _ = await tickets.get_ticket(db, result.ticket_id)
    return ticket


async def _outbound(db: SingleConnectionPool, ticket: Ticket) -> list[Any]:
    _, messages = await tickets.get_ticket(db, ticket.id)
    return [m for m in messages if m.direction == "outbound"]


async def _notes(db: SingleConnectionPool, ticket: Ticket) -> list[str]:
    _, messages = await tickets.get_ticket(db, ticket.id)
    return [m.body_text for m in messages if m.direction == "internal"]


async def _perform_pending(
    conn: Conn, db: SingleConnectionPool, case: Any, action: str = "acknowledge"
) -> list[str]:
    done = []
    for row in await action_rows(conn, case, action):
        if row["state"] == "pending":
            done.append(await perform(db, row["id"], OPTIONS, now=utc_now()))
    return done


async def test_acknowledgement_thanks_once_per_step_entry_in_the_customers_language(
    conn: Conn, db: SingleConnectionPool
) -> None:
    customer = await make_customer(db, language="zh_Hans")
    ticket = await _ticket(db, make_inbound_sms(from_address=customer.phones[0]))
    definition = await stored_definition(conn)
    case = await open_case(conn, ticket, definition, now=utc_now())
    before = len(await _outbound(db, ticket))  # intake's own (not complaint) thanks
    for _ in range(2):  # a retried step entry
        await actions.run(conn, Action.ACKNOWLEDGE, case, ticket, definition, now=utc_now())
    rows = await action_rows(conn, case)
    assert [(r["action"], r["state"]) for r in rows] == [("acknowledge", "pending")]
    jobs = await conn.fetchval("SELECT count(*) FROM pgqueuer WHERE entrypoint = 'workflow-action'")
    assert jobs == 1
    await _perform_pending(conn, db, case)
    assert await perform(db, rows[0]["id"], OPTIONS, now=utc_now()) == "already done"
    sent = (await _outbound(db, ticket))[before:]
    assert len(sent) == 1
    assert sent[0].body_text.startswith("感谢您的反馈") and f"#{ticket.number}" in sent[0].body_text
    assert sent[0].to_address == customer.phones[0]


async def test_acknowledgement_is_skipped_when_intake_thanked_the_complaint(
    conn: Conn, db: SingleConnectionPool
) -> None:
    contact = make_inbound_email(to_address="complaints@example.com", text="Broken again")
    now = utc_now()
    result = await tickets.intake(db, contact, now=now, options=IntakeOptions(acknowledge=True))
    ticket, _ = await tickets.get_ticket(db, result.ticket_id)
    assert result.acknowledged and ticket.kind is Kind.COMPLAINT
    definition = await stored_definition(conn)
    case = await open_case(conn, ticket, definition, now=now, source=CaseSource.ADDRESS)
    await actions.run(conn, Action.ACKNOWLEDGE, case, ticket, definition, now=now)
    assert await _perform_pending(conn, db, case) == [
        "intake already thanked the customer for this complaint"
    ]
    assert len(await _outbound(db, ticket)) == 1
    assert (await action_rows(conn, case))[0]["state"] == "skipped"


async def test_acknowledgement_by_email_is_marked_auto_submitted(
    conn: Conn, db: SingleConnectionPool
) -> None:
    ticket = await _ticket(db, make_inbound_email(text="My parcel came crushed"))
    definition = await stored_definition(conn)
    case = await open_case(conn, ticket, definition, now=utc_now())
    await actions.run(conn, Action.ACKNOWLEDGE, case, ticket, definition, now=utc_now())
    await _perform_pending(conn, db, case)
    headers = await conn.fetchval(
        "SELECT headers FROM outbound_messages WHERE ticket_id = $1 ORDER BY created_at DESC"
        " LIMIT 1",
        ticket.id,
    )
    assert headers["Auto-Submitted"] == "auto-replied"


async def test_an_opted_out_number_is_not_thanked_and_the_ticket_says_so(
    conn: Conn, db: SingleConnectionPool
) -> None:
    phone = unique_phone()
    ticket = await _ticket(db, make_inbound_sms(from_address=phone, text="Rude driver"))
    await tickets.intake(db, make_inbound_sms(from_address=phone, text="STOP"), now=utc_now())
    definition = await stored_definition(conn)
    case = await open_case(conn, ticket, definition, now=utc_now())
    before = len(await _outbound(db, ticket))
    await actions.run(conn, Action.ACKNOWLEDGE, case, ticket, definition, now=utc_now())
    [note] = await _perform_pending(conn, db, case)
    assert "opted out" in note
    assert len(await _outbound(db, ticket)) == before
    assert any("opted out" in n for n in await _notes(db, ticket))


async def test_a_calls_complaint_is_thanked_by_sms_or_noted_for_a_landline(
    conn: Conn, db: SingleConnectionPool
) -> None:
    definition = await stored_definition(conn)
    mobile = unique_phone()  # a North American number may take SMS
    call = InboundContact(channel=Channel.VOICE, provider_id="CA" + mobile, from_address=mobile)
    ticket = await _ticket(db, call)
    case = await open_case(conn, ticket, definition, now=utc_now(), source=CaseSource.IVR)
    await actions.run(conn, Action.ACKNOWLEDGE, case, ticket, definition, now=utc_now())
    await _perform_pending(conn, db, case)
    [sms] = await _outbound(db, ticket)
    assert sms.channel == Channel.SMS and sms.to_address == mobile

    landline = "+861062345678"  # a Beijing landline
    call = InboundContact(channel=Channel.VOICE, provider_id="CA-bj", from_address=landline)
    ticket = await _ticket(db, call)
    case = await open_case(conn, ticket, definition, now=utc_now(), source=CaseSource.IVR)
    await actions.run(conn, Action.ACKNOWLEDGE, case, ticket, definition, now=utc_now())
    await _perform_pending(conn, db, case)
    assert await _outbound(db, ticket) == []
    assert any("cannot receive SMS" in n for n in await _notes(db, ticket))


async def test_assign_owner_moves_an_unassigned_complaint_to_the_complaint_queue(
    conn: Conn, db: SingleConnectionPool
) -> None:
    ticket = await _ticket(db, make_inbound_sms(text="Where is my order?"))
    assert ticket.queue != "complaint"
    definition = await stored_definition(conn)
    case = await open_case(conn, ticket, definition, now=utc_now())
    await actions.run(conn, Action.ASSIGN_OWNER, case, ticket, definition, now=utc_now())
    await actions.run(conn, Action.ASSIGN_OWNER, case, ticket, definition, now=utc_now())
    moved, _ = await tickets.get_ticket(db, ticket.id)
    assert moved.queue == "complaint" and moved.assignee_id is None
    waiting = await conn.fetch(
        "SELECT queue FROM work_items WHERE ticket_id = $1 AND state = 'waiting'", ticket.id
    )
    assert [w["queue"] for w in waiting] == ["complaint"]
    assert [r["state"] for r in await action_rows(conn, case)] == ["done"]


async def test_a_key_account_gets_one_callback_within_24_hours_of_its_complaint(
    conn: Conn, db: SingleConnectionPool
) -> None:
    org = await make_organization(db, is_key_account=True)
    customer = await make_customer(db, organization_id=str(org.id))
    ticket = await _ticket(db, make_inbound_sms(from_address=customer.phones[0]))
    definition = await stored_definition(conn)
    opened = utc_now() - timedelta(hours=1)
    case = await open_case(conn, ticket, definition, now=opened, key_account=True)
    for _ in range(2):
        await actions.run(
            conn, Action.KEY_ACCOUNT_CALLBACK, case, ticket, definition, now=utc_now()
        )
    page = await calls.list_callbacks(db, ticket_id=ticket.id)
    mine = [t for t in page if t.ticket_id == ticket.id]
    assert len(mine) == 1
    assert mine[0].reason is CallbackReason.COMPLAINT
    assert mine[0].due_at == opened + timedelta(hours=24)

    plain = await _ticket(db, make_inbound_sms())
    other = await open_case(conn, plain, definition, now=utc_now())
    await actions.run(conn, Action.KEY_ACCOUNT_CALLBACK, other, plain, definition, now=utc_now())
    assert [r["note"] for r in await action_rows(conn, other)] == ["not a key account"]


async def test_resolution_asks_for_a_confirmation_callback_and_a_key_accounts_visit(
    conn: Conn, db: SingleConnectionPool
) -> None:
    org = await make_organization(db, is_key_account=True)
    customer = await make_customer(db, organization_id=str(org.id))
    ticket = await _ticket(db, make_inbound_sms(from_address=customer.phones[0]))
    definition = await stored_definition(conn)
    case = await open_case(conn, ticket, definition, now=utc_now(), key_account=True)
    resolved_at = datetime(2026, 12, 11, 10, 0, tzinfo=UTC)  # a Friday, site hours Mon-Fri 9-18
    resolved = entered(case, "resolved", resolved_at)
    for _ in range(2):
        for action in definition.step("resolved").on_enter:
            await actions.run(conn, action, resolved, ticket, definition, now=resolved_at)
    [task] = await calls.list_callbacks(db, ticket_id=ticket.id)
    assert task.reason is CallbackReason.COMPLAINT_CONFIRMATION
    assert task.due_at == datetime(2026, 12, 14, 10, 0, tzinfo=UTC)  # one working day: Monday
    [request] = await visits.ticket_visit_requests(db, ticket.id)
    assert request.organization_id == org.id and request.state == "requested"
    assert request.due_by == datetime(2026, 12, 16, 10, 0, tzinfo=UTC)  # three: Wednesday
    assert any("Follow-up visit requested" in n for n in await _notes(db, ticket))
    # Reopened and resolved again: a new step entry asks again.
    again = entered(case, "resolved", resolved_at + timedelta(days=2))
    await actions.run(conn, Action.FOLLOWUP_VISIT, again, ticket, definition, now=utc_now())
    assert len(await visits.ticket_visit_requests(db, ticket.id)) == 2


async def test_a_calls_complaint_is_thanked_in_the_language_the_ivr_spoke(
    conn: Conn, db: SingleConnectionPool
) -> None:
    settings = Settings(twilio_from_number="+12025550100")
    now = utc_now()
    call = InboundContact(
        channel=Channel.VOICE,
        provider_id="CA" + unique_phone().lstrip("+"),
        from_address=unique_phone(),
        to_address="+12025550100",
        display_name="王芳小姐",  # the subject "Call from 王芳小姐" looks Chinese
    )
    placed = await tickets.intake(
        db, call, now=now, respond=calls.call_responder(calls.voice_options(settings), now=now)
    )
    [heard] = await calls.calls_for_ticket(db, placed.ticket_id)
    assert heard.language == "en"
    ticket, _ = await tickets.get_ticket(db, placed.ticket_id)
    definition = await stored_definition(conn)
    case = await open_case(conn, ticket, definition, now=now, source=CaseSource.IVR)
    await actions.run(conn, Action.ACKNOWLEDGE, case, ticket, definition, now=now)
    await _perform_pending(conn, db, case)
    [sms] = await _outbound(db, ticket)
    assert sms.channel == Channel.SMS and sms.body_text.startswith("Thank you for telling us")
