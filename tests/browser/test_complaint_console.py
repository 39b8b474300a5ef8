"""The complaint console in a real browser: an agent marks an SMS ticket as a complaint and the
panel appears live; the steps, the current step's countdown and the ticket's clocks are shown;
leaving a step without its required field is refused with the server's words beside the
field (what was typed stays); the agent moves the case through every step to Closed and the
history lists each. In English and Chinese, checked with axe. A supervisor's board shows a
breached deadline, escalated, once the deadline scan runs past its due time."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import asyncpg
import pytest
from playwright.async_api import Page, expect

from contact_center.timeutil import utc_now
from contact_center.workflows.deadline_service import scan_deadlines
from tests.browser.browsing import StaffUser, api, assert_accessible, assert_no_page_problems
from tests.browser.services import ServiceProcess
from tests.builders import unique_phone

# A refused move is an answer the page shows; the browser logs its status all the same.
REFUSED = (r"status of 422",)


@pytest.fixture(scope="module")
def service_env() -> dict[str, str]:
    return {"ACKNOWLEDGE": "false", "REPLY_UNDO_SECONDS": "0"}


async def sms_ticket(page: Page, service: ServiceProcess, signed_sms: Any, text: str) -> str:
    """A customer's SMS makes a ticket (through intake); the agent opens it. Its id."""
    assert (await signed_sms(service, unique_phone(), text)).status == 200
    found = await api(page, "GET", f"/api/v1/tickets?q={text.split()[-1]}")
    ticket = next(t for t in found["json"]["tickets"] if t["subject"] == text)
    await page.goto(f"/tickets/{ticket['id']}")
    await expect(page.locator("#timeline")).to_contain_text(text)
    return str(ticket["id"])


async def complaint_ticket(
    page: Page, service: ServiceProcess, signed_sms: Any, agent: StaffUser, text: str
) -> str:
    """An SMS with no complaint words; the agent takes the ticket and marks it as a complaint
    through the ticket's controls, and the complaint panel appears live. Its id."""
    ticket_id = await sms_ticket(page, service, signed_sms, text)
    await expect(page.locator("#clocks-body")).to_contain_text("First response")
    await expect(page.locator("#case-panel")).to_be_hidden()
    await page.select_option("select[name=assignee_id]", agent.id)
    await expect(page.locator(".control-status")).to_have_text("Saved.")
    await page.select_option("select[name=kind]", "complaint")
    await expect(page.locator("#case-panel")).to_be_visible()
    return ticket_id


async def move(page: Page, step: str) -> None:
    await page.click(f"#case-form button[data-move={step}]")
    await expect(page.locator("#case-status")).to_contain_text("Moved to")
    reached = page.locator(f".case-steps li[data-step={step}]")
    if step == "closed":  # the final step is done once reached
        await expect(reached).to_have_class("step-done")
    else:
        await expect(reached).to_have_attribute("aria-current", "step")


async def test_an_agent_moves_a_complaint_through_its_steps(
    service: ServiceProcess, page_as: Any, signed_sms: Any, agent: StaffUser, shot: Any
) -> None:
    page = await page_as("agent")
    await complaint_ticket(page, service, signed_sms, agent, "The kettle stopped heating 5521")
    steps = page.locator(".case-steps li")
    await expect(steps).to_have_count(7)
    await expect(page.locator(".case-steps li[aria-current=step]")).to_have_attribute(
        "data-step", "acknowledged"
    )
    await expect(page.locator(".case-source")).to_contain_text("Marked as a complaint by an agent")
    await expect(page.locator(".countdowns .left").first).to_contain_text("due in")
    # Waiting on the customer pauses the clocks, and the countdown says what is left.
    await page.select_option("select[name=status]", "pending")
    await expect(page.locator(".countdowns .left").first).to_contain_text(
        re.compile(r"paused, .+ left")
    )
    await page.select_option("select[name=status]", "open")
    await expect(page.locator(".countdowns .left").first).to_contain_text("due in")
    await expect(page.locator("#case-panel")).to_contain_text("To leave this step: Owner, Category")

    # Without a category the move is refused beside the category, in the server's words.
    await page.click("#case-form button[data-move=triaged]")
    error = page.locator("#case-error-category")
    await expect(error).to_be_visible()
    await expect(error).to_have_text("To leave Acknowledged, choose a category.")
    await expect(error).to_have_attribute("role", "alert")
    await expect(page.locator("#case-field-category")).to_be_focused()
    await shot(page, "refused")

    await page.select_option("#case-field-category", index=1)
    await expect(error).to_be_hidden()
    await move(page, "triaged")

    # What was typed survives a refusal and a live re-read.
    await page.click("#case-form button[data-move=investigating]")
    await expect(page.locator("#case-error-facts")).to_contain_text("write down the facts")
    await page.fill("#case-field-facts", "The kettle stopped heating after two days.")
    await page.evaluate("document.activeElement.blur()")
    await move(page, "investigating")
    await page.fill("#case-field-resolution", "A new kettle was sent by courier.")
    await move(page, "resolved")
    await page.fill("#case-field-callback_outcome", "The customer confirmed it works.")
    await move(page, "callback_done")
    await page.select_option("#case-field-root_cause", index=1)
    await move(page, "closed")
    await expect(page.locator("#case-panel")).to_contain_text("Case closed")

    await page.click(".case-history summary")
    history = page.locator(".case-history ol li")
    for title in (
        "Acknowledged",
        "Triaged",
        "Investigating",
        "Resolved",
        "Customer called back",
        "Closed",
    ):
        await expect(history.filter(has_text=title).first).to_be_visible()
    await page.click(".clock-log summary")
    await expect(page.locator(".clock-log")).to_contain_text("started")
    await shot(page, "closed")
    await assert_accessible(page)
    assert_no_page_problems(page, allow=REFUSED)


async def test_the_complaint_panel_in_chinese_is_accessible(
    service: ServiceProcess, page_as: Any, signed_sms: Any, shot: Any
) -> None:
    page = await page_as("second_agent", locale="zh-CN")
    # Complaint words start the case through the classifier, which says what it matched.
    await sms_ticket(page, service, signed_sms, "我要投诉 快递丢失 6612")
    await expect(page.locator("#case-panel")).to_be_visible()
    source = page.locator(".case-source")
    await expect(source).to_contain_text("识别为投诉")
    await expect(source).to_contain_text(re.compile(r"置信度 \d+% — 匹配：.*投诉"))
    await expect(source.locator("#case-undo")).to_have_text("不是投诉")
    await expect(page.locator(".case-steps li[aria-current=step]")).to_contain_text("已致谢")
    await expect(page.locator(".countdowns .left").first).to_contain_text("后到期")
    await page.click("#case-form button[data-move=triaged]")
    await expect(page.locator("#case-error-owner, #case-error-category").first).to_be_visible()
    await shot(page, "zh")
    await assert_accessible(page)

    # "Not a complaint" undoes the classifier: the case is withdrawn, the ticket stays.
    await page.click("#case-undo")
    await expect(page.locator(".control-status")).to_have_text("不是投诉：投诉案件已撤销。")
    await expect(page.locator("#case-undo")).to_have_count(0)
    await expect(page.locator("select[name=kind]")).to_have_value("inquiry")
    # The withdrawn case's step clock keeps its step's title, in the reader's language.
    step_clocks = page.locator(".clock-list tbody tr", has_text="已致谢")
    await expect(step_clocks.first).to_contain_text("已取消")
    await shot(page, "zh-undone")
    assert_no_page_problems(page, allow=REFUSED)


async def test_a_supervisor_sees_a_breached_deadline_escalated(
    service: ServiceProcess,
    page_as: Any,
    signed_sms: Any,
    agent: StaffUser,
    pool: asyncpg.Pool[Any],
    shot: Any,
) -> None:
    page = await page_as("agent")
    ticket_id = await complaint_ticket(
        page, service, signed_sms, agent, "Charged twice for one order 7702"
    )
    board = await page_as("supervisor")
    await board.goto("/supervisor")
    await expect(board.locator("#deadlines-board")).to_be_visible()
    # The deadline scan, run just past the first warning of the ticket's clocks: the owner, on
    # the ticket, gets a notice linking to it, and the clock is marked at risk.
    clocks = (await api(page, "GET", f"/api/v1/tickets/{ticket_id}/clocks"))["json"]["clocks"]
    first = min(datetime.fromisoformat(c["warn_at"]) for c in clocks if c["warn_at"])
    await scan_deadlines(pool, now=first + timedelta(seconds=1))
    warned = page.locator(".deadline-notice.warned").first
    await expect(warned).to_contain_text(re.compile(r"Ticket #\d+: .+ due in "))
    await expect(warned.locator("a")).to_have_attribute("href", f"/tickets/{ticket_id}")
    await expect(page.locator(".clock-list .badge").first).to_have_text("At risk")
    await shot(page, "warned")
    # Run again as if a week had passed: every deadline of the ticket is overdue, escalated.
    # The burst of events is one read of the lists on the board, shared with its notices.
    reads: list[str] = []
    board.on("request", lambda r: reads.append(r.url) if "/api/v1/deadlines" in r.url else None)
    await scan_deadlines(pool, now=utc_now() + timedelta(days=7))
    await expect(page.locator(".deadline-notice.breached").first).to_contain_text("escalated")
    await expect(page.locator(".clock-list .badge.danger").first).to_have_text("Breached")
    await expect(board.locator("#deadlines-board tbody tr.breached").first).to_be_visible()
    show_all = board.locator("#deadlines-board .more button")
    if await show_all.is_visible():
        await show_all.click()
    row = board.locator(f"#deadlines-board tr:has(a[href='/tickets/{ticket_id}'])").first
    await expect(row).to_contain_text("Escalated")
    await expect(row).to_contain_text("overdue by")
    await expect(row).to_contain_text(agent.name)
    await expect(board.locator(".deadline-notice.breached").first).to_be_visible()
    await board.wait_for_timeout(1500)
    assert len(reads) <= 4, reads  # breached and warned, once or twice; not per event
    await shot(board, "supervisor")
    await assert_accessible(board)
    assert_no_page_problems(board)

    await shot(page, "owner")
    await page.goto("/")
    await expect(page.locator("#my-deadlines")).to_contain_text("Escalated")
    await assert_accessible(page)
    assert_no_page_problems(page)
