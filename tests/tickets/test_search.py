"""Ticket search: words (English stems, Chinese pairs), numbers, phones and emails, each
through its own index (the plans are checked in tests/db/test_plans.py)."""

from __future__ import annotations

from datetime import timedelta

from contact_center import tickets
from contact_center.tickets import TicketFilter
from contact_center.tickets.search import TicketQuery, read_ticket_query
from contact_center.tickets.search_store import SEARCH_WINDOW
from contact_center.timeutil import utc_now
from tests.builders import make_inbound_email, make_inbound_sms
from tests.conftest import SingleConnectionPool


def test_the_search_box_is_read_as_a_number_a_phone_an_email_or_words() -> None:
    assert read_ticket_query("#1234", "US") == TicketQuery(number=1234)
    assert read_ticket_query("1234", "US") == TicketQuery(text="1234")
    phone = read_ticket_query("(202) 555-0143", "US")
    assert phone.identity is not None and phone.identity[1] == "+12025550143"
    email = read_ticket_query(" Someone@Example.org ", "US")
    assert email.identity is not None and email.identity[1] == "someone@example.org"
    assert read_ticket_query("refund please", "US") == TicketQuery(text="refund please")
    assert read_ticket_query("  ", "US") == TicketQuery()


async def _ids(db: SingleConnectionPool, q: str) -> list[str]:
    page = await tickets.list_tickets(db, TicketFilter(q=q), limit=50)
    return [str(t.id) for t in page.tickets]


async def test_words_match_by_stem_and_chinese_by_character_pairs(db: SingleConnectionPool) -> None:
    now = utc_now()
    charge = await tickets.intake(db, make_inbound_sms(text="You charged my card twice"), now=now)
    refund = await tickets.intake(
        db, make_inbound_sms(text="我要退款，谢谢"), now=now + timedelta(seconds=1)
    )
    mail = make_inbound_email(subject="Invoice question", text="Where is it?")
    invoice = await tickets.intake(db, mail, now=now + timedelta(seconds=2))

    assert await _ids(db, "charging") == [str(charge.ticket_id)]
    assert await _ids(db, "退款") == [str(refund.ticket_id)]
    assert await _ids(db, "退") == [str(refund.ticket_id)]  # a lone character: pairs it starts
    assert await _ids(db, "款退") == []
    assert await _ids(db, "invoices") == [str(invoice.ticket_id)]
    assert await _ids(db, "zeppelin") == []
    assert await _ids(db, str(invoice.ticket_number)) == [str(invoice.ticket_id)]
    assert await _ids(db, f"#{refund.ticket_number}") == [str(refund.ticket_id)]


async def test_a_phone_or_email_finds_that_customers_tickets(db: SingleConnectionPool) -> None:
    now = utc_now()
    sms = await tickets.intake(
        db, make_inbound_sms(from_address="+12023004455", text="hello"), now=now
    )
    mail = await tickets.intake(db, make_inbound_email(from_address="reader@example.org"), now=now)
    assert await _ids(db, "(202) 300-4455") == [str(sms.ticket_id)]
    assert await _ids(db, "Reader@Example.org") == [str(mail.ticket_id)]
    assert await _ids(db, "+1 202 300 9999") == []


async def test_later_messages_and_notes_are_searchable(db: SingleConnectionPool) -> None:
    first = await tickets.intake(
        db, make_inbound_sms(from_address="+12023007788", text="hello"), now=utc_now()
    )
    again = await tickets.intake(
        db,
        make_inbound_sms(from_address="+12023007788", text="the tachometer broke"),
        now=utc_now(),
    )
    assert again.ticket_id == first.ticket_id
    await tickets.add_system_note(db.conn, first.ticket_id, "Sent a new speedometer", now=utc_now())
    assert await _ids(db, "tachometer") == [str(first.ticket_id)]
    assert await _ids(db, "speedometers") == [str(first.ticket_id)]


async def test_a_rare_word_beyond_the_newest_window_is_found_through_the_index(
    db: SingleConnectionPool,
) -> None:
    """More tickets than the window: an old match is still found, newest first, page by page."""
    now = utc_now() - timedelta(days=1)
    old = await tickets.intake(db, make_inbound_sms(text="tachometer one"), now=now)
    older = await tickets.intake(
        db, make_inbound_sms(text="tachometer two"), now=now - timedelta(seconds=1)
    )
    await db.conn.execute(
        "INSERT INTO tickets (customer_id, channel, created_at)"
        " SELECT customer_id, 'sms', now() FROM tickets, generate_series(1, $2) WHERE id = $1",
        old.ticket_id,
        SEARCH_WINDOW + 10,
    )
    page = await tickets.list_tickets(db, TicketFilter(q="tachometer"), limit=1)
    assert [t.id for t in page.tickets] == [old.ticket_id]
    assert page.next_cursor is not None
    rest = await tickets.list_tickets(
        db, TicketFilter(q="tachometer"), cursor=page.next_cursor, limit=1
    )
    assert [t.id for t in rest.tickets] == [older.ticket_id]
