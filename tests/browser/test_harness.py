"""The browser harness against what the service serves today: a signed-in browser, its pages
checked by axe-core, CSRF refusals seen from a real page, signed SMS webhooks reaching real
processes (one or two on one database) and their acknowledgements reaching the Twilio
stand-in."""

from __future__ import annotations

from typing import Any

from tests.browser.browsing import (
    accessibility_violations,
    api,
    assert_accessible,
    assert_no_page_problems,
    fetch,
    watch,
)
from tests.browser.services import ServiceProcess, wait_for
from tests.builders import unique_phone
from tests.standins.twilio_api import TwilioStandIn


async def test_a_signed_in_agent_sees_the_home_page_without_accessibility_problems(
    page_as: Any, shot: Any, agent: Any
) -> None:
    page = await page_as("agent")
    await page.goto("/")
    await shot(page, "home")
    me = await fetch(page, "GET", "/api/v1/me")
    assert me["json"]["user"]["email"] == agent.email
    await assert_accessible(page)
    assert_no_page_problems(page)


async def test_a_post_without_the_csrf_token_is_refused(page_as: Any, shot: Any) -> None:
    page = await page_as("agent")
    await page.goto("/")
    token = (await fetch(page, "GET", "/api/v1/me"))["json"]["csrf_token"]
    refused = await fetch(page, "POST", "/api/v1/auth/logout")
    assert refused["status"] == 403
    assert refused["json"]["error"]["code"] == "forbidden"
    assert (await fetch(page, "GET", "/api/v1/me"))["status"] == 200  # still signed in
    done = await fetch(page, "POST", "/api/v1/auth/logout", **{"X-CSRF-Token": token})
    assert done["status"] == 204
    # Asked beside the page, not from it: the page's own polling now meets 401 and takes it to
    # the sign-in page, which would end a script running in it.
    assert (await page.request.get("/api/v1/me")).status == 401
    await shot(page, "after-logout")
    # The browser reports the refused request (403) and the 401 as failed resource loads;
    # nothing else may show.
    assert_no_page_problems(page, allow=("Failed to load resource",))


async def test_a_signed_sms_opens_a_ticket_and_its_acknowledgement_reaches_twilio(
    service: ServiceProcess, page_as: Any, signed_sms: Any, twilio: TwilioStandIn
) -> None:
    sender = unique_phone()
    answer = await signed_sms(service, sender, "My parcel has not arrived")
    assert answer.status == 200
    page = await page_as("agent")
    await page.goto("/")
    listed = await fetch(page, "GET", "/api/v1/tickets?q=parcel")
    assert [t["subject"] for t in listed["json"]["tickets"]] == ["My parcel has not arrived"]
    acknowledged = await wait_for(lambda: [f for f in twilio.sent() if f.get("To") == sender])
    assert "#" in acknowledged[0]["Body"]


async def test_two_web_processes_serve_one_database(
    two_services: tuple[ServiceProcess, ServiceProcess], page_as: Any, signed_sms: Any, shot: Any
) -> None:
    first, second = two_services
    answer = await signed_sms(second, unique_phone(), "Sent through the second process")
    assert answer.status == 200
    page = await page_as("supervisor", on=first)
    await page.goto("/")
    listed = await fetch(page, "GET", "/api/v1/tickets?q=second")
    assert [t["subject"] for t in listed["json"]["tickets"]] == ["Sent through the second process"]
    other = await page_as("agent", on=second)
    await other.goto("/")
    await shot(other, "second-process")
    assert (await fetch(other, "GET", "/api/v1/me"))["json"]["user"]["role"] == "agent"


async def test_the_checks_catch_what_they_are_for(page: Any) -> None:
    """A script that runs (a dialog, an uncaught error) and an image without a text
    alternative are caught: the helpers above are not vacuous."""
    await page.set_content(
        '<!doctype html><html lang="en"><title>t</title><main><img src="/healthz">'
        "<script>alert('ran'); throw new Error('boom')</script></main></html>"
    )
    problems = watch(page).problems()
    assert "dialog alert: ran" in problems
    assert any("boom" in p for p in problems)
    violations = await accessibility_violations(page)
    assert "image-alt" in [v["id"] for v in violations]


async def test_api_writes_from_a_page_carry_the_csrf_token(
    page_as: Any, signed_sms: Any, service: ServiceProcess
) -> None:
    answer = await signed_sms(service, unique_phone(), "Please call me back")
    assert answer.status == 200
    page = await page_as("agent")
    listed = await api(page, "GET", "/api/v1/tickets?q=call")
    ticket = listed["json"]["tickets"][0]
    note = await api(page, "POST", f"/api/v1/tickets/{ticket['id']}/notes", {"text": "Called back"})
    assert note["status"] == 201, note["text"]
