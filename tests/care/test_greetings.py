"""Birthday and holiday greetings: the day's selection, once per occasion, in the customer's
language, on their channel, with skips recorded."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from typing import Any

from contact_center import care, delivery, outbox, site
from contact_center.config import Settings
from contact_center.outbox import Origin, OutboundStatus
from tests.builders import TEST_ACTOR, make_customer
from tests.conftest import SingleConnectionPool
from tests.standins.smtp import SmtpCapture
from tests.standins.twilio_api import TwilioStandIn

ORIGIN = Origin(sms_from="+12025550100", email_from="care@example.com")
JUNE_1 = datetime(2027, 6, 1, 10, 0, tzinfo=UTC)  # a Tuesday, no holiday in China
NATIONAL_DAY = datetime(2027, 10, 1, 10, 0, tzinfo=UTC)


async def sends(db: SingleConnectionPool) -> list[dict[str, Any]]:
    async with db.acquire() as conn:
        rows = await conn.fetch(
            """SELECT s.customer_id, s.occasion, s.skipped, m.channel, m.to_address,
                      m.body_text, m.subject, m.purpose, m.ticket_id
               FROM care_sends s LEFT JOIN outbound_messages m ON m.id = s.outbound_id
               ORDER BY s.occasion, s.customer_id"""
        )
    return [dict(r) for r in rows]


async def test_birthday_greetings_go_once_in_the_customers_language(
    db: SingleConnectionPool,
) -> None:
    wang = await make_customer(
        db, "王芳", birthday=date(1960, 6, 1), language="zh-CN", preferred_channel="sms"
    )
    await make_customer(db, "Not Today", birthday=date(1960, 6, 2))
    ann = await make_customer(
        db,
        "Ann Lee",
        birthday=date(1975, 6, 1),
        language="en",
        preferred_channel="email",
        emails=["ann@example.com"],
    )
    assert await care.send_greetings(db, origin=ORIGIN, now=JUNE_1) == {
        "sent": 2,
        "skipped": 0,
        "no_sender": 0,
    }
    found = {r["customer_id"]: r for r in await sends(db)}
    assert set(found) == {wang.id, ann.id}
    assert found[wang.id]["channel"] == "sms" and "生日快乐" in found[wang.id]["body_text"]
    assert found[wang.id]["to_address"] == wang.phones[0]
    assert found[ann.id]["channel"] == "email" and found[ann.id]["to_address"] == "ann@example.com"
    assert found[ann.id]["body_text"].startswith("Happy birthday, Ann Lee")
    assert found[ann.id]["subject"] == "Happy birthday"
    assert all(r["purpose"] == "greeting" and r["ticket_id"] is None for r in found.values())
    # Again the same day (a rerun, a second worker): nothing new.
    assert await care.send_greetings(db, origin=ORIGIN, now=JUNE_1) == {
        "sent": 0,
        "skipped": 0,
        "no_sender": 0,
    }
    assert len(await sends(db)) == 2


async def test_nothing_leaves_before_the_send_hour_in_the_site_zone(
    db: SingleConnectionPool, settings: Settings
) -> None:
    await make_customer(db, "王芳", birthday=date(1960, 6, 1))
    shanghai = dataclasses.replace(settings, site_timezone="Asia/Shanghai")
    await site.record_environment(db, shanghai, now=JUNE_1)
    # 00:30 UTC on June 1 is 08:30 in Shanghai: before 9.
    early = datetime(2027, 6, 1, 0, 30, tzinfo=UTC)
    assert await care.send_greetings(db, origin=ORIGIN, now=early) == {
        "sent": 0,
        "skipped": 0,
        "no_sender": 0,
    }
    # 16:30 UTC on May 31 is already June 1, 00:30 in Shanghai: still before 9.
    assert (
        await care.send_greetings(db, origin=ORIGIN, now=datetime(2027, 5, 31, 16, 30, tzinfo=UTC))
    )["sent"] == 0
    late = datetime(2027, 6, 1, 1, 30, tzinfo=UTC)  # 09:30 in Shanghai
    assert (await care.send_greetings(db, origin=ORIGIN, now=late))["sent"] == 1


async def test_holiday_greetings_go_to_tagged_customers_on_a_public_holiday(
    db: SingleConnectionPool,
) -> None:
    elder = await make_customer(db, "李大爷", tags=["elderly"], language="zh")
    await make_customer(db, "Young", tags=["student"])
    assert await care.send_greetings(db, origin=ORIGIN, now=NATIONAL_DAY) == {
        "sent": 1,
        "skipped": 0,
        "no_sender": 0,
    }
    (row,) = await sends(db)
    assert row["customer_id"] == elder.id and row["occasion"] == "holiday:2027-10-01"
    assert "节日快乐" in row["body_text"]
    # The second day of the Golden Week is the same holiday: no second greeting.
    day_two = datetime(2027, 10, 2, 10, 0, tzinfo=UTC)
    assert (await care.send_greetings(db, origin=ORIGIN, now=day_two))["sent"] == 0


async def test_opted_out_and_unreachable_customers_are_skipped_with_the_reason(
    db: SingleConnectionPool,
) -> None:
    stopped = await make_customer(db, "Stopped", birthday=date(1960, 6, 1))
    quiet = await make_customer(db, "Quiet", birthday=date(1960, 6, 1))
    nowhere = await make_customer(db, "Nowhere", birthday=date(1960, 6, 1), phones=[])
    async with db.acquire() as conn:
        await conn.execute("UPDATE customers SET sms_opted_out = true WHERE id = $1", stopped.id)
    await care.set_care_opt_out(db, TEST_ACTOR, quiet.id, True, now=JUNE_1)
    assert await care.send_greetings(db, origin=ORIGIN, now=JUNE_1) == {
        "sent": 0,
        "skipped": 3,
        "no_sender": 0,
    }
    reasons = {r["customer_id"]: r["skipped"] for r in await sends(db)}
    assert reasons == {
        stopped.id: "opted_out",
        quiet.id: "care_opted_out",
        nowhere.id: "no_address",
    }


async def test_greetings_are_delivered_by_sms_and_email(
    db: SingleConnectionPool,
    senders: outbox.Senders,
    twilio: TwilioStandIn,
    smtp: SmtpCapture,
) -> None:
    await make_customer(db, "王芳", birthday=date(1960, 6, 1), language="zh")
    await make_customer(
        db, "Ann", birthday=date(1960, 6, 1), preferred_channel="email", emails=["ann@example.com"]
    )
    await care.send_greetings(db, origin=ORIGIN, now=JUNE_1)
    async with db.acquire() as conn:
        ids = [r["id"] for r in await conn.fetch("SELECT id FROM outbound_messages")]
    for outbound_id in ids:
        assert await delivery.deliver_one(db, senders, outbound_id, now=JUNE_1) is (
            OutboundStatus.SENT
        )
    (sms,) = twilio.sent()
    assert "生日快乐" in sms["Body"]
    (mail,) = smtp.messages
    assert mail["Subject"] == "Happy birthday" and mail["To"] == "ann@example.com"
    assert mail["Auto-Submitted"] == "auto-generated"


async def test_the_send_hour_follows_the_site_clock_across_a_dst_change(
    db: SingleConnectionPool, settings: Settings
) -> None:
    await make_customer(db, "Spring Forward", birthday=date(1970, 3, 14))
    new_york = dataclasses.replace(settings, site_timezone="America/New_York")
    await site.record_environment(db, new_york, now=JUNE_1)
    # 14 March 2027: clocks go forward at 02:00, so 9:00 is 13:00 UTC (it was 14:00 the day
    # before). 12:30 UTC is 08:30 on the site's clock: too early; 13:05 UTC is 09:05.
    early = datetime(2027, 3, 14, 12, 30, tzinfo=UTC)
    assert (await care.send_greetings(db, origin=ORIGIN, now=early))["sent"] == 0
    on_time = datetime(2027, 3, 14, 13, 5, tzinfo=UTC)
    assert (await care.send_greetings(db, origin=ORIGIN, now=on_time))["sent"] == 1


async def test_without_an_sms_number_greetings_use_email_or_wait_for_a_later_run(
    db: SingleConnectionPool, caplog: Any
) -> None:
    """No TWILIO_FROM_NUMBER is the site's gap, not the customer's: the email address serves,
    and a customer only SMS reaches keeps the occasion open for a run that can send."""
    mobile_only = await make_customer(db, "周杰", birthday=date(1970, 6, 1), language="zh")
    both = await make_customer(
        db, "Bo Li", birthday=date(1980, 6, 1), emails=["bo@example.com"], preferred_channel="sms"
    )
    no_sms = Origin(sms_from="", email_from="care@example.com")
    with caplog.at_level("WARNING"):
        counts = await care.send_greetings(db, origin=no_sms, now=JUNE_1)
        await care.send_greetings(db, origin=no_sms, now=JUNE_1)
    assert counts == {"sent": 1, "skipped": 0, "no_sender": 1}
    (row,) = await sends(db)
    assert row["customer_id"] == both.id and row["channel"] == "email" and row["skipped"] is None
    warnings = [r.getMessage() for r in caplog.records if "TWILIO_FROM_NUMBER" in r.getMessage()]
    assert len(warnings) == 2 and "1 greetings of 2027-06-01" in warnings[0]  # once per run
    # The number is configured later the same day: the waiting customer is greeted by SMS.
    later = JUNE_1.replace(hour=12)
    assert await care.send_greetings(db, origin=ORIGIN, now=later) == {
        "sent": 1,
        "skipped": 0,
        "no_sender": 0,
    }
    found = {r["customer_id"]: r for r in await sends(db)}
    assert found[mobile_only.id]["channel"] == "sms" and found[mobile_only.id]["skipped"] is None
