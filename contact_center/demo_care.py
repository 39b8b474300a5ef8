"""Demo care messages: a few customers tagged for holiday greetings, birthdays today, one who
wants no care messages, and two broadcasts (one sent, one under way) with their figures."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from contact_center import care, customers, site
from contact_center.audit import Actor
from contact_center.config import Settings
from contact_center.customers import Customer
from contact_center.db import Pool
from contact_center.outbox import Origin
from contact_center.timeutil import utc_now


async def load_demo_care(
    pool: Pool, actor: Actor, settings: Settings, people: list[Customer]
) -> None:
    now = utc_now()
    async with pool.acquire() as conn:
        today = site_day(now, (await site.load(conn)).timezone)
    for n, person in enumerate(people[:40]):
        changes: dict[str, Any] = {}
        if n % 5 == 0:
            changes["tags"] = sorted({*person.tags, "elderly" if n % 10 else "long-standing"})
        if n in (3, 11):  # greeted today, when the greetings job runs past the send hour
            changes["birthday"] = born_today(today, 1960 + 8 * (n % 2)).isoformat()
        if changes:
            await customers.update_customer(
                pool, actor, person.id, changes, region=settings.default_phone_region
            )
    await care.set_care_opt_out(pool, actor, people[1].id, True, now=now)
    origin = Origin(sms_from=settings.twilio_from_number, email_from=settings.support_address)
    # Today's greetings at once (past the send hour), not at the job's next quarter hour.
    await care.send_greetings(pool, origin=origin, now=now)
    sent = await care.start_broadcast(
        pool,
        actor,
        name="New opening hours",
        segment=care.Segment(key_accounts_only=True),
        subject_en="New opening hours",
        subject_zh="服务台营业时间调整",
        body_en="From next month our service desk is open 8:00-20:00 on weekdays.",
        body_zh="自下月起，我们的服务台工作日营业时间为 8:00-20:00。",
        channel=None,
        now=now,
    )
    await care.send_batch(pool, sent.id, origin=origin, now=now)
    await care.start_broadcast(
        pool,
        actor,
        name="Spring catalogue",
        segment=care.Segment(tags=("retail",)),
        body_en="Our spring catalogue is out: ask your account manager for a copy.",
        body_zh="春季产品目录已发布，欢迎向您的客户经理索取。",
        channel="sms",
        now=now,
    )


def site_day(now: datetime, timezone: str) -> date:
    """The day on the site's clock: the greetings job greets by it, not by the UTC date."""
    return now.astimezone(ZoneInfo(timezone)).date()


def born_today(today: date, leap_year: int) -> date:
    """A birthday on `today` in `leap_year` (a leap year, so Feb 29 is a real date too)."""
    return date(leap_year, today.month, today.day)
