"""The public survey page and the ticket's follow-up API: no sign-in for the customer's page,
which shows the ticket number only; staff read surveys and visit requests on the ticket."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from contact_center import workflows
from contact_center.db import Conn
from contact_center.timeutil import utc_now
from contact_center.users import Role
from tests.builders import make_inbound_sms, make_user, token_for
from tests.conftest import SingleConnectionPool
from tests.workflows.test_surveys import closed_with_survey


async def test_the_survey_page_takes_one_answer_without_signing_in(
    conn: Conn, db: SingleConnectionPool, client: TestClient[Any, Any]
) -> None:
    contact = make_inbound_sms(display_name="Wang Fang", text="Complaint about the delivery")
    ticket, token = await closed_with_survey(conn, db, contact, utc_now())
    page = await client.get(f"/survey/{token}")
    html = await page.text()
    assert page.status == 200 and f"#{ticket.number}" in html
    assert "Wang Fang" not in html and contact.from_address not in html
    posted = await client.post(
        f"/survey/{token}", data={"score": "4", "comment": "Kind people"}, allow_redirects=False
    )
    assert posted.status == 303 and posted.headers["Location"] == f"/survey/{token}"
    again = await client.post(f"/survey/{token}", data={"score": "1"})
    assert again.status == 200 and "Thank you for your answer" in await again.text()

    staff = await token_for(db, await make_user(db, Role.AGENT))
    answer = await client.get(f"/api/v1/tickets/{ticket.id}/surveys", headers=staff)
    [survey] = (await answer.json())["surveys"]
    assert (survey["score"], survey["comment"], survey["answered_via"]) == (
        4,
        "Kind people",
        "link",
    )
    assert "token" not in survey
    visits = await client.get(f"/api/v1/tickets/{ticket.id}/visit-requests", headers=staff)
    assert (await visits.json()) == {"visit_requests": []}


async def test_an_unknown_survey_link_is_a_not_found_page(client: TestClient[Any, Any]) -> None:
    page = await client.get("/survey/nothing-here", headers={"Accept": "text/html"})
    assert page.status == 404 and "text/html" in page.headers["Content-Type"]
    bad = await client.post("/survey/nothing-here", data={"score": "5"})
    assert bad.status == 404


async def test_a_score_outside_one_to_five_is_refused_with_a_message(
    conn: Conn, db: SingleConnectionPool, client: TestClient[Any, Any]
) -> None:
    _, token = await closed_with_survey(conn, db, make_inbound_sms(text="Complaint"), utc_now())
    posted = await client.post(f"/survey/{token}", data={"score": "9"})
    assert posted.status == 422 and "from 1 to 5" in await posted.text()


async def test_an_expired_survey_link_says_it_is_closed_and_records_nothing(
    conn: Conn,
    db: SingleConnectionPool,
    client: TestClient[Any, Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    sent = utc_now() - timedelta(days=15)
    ticket, token = await closed_with_survey(conn, db, make_inbound_sms(text="Complaint"), sent)
    page = await client.get(f"/survey/{token}")
    html = await page.text()
    assert page.status == 200 and "This survey is closed" in html and "<form" not in html
    caplog.set_level(logging.INFO, logger="contact_center.workflows.surveys")
    posted = await client.post(f"/survey/{token}", data={"score": "5"})
    assert posted.status == 200 and "This survey is closed" in await posted.text()
    assert any("after 14 days" in r.getMessage() for r in caplog.records)
    [survey] = await workflows.ticket_surveys(db, ticket.id)
    assert survey.answered_at is None and survey.score is None
