"""The customer's survey page in a real browser: no sign-in, the ticket number and 1-5, a
comment, then thanks; accessible."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import asyncpg
import pytest_asyncio
from playwright.async_api import expect

from contact_center import workflows
from contact_center.timeutil import utc_now
from tests.browser.browsing import assert_accessible, assert_no_page_problems
from tests.browser.services import ServiceProcess, start_service
from tests.builders import make_inbound_sms
from tests.standins.smtp import SmtpCapture
from tests.standins.twilio_api import TwilioStandIn
from tests.workflows.test_surveys import closed_with_survey


@pytest_asyncio.fixture(scope="module")
async def service(
    database_dsn: str,
    twilio: TwilioStandIn,
    smtp: SmtpCapture,
    service_folder: Path,
    service_env: dict[str, str],
) -> AsyncIterator[ServiceProcess]:
    """The web process alone: the tests send their surveys themselves, at the times they
    choose, and a worker would race them to the queued survey (sending it now, by its own
    address)."""
    process = await start_service(
        "service",
        "web",
        folder=service_folder,
        database_url=database_dsn,
        twilio_base=twilio.base_url,
        smtp_port=smtp.port,
        extra_env=service_env,
    )
    yield process
    process.stop()


async def test_a_customer_answers_the_survey_on_its_page(
    page: Any, shot: Any, pool: asyncpg.Pool[Any]
) -> None:
    async with pool.acquire() as conn:
        ticket, token = await closed_with_survey(
            conn, pool, make_inbound_sms(text="The driver was rude"), utc_now()
        )
    await page.goto(f"/survey/{token}")
    await expect(page.get_by_role("heading", level=1)).to_contain_text(f"#{ticket.number}")
    await assert_accessible(page)
    await page.get_by_label("Anything you would like to add (optional)").fill("Kind and quick")
    await shot(page, "question")
    await page.get_by_role("button", name="4", exact=True).click()
    await expect(page.get_by_role("status")).to_contain_text("Thank you for your answer")
    await shot(page, "thanks")
    assert_no_page_problems(page)
    [survey] = await workflows.ticket_surveys(pool, ticket.id)
    assert (survey.score, survey.comment, survey.answered_via) == (4, "Kind and quick", "link")


async def test_an_expired_survey_page_says_it_is_closed(
    page: Any, shot: Any, pool: asyncpg.Pool[Any]
) -> None:
    async with pool.acquire() as conn:
        ticket, token = await closed_with_survey(
            conn, pool, make_inbound_sms(text="The parcel was late"), utc_now() - timedelta(days=15)
        )
    await page.goto(f"/survey/{token}")
    await expect(page.get_by_role("heading", level=1)).to_contain_text(f"#{ticket.number}")
    await expect(page.get_by_role("status")).to_contain_text("This survey is closed")
    await expect(page.get_by_role("button", name="4", exact=True)).to_have_count(0)
    await assert_accessible(page)
    await shot(page, "closed")
    assert_no_page_problems(page)
