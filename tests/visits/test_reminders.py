"""Day-before reminders through the real worker and the Twilio stand-in: sent once in the
contact's language, opt-out honoured and an account without a mobile recorded as skipped."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from contact_center import customers, site
from contact_center.config import Settings
from contact_center.jobs import JobContext
from contact_center.jobs.worker import run_once
from contact_center.timeutil import utc_now
from contact_center.visits import list_visits
from tests.builders import TEST_ACTOR, make_customer, unique_phone
from tests.standins.smtp import SmtpCapture
from tests.standins.twilio_api import TwilioStandIn
from tests.visits.helpers import manager_with_accounts, put_visit
from tests.workflows.e2e_helpers import background, eventually, service_settings

pytestmark = pytest.mark.commits


async def test_reminders_go_once_honour_opt_out_and_record_skips(
    pool: Any, settings: Settings, twilio: TwilioStandIn, smtp: SmtpCapture
) -> None:
    live = service_settings(settings, twilio, smtp)
    now = utc_now()
    async with pool.acquire() as conn:
        versions = (await site.load(conn)).versions
    await site.update_setting(
        pool,
        TEST_ACTOR,
        "visit_rules",
        {"reminder_hour": 0},
        version=versions["visit_rules"],
        now=now,
    )
    manager, orgs = await manager_with_accounts(pool, 3)
    zh_phone, stop_phone = unique_phone(), unique_phone()
    await make_customer(
        pool,
        "王芳",
        phones=[zh_phone],
        organization_id=str(orgs[0].id),
        language="zh_Hans",
        preferred_channel="sms",
    )
    stopped = await make_customer(
        pool, "Opted Out", phones=[stop_phone], organization_id=str(orgs[1].id)
    )
    async with pool.acquire() as conn:
        await customers.set_sms_opt_out(conn, TEST_ACTOR, stopped.id, True)
    await make_customer(
        pool, "Mail Only", phones=[], emails=["mail@example.com"], organization_id=str(orgs[2].id)
    )
    tomorrow = now.date() + timedelta(days=1)
    for org in orgs:
        await put_visit(pool, org.id, manager.id, tomorrow)
    context = JobContext(pool, live)
    async with background(pool, live):
        first = await run_once(context, "visit-reminders")
        again = await run_once(context, "visit-reminders")
        sent = await eventually(lambda: _texts(twilio), lambda found: len(found) >= 1)
    assert first == {
        "queued": 1,
        "opted_out": 1,
        "no_mobile": 1,
        "refused": 0,
        "missed_window": 0,
    }
    assert again == {**dict.fromkeys(first, 0)}
    assert [t["To"] for t in sent] == [zh_phone]
    assert "明天" in sent[0]["Body"]
    views = await list_visits(pool, manager_id=manager.id, first=tomorrow, last=tomorrow, now=now)
    by_org = {v.organization_id: v.reminder for v in views}
    assert by_org[orgs[1].id] == "opted_out"
    assert by_org[orgs[2].id] == "no_mobile"
    assert by_org[orgs[0].id] in {"pending", "sending", "sent", "delivered"}


async def _texts(twilio: TwilioStandIn) -> list[dict[str, Any]]:
    return [r["form"] for r in twilio.requests if r["path"].endswith("/Messages.json")]
