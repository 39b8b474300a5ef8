"""Demo mode's development sink, end to end: an SMS comes in through the signed webhook (signed
with the documented development token), its acknowledgement is "sent" to the sink and shows on
the page and in the API. A real provider wins as soon as it is configured."""

from __future__ import annotations

import logging
import secrets
from typing import Any

from aiohttp.test_utils import TestClient

from channels.email_outbound import SmtpSender
from channels.twilio_sms import TwilioSmsSender
from contact_center import delivery, outbox, tickets
from contact_center.app import build_senders
from contact_center.config import DEV_TWILIO_ACCOUNT_SID, DEV_TWILIO_AUTH_TOKEN, load_settings
from contact_center.db import transaction
from contact_center.devsink import DevSinkSender
from contact_center.outbox import (
    NewOutbound,
    Origin,
    OutboundChannel,
    OutboundPurpose,
    OutboundStatus,
    providers,
)
from contact_center.timeutil import utc_now
from tests.builders import make_customer, make_inbound_email, unique_phone
from tests.conftest import SingleConnectionPool, client_for
from tests.twilio_signing import load_payload, post_twilio

Client = TestClient[Any, Any]
BASE_ENV = {"SECRET_KEY": "test-secret-key-0123456789", "MAIL_DOMAIN": "example.com"}
DEMO_ENV = {**BASE_ENV, "DEMO": "true"}


async def deliver_all(db: SingleConnectionPool, senders: Any) -> list[OutboundStatus | None]:
    async with db.acquire() as conn:
        ids = [r["id"] for r in await conn.fetch("SELECT id FROM outbound_messages")]
    return [await delivery.deliver_one(db, senders, i, now=utc_now()) for i in ids]


async def test_an_sms_acknowledgement_lands_in_the_sink_page_and_api(
    db: SingleConnectionPool,
) -> None:
    settings = load_settings(DEMO_ENV)
    assert settings.twilio_auth_token.value == DEV_TWILIO_AUTH_TOKEN
    phone = unique_phone()
    sid = "SM" + secrets.token_hex(16)
    form = load_payload(
        "sms_inbound_basic",
        MessageSid=sid,
        SmsSid=sid,
        SmsMessageSid=sid,
        From=phone,
        AccountSid=DEV_TWILIO_ACCOUNT_SID,
        Body="Where is my <b>order</b>?",
    )
    async with client_for(settings, db) as client:
        answer = await post_twilio(
            client, "/webhooks/twilio/sms", form, token=DEV_TWILIO_AUTH_TOKEN
        )
        assert answer.status == 200, await answer.text()
        assert await deliver_all(db, build_senders(settings, db)) == [OutboundStatus.SENT]

        sink = await (await client.get("/api/v1/dev/sink")).json()
        (sent,) = sink["messages"]
        assert sent["channel"] == "sms" and sent["to_address"] == phone
        assert sent["body_text"].startswith("Thank you")
        assert sink["counts"] == {"sms": 1}
        assert sink["senders"] == {"sms": "sink", "email": "sink"}
        assert sink["inbound"]["smtp_port"] == settings.inbound_smtp_port

        page = await client.get("/dev/outbox")
        html = await page.text()
        assert page.status == 200 and page.content_type == "text/html"
        assert phone in html and sent["body_text"].split("#")[0] in html
        assert "'unsafe-inline'" not in page.headers["Content-Security-Policy"]
    ticket_id = sent["ticket_id"]
    ticket, messages = await tickets.get_ticket(db, ticket_id)
    # People know tickets by number: the page shows #N, the JSON keeps the id and adds the number.
    assert sent["ticket_number"] == ticket.number
    assert f">#{ticket.number}</td>" in html
    (ack,) = [m for m in messages if m.direction == "outbound"]
    assert ack.delivery_status == "sent"


async def test_the_sink_page_escapes_what_customers_wrote(db: SingleConnectionPool) -> None:
    settings = load_settings(DEMO_ENV)
    contact = make_inbound_email(
        display_name="<script>alert(1)</script>", subject="<img src=x onerror=alert(2)>"
    )
    await tickets.intake(db, contact, now=utc_now(), options=tickets.intake_options(settings))
    assert await deliver_all(db, build_senders(settings, db)) == [OutboundStatus.SENT]
    async with client_for(settings, db) as client:
        html = await (await client.get("/dev/outbox")).text()
        emails = await (await client.get("/api/v1/dev/sink?channel=email")).json()
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    assert [m["to_address"] for m in emails["messages"]] == [contact.from_address]


async def test_outside_demo_mode_there_is_no_sink(db: SingleConnectionPool) -> None:
    settings = load_settings(BASE_ENV)
    assert build_senders(settings, db) == {}
    async with client_for(settings, db) as client:
        assert (await client.get("/dev/outbox")).status == 404
        assert (await client.get("/api/v1/dev/sink")).status == 404


def test_a_real_provider_wins_over_the_sink(db: SingleConnectionPool) -> None:
    settings = load_settings(
        {
            **DEMO_ENV,
            "TWILIO_ACCOUNT_SID": "AC" + "1" * 32,
            "TWILIO_AUTH_TOKEN": "a-real-token",
            "SMTP_HOST": "smtp.example.net",
            "SMTP_PORT": "587",
        }
    )
    senders = build_senders(settings, db)
    assert isinstance(senders[OutboundChannel.SMS], TwilioSmsSender)
    assert isinstance(senders[OutboundChannel.EMAIL], SmtpSender)
    lines = [line for _, line in providers.report(settings)]
    assert lines[0].startswith("SMS: sending through Twilio account AC1111")
    assert lines[1].startswith("email: relaying through smtp.example.net:587")
    only_mail = load_settings({**DEMO_ENV, "SMTP_HOST": "smtp.example.net"})
    mixed = build_senders(only_mail, db)
    assert isinstance(mixed[OutboundChannel.SMS], DevSinkSender)
    assert isinstance(mixed[OutboundChannel.EMAIL], SmtpSender)


def test_the_start_says_per_channel_whether_and_where_it_sends() -> None:
    plain = providers.report(load_settings(BASE_ENV))
    assert [level for level, _ in plain] == [logging.WARNING, logging.WARNING]
    assert "outbound SMS stay pending" in plain[0][1] and "SMTP_HOST" in plain[1][1]
    demo = providers.report(load_settings(DEMO_ENV))
    assert [level for level, _ in demo] == [logging.INFO, logging.INFO]
    assert "development sink (http://localhost:8080/dev/outbox)" in demo[0][1]


async def test_an_empty_sink_says_how_to_send_test_traffic(db: SingleConnectionPool) -> None:
    async with db.acquire() as conn:
        await conn.execute("DELETE FROM dev_sink_messages")
    async with client_for(load_settings(DEMO_ENV), db) as client:
        html = await (await client.get("/dev/outbox")).text()
    assert "Nothing sent yet" in html and ".venv/bin/python scripts/simulate.py" in html


async def test_a_message_of_no_ticket_lands_in_the_sink_saying_what_it_is(
    db: SingleConnectionPool,
) -> None:
    """Greetings, broadcasts and visit reminders belong to no ticket; in demo mode they are
    "sent" to the sink like any other message and listed by what they are."""
    settings = load_settings(DEMO_ENV)
    customer = await make_customer(db, "Sink Reader", phones=[unique_phone()])
    async with transaction(db) as conn:
        await outbox.enqueue(
            conn,
            NewOutbound(
                ticket_id=None,
                message_id=None,
                channel="sms",
                to_address=customer.phones[0],
                body_text="Our service desk now opens at 8:00.",
                automatic=True,
                customer_id=customer.id,
                purpose=OutboundPurpose.BROADCAST,
            ),
            origin=Origin(sms_from="+15550100999"),
            now=utc_now(),
        )
    assert await deliver_all(db, build_senders(settings, db)) == [OutboundStatus.SENT]
    async with client_for(settings, db) as client:
        sink = await (await client.get("/api/v1/dev/sink")).json()
        html = await (await client.get("/dev/outbox")).text()
    (sent,) = sink["messages"]
    assert sent["ticket_id"] is None and sent["ticket_number"] is None
    assert sent["purpose"] == "broadcast" and sent["to_address"] == customer.phones[0]
    assert ">broadcast</td>" in html
