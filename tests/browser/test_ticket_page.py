"""The ticket page in a real browser: the timeline and info card, replying by SMS through the
undo window to the Twilio stand-in, notes, status, drafts across reloads, undo, the stale-draft
question (also on a ticket holding only a note), an edit after a send whose answer was lost,
Enter during an input method, the collision warning (never from old events), and hostile mail
shown as text."""

from __future__ import annotations

from email.message import EmailMessage
from typing import Any
from uuid import UUID

import aiosmtplib
import asyncpg
import pytest
from playwright.async_api import Page, Route, expect

from contact_center import live, tickets
from contact_center.live import Event
from tests.browser.browsing import (
    StaffUser,
    api,
    assert_accessible,
    assert_no_page_problems,
    watch,
)
from tests.browser.services import ServiceProcess, wait_for
from tests.builders import unique_phone
from tests.standins.twilio_api import TwilioStandIn

# A remote image blocked by the mail frame's policy is what the frame is for.
ALLOWED = (r"Refused to load the image", r"Content Security Policy")


@pytest.fixture(scope="module")
def service_env() -> dict[str, str]:
    return {"ACKNOWLEDGE": "false", "REPLY_UNDO_SECONDS": "3"}


async def open_sms_ticket(
    page: Page, service: ServiceProcess, signed_sms: Any, text: str
) -> tuple[str, str]:
    """A customer writes by SMS; the page opens that ticket. (ticket id, sender)."""
    sender = unique_phone()
    assert (await signed_sms(service, sender, text)).status == 200
    found = await api(page, "GET", f"/api/v1/tickets?customer_id=&q={text.split()[-1]}")
    ticket = next(t for t in found["json"]["tickets"] if t["subject"] == text)
    await page.goto(f"/tickets/{ticket['id']}")
    await expect(page.locator("#timeline")).to_contain_text(text)
    return ticket["id"], sender


async def test_an_agent_replies_adds_a_note_and_resolves(
    service: ServiceProcess, page_as: Any, signed_sms: Any, twilio: TwilioStandIn, shot: Any
) -> None:
    page = await page_as("agent")
    ticket_id, sender = await open_sms_ticket(page, service, signed_sms, "Where is my order 7731")
    await expect(page.locator("#info-card")).to_contain_text(sender)
    await expect(page.locator("#composer input[value=sms]")).to_be_checked()
    await page.fill("#reply-text", "It ships tomorrow.")
    await expect(page.locator("#sms-counter")).to_contain_text("18 characters · 1 SMS")
    await page.click("#send-button")
    await expect(page.locator("#undo-bar")).to_be_visible()
    sent = await wait_for(lambda: [f for f in twilio.sent() if f.get("To") == sender], within=15)
    assert sent[0]["Body"] == "It ships tomorrow."
    reply = page.locator("#timeline .msg-outbound")
    await expect(reply).to_contain_text("It ships tomorrow.")
    await expect(reply.locator(".delivery")).to_contain_text("Sent", timeout=15_000)

    await page.check("#composer input[value=note]")
    await page.fill("#reply-text", "Warehouse confirmed the pick.")
    await page.click("#send-button")
    await expect(page.locator("#timeline .note")).to_contain_text("Internal note")
    await expect(page.locator("#timeline .note")).to_contain_text("Warehouse confirmed the pick.")

    await page.select_option("select[name=status]", "resolved")
    await expect(page.locator(".control-status")).to_have_text("Saved.")
    await expect(page.locator("#timeline .event").last).to_contain_text("Resolved")
    await shot(page, "ticket")
    await assert_accessible(page)
    assert_no_page_problems(page, allow=ALLOWED)
    detail = await api(page, "GET", f"/api/v1/tickets/{ticket_id}")
    assert detail["json"]["status"] == "resolved"


async def test_a_draft_survives_a_reload_and_undo_takes_the_reply_back(
    service: ServiceProcess, page_as: Any, signed_sms: Any, twilio: TwilioStandIn
) -> None:
    page = await page_as("agent")
    _, sender = await open_sms_ticket(page, service, signed_sms, "Cancel my delivery 8812")
    await page.fill("#reply-text", "Done, cancelled.")
    await page.reload()
    await expect(page.locator("#reply-text")).to_have_value("Done, cancelled.")
    await expect(page.locator("#draft-status")).to_contain_text("restored")
    await page.click("#send-button")
    await page.click("#undo-button")
    await expect(page.locator("#undo-bar")).to_contain_text("taken back")
    await expect(page.locator("#reply-text")).to_have_value("Done, cancelled.")
    await expect(page.locator("#timeline .msg-outbound .delivery")).to_contain_text("Taken back")
    await page.wait_for_timeout(4000)  # past the undo window: still nothing went out
    assert [f for f in twilio.sent() if f.get("To") == sender] == []
    assert_no_page_problems(page, allow=ALLOWED)


async def test_a_stale_draft_asks_before_sending(
    service: ServiceProcess, page_as: Any, signed_sms: Any, twilio: TwilioStandIn
) -> None:
    page = await page_as("agent")
    _, sender = await open_sms_ticket(page, service, signed_sms, "Is the shop open 5521")
    await page.fill("#reply-text", "Yes, until six.")
    assert (await signed_sms(service, sender, "Never mind, found it")).status == 200
    await expect(page.locator("#timeline")).to_contain_text("Never mind, found it")
    await page.click("#send-button")
    dialog = page.locator("#stale-dialog")
    await expect(dialog).to_be_visible()
    await expect(dialog).to_contain_text("Never mind, found it")
    await page.click("#stale-send")
    await expect(page.locator("#undo-bar")).to_be_visible()
    await wait_for(lambda: [f for f in twilio.sent() if f.get("To") == sender], within=15)
    assert_no_page_problems(page, allow=(*ALLOWED, "409"))


async def test_a_stale_draft_is_caught_on_a_ticket_holding_only_a_note(
    service: ServiceProcess, page_as: Any, signed_sms: Any
) -> None:
    page = await page_as("agent")
    first_id, _ = await open_sms_ticket(page, service, signed_sms, "Invoice question 2290")
    customer_id = (await api(page, "GET", f"/api/v1/tickets/{first_id}"))["json"]["customer_id"]
    opened = await api(
        page,
        "POST",
        "/api/v1/tickets",
        {"customer_id": customer_id, "subject": "Call back 2290", "text": "Rang, no answer"},
    )
    ticket_id = opened["json"]["id"]
    await page.goto(f"/tickets/{ticket_id}")
    await expect(page.locator("#timeline .note")).to_contain_text("Rang, no answer")
    await page.fill("#reply-text", "Calling you now.")
    other = await page_as("second_agent")
    await other.goto(f"/tickets/{ticket_id}")
    answered = await api(
        other,
        "POST",
        f"/api/v1/tickets/{ticket_id}/replies",
        {"channel": "sms", "text": "We will call at three."},
    )
    assert answered["status"] == 201
    await page.click("#send-button")
    dialog = page.locator("#stale-dialog")
    await expect(dialog).to_be_visible()
    await expect(dialog).to_contain_text("We will call at three.")
    await page.click("#stale-review")
    await expect(page.locator("#timeline")).to_contain_text("We will call at three.")
    await page.click("#send-button")  # reviewed: the draft is now current
    await expect(page.locator("#undo-bar")).to_be_visible()
    assert_no_page_problems(page, allow=(*ALLOWED, "409"))


async def test_an_edit_after_a_send_whose_answer_was_lost_is_not_dropped(
    service: ServiceProcess, page_as: Any, signed_sms: Any, twilio: TwilioStandIn
) -> None:
    page = await page_as("agent")
    ticket_id, sender = await open_sms_ticket(page, service, signed_sms, "New address 6620")

    async def lose_the_answer(route: Route) -> None:
        await route.fetch()  # the server takes the reply …
        await route.abort("connectionreset")  # … but its answer never reaches the page

    await page.route("**/replies", lose_the_answer, times=1)
    await page.fill("#reply-text", "Noted, it ships Monday.")
    await page.click("#send-button")
    await expect(page.locator("#composer-error")).to_be_visible()
    await expect(page.locator("#reply-text")).to_have_value("Noted, it ships Monday.")
    await page.fill("#reply-text", "Noted, it ships Tuesday.")
    await page.click("#send-button")
    dialog = page.locator("#reused-dialog")
    await expect(dialog).to_be_visible()
    await expect(dialog.locator(".reused-text")).to_have_text("Noted, it ships Monday.")
    await page.click("#reused-send")
    await expect(page.locator("#undo-bar")).to_be_visible()
    replies = page.locator("#timeline .msg-outbound")
    await expect(replies).to_have_count(2)
    await expect(replies.last).to_contain_text("Noted, it ships Tuesday.")

    def both_sent() -> list[str]:
        bodies = [f["Body"] for f in twilio.sent() if f.get("To") == sender]
        return bodies if len(bodies) == 2 else []

    sent = await wait_for(both_sent, within=15)
    assert sorted(sent) == ["Noted, it ships Monday.", "Noted, it ships Tuesday."]
    detail = await api(page, "GET", f"/api/v1/tickets/{ticket_id}")
    assert [m["body_text"] for m in detail["json"]["messages"] if m["direction"] == "outbound"] == [
        "Noted, it ships Monday.",
        "Noted, it ships Tuesday.",
    ]
    assert_no_page_problems(
        page, allow=(*ALLOWED, "409", "ERR_CONNECTION_RESET", "Failed to fetch")
    )


async def test_enter_never_sends_while_an_input_method_composes(
    service: ServiceProcess, page_as: Any, signed_sms: Any
) -> None:
    page = await page_as("agent")
    ticket_id, _ = await open_sms_ticket(page, service, signed_sms, "Need a receipt 4410")
    await page.check("#enter-sends")
    box = page.locator("#reply-text")
    await box.fill("您好")
    await box.dispatch_event("compositionstart")
    await box.press("Enter")  # picks the candidate in the input method: must not send
    await box.evaluate(
        "b => b.dispatchEvent(new KeyboardEvent('keydown', "
        "{key: 'Enter', isComposing: true, bubbles: true, cancelable: true}))"
    )
    await page.wait_for_timeout(300)
    assert (await api(page, "GET", f"/api/v1/tickets/{ticket_id}"))["json"]["messages"][-1][
        "direction"
    ] == "inbound"
    await box.dispatch_event("compositionend")
    await page.wait_for_timeout(200)
    await box.press("Enter")
    await expect(page.locator("#undo-bar")).to_be_visible()
    assert_no_page_problems(page, allow=ALLOWED)


async def test_a_second_agent_typing_shows_a_collision_warning(
    service: ServiceProcess, page_as: Any, signed_sms: Any, second_agent: Any
) -> None:
    first = await page_as("agent")
    ticket_id, _ = await open_sms_ticket(first, service, signed_sms, "Wrong size delivered 3307")
    second = await page_as("second_agent")
    await second.goto(f"/tickets/{ticket_id}")
    await expect(first.locator("#collision")).to_contain_text(
        f"{second_agent.name} is viewing this ticket"
    )
    await second.fill("#reply-text", "Sorry about that")
    await expect(first.locator("#collision")).to_contain_text(
        f"{second_agent.name} is typing a reply"
    )
    assert_no_page_problems(first, allow=ALLOWED)


async def test_an_old_activity_event_does_not_show_as_current(
    service: ServiceProcess,
    page_as: Any,
    signed_sms: Any,
    pool: asyncpg.Pool[Any],
    second_agent: StaffUser,
    supervisor: StaffUser,
) -> None:
    # What a reconnect replays: "typing" from an hour ago must not warn anyone now.
    page = await page_as("agent")
    ticket_id, _ = await open_sms_ticket(page, service, signed_sms, "Broken lid 5180")
    await expect(page.locator("#live-status")).to_have_attribute("data-state", "live")
    async with pool.acquire() as conn, conn.transaction():
        old = await live.publish(
            conn,
            Event.TICKET_ACTIVITY,
            {
                "ticket_id": ticket_id,
                "user_id": second_agent.id,
                "name": second_agent.name,
                "state": "typing",
            },
        )
        await conn.execute(
            "UPDATE events SET created_at = now() - interval '1 hour' WHERE id = $1", old
        )
    await tickets.announce_activity(
        pool,
        UUID(ticket_id),
        tickets.Activity.VIEWING,
        user_id=UUID(supervisor.id),
        name=supervisor.name,
    )
    collision = page.locator("#collision")
    await expect(collision).to_contain_text(f"{supervisor.name} is viewing this ticket")
    await expect(collision).not_to_contain_text(second_agent.name)
    assert_no_page_problems(page, allow=ALLOWED)


async def test_a_hostile_mail_shows_as_text_and_nothing_runs(
    service: ServiceProcess, page_as: Any, shot: Any
) -> None:
    payload = "<script>alert('subject')</script>"
    mail = EmailMessage()
    mail["From"] = "Mallory <mallory@example.net>"
    mail["To"] = "support@example.com"
    mail["Subject"] = f"Invoice {payload} 9042"
    mail["Message-ID"] = "<hostile-9042@example.net>"
    mail.set_content(f"Plain part {payload}")
    mail.add_alternative(
        f"<p>Body {payload}<img src=x onerror=alert('img')>"
        '<img src="https://tracker.example.net/p.gif" alt="tracker"></p>',
        subtype="html",
    )
    await aiosmtplib.send(mail, hostname="127.0.0.1", port=service.inbound_smtp_port)
    page = await page_as("agent")

    async def listed() -> list[Any]:
        tickets: list[Any] = (await api(page, "GET", "/api/v1/tickets?q=9042"))["json"]["tickets"]
        return tickets

    ticket = await wait_for(listed, within=15)
    await page.goto(f"/tickets/{ticket[0]['id']}")
    await expect(page.locator("#ticket-subject")).to_contain_text(payload)
    frame = page.frame_locator("iframe.mail-frame")
    await expect(frame.locator("body")).to_contain_text("Body")
    assert await page.locator("iframe.mail-frame").get_attribute("sandbox") == ""
    seen = watch(page)
    assert not any("tracker.example.net" in e and "ERR_" in e for e in seen.console_errors)
    await shot(page, "hostile-mail")
    await page.click("text=Show images")
    await expect(frame.locator("body")).to_contain_text("Body")
    # Only now does the browser try to fetch the remote image (the name does not resolve).
    await wait_for(lambda: [e for e in seen.console_errors if "tracker.example.net" in e])
    # No dialog and no script error; the only console errors are about the remote image.
    assert_no_page_problems(page, allow=(*ALLOWED, "tracker.example.net"))
