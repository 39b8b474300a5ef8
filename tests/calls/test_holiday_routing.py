"""The site calendar closes the queues: a call on a public holiday goes to voicemail, and a
callback's business hours skip the holiday."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from contact_center import calls, routing, site, tickets
from contact_center.calls.model import Menu, Voicemail, Wait
from contact_center.config import Settings
from contact_center.tickets import Channel, InboundContact
from contact_center.worktime import ALWAYS
from tests.builders import TEST_ACTOR, unique_phone
from tests.conftest import SingleConnectionPool

SHANGHAI = ZoneInfo("Asia/Shanghai")


async def call_and_choose(
    db: SingleConnectionPool, settings: Settings, now: datetime
) -> calls.VoiceAnswer:
    options = calls.voice_options(settings)
    contact = InboundContact(
        channel=Channel.VOICE,
        provider_id="CA" + unique_phone().lstrip("+"),
        from_address=unique_phone(),
        to_address="+12025550100",
    )
    placed = await tickets.intake(
        db,
        contact,
        now=now,
        options=tickets.intake_options(settings),
        respond=calls.call_responder(options, now=now),
    )
    menu = placed.answer.next
    assert isinstance(menu, Menu)
    return await calls.choose_from_menu(
        db, menu.call_id, digits="3", speech="", attempt=1, options=options, now=now
    )


async def test_a_call_on_a_chinese_public_holiday_goes_to_voicemail(
    db: SingleConnectionPool, settings: Settings
) -> None:
    for name in ("general", "complaint", "order"):
        await routing.update_queue(
            db, TEST_ACTOR, name, {"hours": ALWAYS}, now=datetime.now(SHANGHAI)
        )
    async with db.acquire() as conn:
        assert (await site.load(conn)).holiday_country == "CN"  # the default
    national_day = datetime(2026, 10, 1, 10, 0, tzinfo=SHANGHAI)
    answer = await call_and_choose(db, settings, national_day)
    assert isinstance(answer.next, Voicemail)
    working_day = datetime(2026, 10, 12, 10, 0, tzinfo=SHANGHAI)
    answer = await call_and_choose(db, settings, working_day)
    assert isinstance(answer.next, Wait)


async def test_a_call_on_a_make_up_saturday_reaches_a_weekday_queue(
    db: SingleConnectionPool, settings: Settings
) -> None:
    weekdays = {day: [["09:00", "18:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}
    zone = ZoneInfo(settings.site_timezone)
    for name in ("general", "complaint", "order"):
        await routing.update_queue(
            db, TEST_ACTOR, name, {"hours": weekdays}, now=datetime.now(zone)
        )
    # China works Saturday 10 October 2026 to bridge the National Day week: the queues open
    # on their usual weekday hours, as the site's business clocks count the day.
    make_up_saturday = datetime(2026, 10, 10, 10, 0, tzinfo=zone)
    async with db.acquire() as conn:
        calendar = await site.business_calendar(conn, around=make_up_saturday)
    assert make_up_saturday.date() in calendar.extra
    answer = await call_and_choose(db, settings, make_up_saturday)
    assert isinstance(answer.next, Wait)
    ordinary_saturday = datetime(2026, 10, 17, 10, 0, tzinfo=zone)
    answer = await call_and_choose(db, settings, ordinary_saturday)
    assert isinstance(answer.next, Voicemail)
    after_hours = datetime(2026, 10, 10, 19, 0, tzinfo=zone)
    answer = await call_and_choose(db, settings, after_hours)
    assert isinstance(answer.next, Voicemail)
