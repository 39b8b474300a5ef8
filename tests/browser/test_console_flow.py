"""The console as an agent lives it, end to end in a real browser: sign in through the form,
an SMS arriving in the open inbox, the ticket, the reply reaching Twilio, a note, resolving and
the count following live; the same across two web processes; the admin pages closed to agents;
the keyboard; a dropped connection catching up; tablet width.

What the other browser modules prove on their own (filters, drafts, undo, collisions, hostile
mail, customers) is not repeated here."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from playwright.async_api import Browser, Page, expect

from tests.browser.browsing import (
    StaffUser,
    api,
    assert_accessible,
    assert_no_page_problems,
    sign_in,
    watch,
)
from tests.browser.services import ServiceProcess, wait_for
from tests.builders import unique_phone
from tests.standins.twilio_api import TwilioStandIn

# A remote image blocked by the mail frame's policy is what the frame is for; an offline
# page's refused stream is what the offline test is about.
ALLOWED = (r"Refused to load the image", r"Content Security Policy")
TABLET = {"width": 768, "height": 1024}


@pytest.fixture(scope="module")
def service_env() -> dict[str, str]:
    return {"ACKNOWLEDGE": "false", "REPLY_UNDO_SECONDS": "0"}


async def mark(page: Page) -> None:
    """Leave a marker on `window`: it survives only as long as no navigation or reload."""
    await page.evaluate("window.__noReload = 'still here'")


async def assert_not_reloaded(page: Page) -> None:
    assert await page.evaluate("window.__noReload") == "still here", "the page was reloaded"


async def live(page: Page) -> None:
    await expect(page.locator("#live-status")).to_have_attribute("data-state", "live")


async def count(page: Page, view: str = "open") -> int:
    return int(await page.locator(f'[data-count="{view}"]').inner_text())


async def ticket_of(page: Page, subject: str) -> str:
    """The id of the ticket with this subject, through the API as the page's user."""

    async def found() -> list[Any]:
        word = subject.split()[-1]
        tickets = (await api(page, "GET", f"/api/v1/tickets?q={word}"))["json"]["tickets"]
        return [t for t in tickets if t["subject"] == subject]

    tickets = await wait_for(found, within=15)
    ticket_id: str = tickets[0]["id"]
    return ticket_id


async def sign_in_by_form(page: Page, user: StaffUser) -> None:
    await page.goto("/")
    await page.wait_for_url("**/login**")  # signed out: the console sends you to sign in
    await page.get_by_label("Email").fill(user.email)
    await page.get_by_label("Password").fill(user.password)
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_url(lambda url: "/login" not in url)
    await expect(page.locator("header.top .me")).to_contain_text(user.name)


async def test_a_new_agent_signs_in_answers_an_sms_notes_and_resolves_it(
    service: ServiceProcess,
    new_page: Any,
    agent: StaffUser,
    signed_sms: Any,
    twilio: TwilioStandIn,
    shot: Any,
) -> None:
    page = await new_page()
    await sign_in_by_form(page, agent)
    await page.goto("/")
    await live(page)
    await mark(page)
    before = await count(page)
    sender, text = unique_phone(), "My heater stopped working 6120"
    assert (await signed_sms(service, sender, text)).status == 200
    row = page.locator("#inbox-rows tr", has_text=text)
    await expect(row).to_be_visible()
    await expect(page.locator('[data-count="open"]')).to_have_text(str(before + 1))
    await assert_not_reloaded(page)
    await shot(page, "inbox")

    await row.get_by_role("link").click()
    await page.wait_for_url("**/tickets/*")
    ticket_id = page.url.rsplit("/", 1)[-1]
    await expect(page.locator("#timeline")).to_contain_text(text)
    await expect(page.locator("#info-card")).to_contain_text(sender)

    # A second tab keeps the inbox open, to see its count follow the status change.
    inbox = await page.context.new_page()
    watch(inbox)
    await inbox.goto("/")
    await live(inbox)
    await mark(inbox)
    open_now = await count(inbox)

    await page.fill("#reply-text", "A technician comes tomorrow.")
    await page.click("#send-button")
    sent = await wait_for(lambda: [f for f in twilio.sent() if f.get("To") == sender], within=15)
    assert sent[0]["Body"] == "A technician comes tomorrow."
    await expect(page.locator("#timeline .msg-outbound")).to_contain_text("A technician comes")

    await page.check("#composer input[value=note]")
    await page.fill("#reply-text", "Booked slot 9-12.")
    await page.click("#send-button")
    await expect(page.locator("#timeline .note")).to_contain_text("Booked slot 9-12.")

    await page.select_option("select[name=status]", "resolved")
    await expect(page.locator(".control-status")).to_have_text("Saved.")
    await expect(page.locator("#timeline .event").last).to_contain_text("Resolved")
    await shot(page, "ticket-resolved")

    await expect(inbox.locator('[data-count="open"]')).to_have_text(str(open_now - 1))
    await expect(inbox.locator(f'#inbox-rows tr[data-id="{ticket_id}"]')).to_have_count(0)
    await assert_not_reloaded(inbox)
    await shot(inbox, "inbox-after-resolve")
    assert (await api(page, "GET", f"/api/v1/tickets/{ticket_id}"))["json"]["status"] == (
        "resolved"
    )
    assert_no_page_problems(page, allow=ALLOWED)
    assert_no_page_problems(inbox)


async def test_events_raised_through_one_web_process_reach_a_browser_on_the_other(
    two_services: tuple[ServiceProcess, ServiceProcess],
    page_as: Any,
    signed_sms: Any,
    shot: Any,
) -> None:
    first, second = two_services
    sender, text = unique_phone(), "Meter reading wrong 5581"
    assert (await signed_sms(first, sender, text)).status == 200
    on_first = await page_as("agent", on=first)
    ticket_id = await ticket_of(on_first, text)
    await on_first.goto(f"/tickets/{ticket_id}")
    await live(on_first)
    await mark(on_first)
    inbox = await on_first.context.new_page()
    watch(inbox)
    await inbox.goto("/")
    await live(inbox)
    await mark(inbox)

    other_text = "Through the second process 5582"
    assert (await signed_sms(second, unique_phone(), other_text)).status == 200
    await expect(inbox.locator("#inbox-rows tr", has_text=other_text)).to_be_visible()

    on_second = await page_as("second_agent", on=second)
    note = await api(on_second, "POST", f"/api/v1/tickets/{ticket_id}/notes", {"text": "Via B"})
    assert note["status"] == 201, note["text"]
    await expect(on_first.locator("#timeline .note")).to_contain_text("Via B")
    assert (await signed_sms(second, sender, "Reading is 4411 5581")).status == 200
    await expect(on_first.locator("#timeline")).to_contain_text("Reading is 4411")

    await assert_not_reloaded(on_first)
    await assert_not_reloaded(inbox)
    await shot(on_first, "ticket-on-first")
    await shot(inbox, "inbox-on-first")
    assert_no_page_problems(on_first, allow=ALLOWED)
    assert_no_page_problems(inbox)


async def test_an_agent_cannot_open_an_admin_page_and_an_admin_can(
    page_as: Any, agent: StaffUser, shot: Any
) -> None:
    page = await page_as("agent")
    await page.goto("/")
    nav = page.get_by_role("navigation", name="Main")
    await expect(nav.get_by_role("link", name="Customers")).to_be_visible()
    await expect(nav.locator('a[href^="/admin"]')).to_have_count(0)
    answer = await page.goto("/admin/users")
    assert answer is not None and answer.status == 403
    await expect(page.locator("main")).not_to_contain_text("Create")
    await expect(page.locator("table")).to_have_count(0)
    await shot(page, "agent-403")
    await assert_accessible(page)

    admin = await page_as("admin")
    await admin.goto("/")
    await admin.get_by_role("navigation", name="Main").locator('a[href="/admin/users"]').click()
    await admin.wait_for_url("**/admin/users")
    await expect(admin.locator("main h1")).to_be_visible()
    await expect(admin.locator("main")).to_contain_text(agent.email)
    await shot(admin, "admin-users")
    assert_no_page_problems(admin)
    assert_no_page_problems(page, allow=("403",))


async def test_the_keyboard_help_sheet_and_go_to_inbox(
    service: ServiceProcess, page_as: Any, signed_sms: Any, shot: Any
) -> None:
    page = await page_as("agent")
    text = "Keyboard check 7713"
    assert (await signed_sms(service, unique_phone(), text)).status == 200
    ticket_id = await ticket_of(page, text)
    await page.goto(f"/tickets/{ticket_id}")
    await live(page)
    help_sheet = page.locator("#shortcut-help")
    await expect(help_sheet).to_be_hidden()

    await page.keyboard.press("?")
    await expect(help_sheet).to_be_visible()
    await expect(help_sheet.locator("#page-shortcuts")).to_contain_text("Write a reply")
    await expect(help_sheet.locator("#page-shortcuts")).to_contain_text("Change status")
    await expect(help_sheet).to_contain_text("Go to the inbox")
    await shot(page, "help-sheet")
    await assert_accessible(page)
    await page.keyboard.press("Escape")
    await expect(help_sheet).to_be_hidden()

    await page.keyboard.press("r")  # the page's shortcut puts the cursor in the reply box
    await expect(page.locator("#reply-text")).to_be_focused()
    await page.keyboard.type("Is it ok? Yes")
    await expect(page.locator("#reply-text")).to_have_value("Is it ok? Yes")
    await expect(help_sheet).to_be_hidden()

    await page.keyboard.press("Escape")  # leaves the text field
    await expect(page.locator("#reply-text")).not_to_be_focused()
    await page.keyboard.press("g")
    await page.keyboard.press("i")
    await page.wait_for_url(service.url + "/")
    await expect(page.locator("#inbox-rows")).to_be_visible()
    assert_no_page_problems(page, allow=ALLOWED)


class CuttableProxy:
    """An HTTP proxy in front of one service whose connections the test can cut, as a flaky
    network or a restarting load balancer does: `cut()` drops every open connection (the live
    stream's included) and refuses new ones until `restore()`."""

    def __init__(self, target: ServiceProcess) -> None:
        self.target = target
        self.refusing = False
        self.writers: set[asyncio.StreamWriter] = set()
        self.server: asyncio.Server | None = None

    async def start(self) -> str:
        self.server = await asyncio.start_server(self.accept, "127.0.0.1", 0)
        port = self.server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    async def accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.refusing:
            writer.close()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target.port)
        except OSError:
            writer.close()
            return
        self.writers |= {writer, up_writer}
        # Chromium sends proxies absolute-form request targets; aiohttp accepts them as is.
        await asyncio.gather(self.pipe(reader, up_writer), self.pipe(up_reader, writer))

    async def pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            self.writers.discard(writer)
            writer.close()

    def cut(self) -> None:
        self.refusing = True
        for writer in list(self.writers):
            writer.transport.abort()
        self.writers.clear()

    def restore(self) -> None:
        self.refusing = False

    async def stop(self) -> None:
        self.cut()
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()


async def test_a_dropped_connection_catches_up_without_reload(
    service: ServiceProcess,
    browser: Browser,
    agent: StaffUser,
    signed_sms: Any,
    shot: Any,
) -> None:
    """The browser reaches the service through a proxy that cuts the live stream's TCP
    connection and refuses new ones for a while; an SMS arrives meanwhile. The page says it is
    reconnecting, then EventSource reconnects with Last-Event-ID and shows exactly the missed
    message, without reload."""
    proxy = CuttableProxy(service)
    proxy_url = await proxy.start()
    context = await browser.new_context(
        base_url=service.url,
        viewport={"width": 1280, "height": 800},
        timezone_id="UTC",
        proxy={"server": proxy_url, "bypass": "<-loopback>"},
    )
    try:
        context.set_default_timeout(10_000)
        page = await context.new_page()
        watch(page)
        await sign_in(page, agent)
        # The inbox: its stream has carried no event yet when the line drops, so only the
        # id of the stream's greeting lets EventSource resume from the right place.
        await page.goto("/")
        await live(page)
        await mark(page)
        assert proxy.writers, "the browser does not go through the proxy"
        proxy.cut()
        await expect(page.locator("#live-status")).to_have_attribute("data-state", "reconnecting")
        await expect(page.locator("#live-status")).to_contain_text("out of date")
        await shot(page, "inbox-cut")
        sender, text = unique_phone(), "Offline check 8840"
        assert (await signed_sms(service, sender, text)).status == 200
        proxy.restore()
        await live(page)
        await expect(page.locator("#inbox-rows tr", has_text=text)).to_have_count(1)
        await assert_not_reloaded(page)

        # The ticket page: a message to the open ticket while the line is down.
        ticket_id = await ticket_of(page, text)
        await page.goto(f"/tickets/{ticket_id}")
        await live(page)
        await mark(page)
        proxy.cut()
        await expect(page.locator("#live-status")).to_have_attribute("data-state", "reconnecting")
        await shot(page, "ticket-cut")
        missed = "Sent while the line was down 8840"
        assert (await signed_sms(service, sender, missed)).status == 200
        await page.wait_for_timeout(500)
        await expect(page.locator("#timeline")).not_to_contain_text(missed)
        proxy.restore()

        await live(page)
        await expect(page.locator("#timeline .msg", has_text=missed)).to_have_count(1)
        await expect(page.locator("#timeline .msg", has_text=text)).to_have_count(1)
        await assert_not_reloaded(page)
        await shot(page, "ticket-back")
        # While cut, the browser reports the stream's and the page's failed requests.
        assert_no_page_problems(page, allow=(*ALLOWED, "ERR_", "Failed to load resource"))
    finally:
        await context.close()
        await proxy.stop()


async def test_inbox_and_ticket_fit_a_tablet(
    service: ServiceProcess, page_as: Any, signed_sms: Any, shot: Any
) -> None:
    page = await page_as("agent", viewport=TABLET)
    text = "Tablet width check with a rather long subject line 3391"
    assert (await signed_sms(service, unique_phone(), text)).status == 200
    ticket_id = await ticket_of(page, text)
    for path, name in (("/", "inbox"), (f"/tickets/{ticket_id}", "ticket")):
        await page.goto(path)
        await live(page)
        overflow = await page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        wide = await page.evaluate(
            "[...document.querySelectorAll('body *')].filter(n => n.getBoundingClientRect().right"
            " > innerWidth).map(n => n.tagName + '.' + n.className + '#' + n.id + ' '"
            " + Math.round(n.getBoundingClientRect().right)).slice(0, 12)"
        )
        assert overflow[0] <= overflow[1], f"{path} scrolls sideways at 768 px: {overflow} {wide}"
        await shot(page, f"tablet-{name}")
        await assert_accessible(page)
    assert_no_page_problems(page, allow=ALLOWED)
