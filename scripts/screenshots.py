"""The README's screenshots of the console: the inbox, an email ticket, a customer's info card,
an incoming offer, the supervisor's queues view, a complaint on its ticket page, the
supervisor's deadlines, an account manager's week of visits and a day's route, in English and
in Simplified Chinese, saved as PNGs under docs/screenshots/.

    .venv/bin/python scripts/screenshots.py                 # own service, demo data, fresh DB
    .venv/bin/python scripts/screenshots.py --url http://localhost:8080   # a running scripts/serve

Without --url it starts `contact-center serve --demo` on the embedded PostgreSQL in a temporary
folder and stops it afterwards. Needs a Chromium (the Debian package, or CHROMIUM=path).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import smtplib
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from playwright.async_api import Browser, Page, async_playwright

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
AGENT = "agent1@example.com"
SUPERVISOR = "supervisor@example.com"
MANAGER = "manager1@example.com"  # an account manager with key accounts and planned visits
NEXT_WEEK = {"en": "Next week", "zh": "下一周"}
# Who goes available to be offered work, one per language (each gets their own offer).
OFFERED = {"en": "agent2@example.com", "zh": "agent3@example.com"}
PASSWORD = "demo-password"  # contact_center/demo.py DEMO_PASSWORD
VIEWPORT = {"width": 1280, "height": 800}
LOCALES = {"en": "en-US", "zh": "zh-CN"}
START_TIMEOUT = 180.0  # the first start initialises the embedded database


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/healthz", timeout=2) as answer:
            return bool(answer.status == 200)
    except OSError:
        return False


@contextmanager
def demo_service() -> Iterator[tuple[str, int]]:
    """`contact-center serve --demo` on a fresh embedded database: its URL, its inbound SMTP
    port."""
    with tempfile.TemporaryDirectory(prefix="cc-shots-") as folder:
        port, smtp_port = free_port(), free_port()
        keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")
        env = {name: os.environ[name] for name in keep if name in os.environ}
        env.update(
            {
                "DATA_DIR": str(Path(folder) / "data"),
                "PUBLIC_URL": f"http://127.0.0.1:{port}",
                "INBOUND_SMTP_PORT": str(smtp_port),
                "REPLY_UNDO_SECONDS": "0",
                "ACKNOWLEDGE": "false",
            }
        )
        log = (Path(folder) / "service.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "contact_center", "serve", "--demo", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + START_TIMEOUT
            while not healthy(url):
                if process.poll() is not None or time.monotonic() > deadline:
                    log.close()
                    tail = (Path(folder) / "service.log").read_text("utf-8", "replace")[-3000:]
                    raise SystemExit(f"the demo service did not start:\n{tail}")
                time.sleep(0.5)
            yield url, smtp_port
        finally:
            process.terminate()
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()


async def sign_in(page: Page, email: str) -> None:
    await page.goto("/login")
    await page.fill("input[type=email], input[name=email]", email)
    await page.fill("input[type=password]", PASSWORD)
    await page.click("form:has(input[type=password]) button[type=submit]")
    await page.wait_for_url(lambda url: "/login" not in url)


async def api_get(page: Page, path: str) -> Any:
    return await page.evaluate(
        "async (p) => (await fetch(p, {credentials: 'same-origin'})).json()", path
    )


async def api_post(page: Page, path: str, body: dict[str, Any]) -> Any:
    return (await api_write(page, "POST", path, body))["status"]


async def api_write(page: Page, method: str, path: str, body: dict[str, Any]) -> Any:
    """A write as the signed-in user: the answer's status and JSON body."""
    return await page.evaluate(
        """async ([method, p, body]) => {
            const token = document.querySelector('meta[name="csrf-token"]').content;
            const answer = await fetch(p, {method, credentials: "same-origin",
                headers: {"Content-Type": "application/json", "X-CSRF-Token": token},
                body: JSON.stringify(body)});
            const text = await answer.text();
            return {status: answer.status, json: text ? JSON.parse(text) : null};
        }""",
        [method, path, body],
    )


async def pick_ticket(page: Page) -> dict[str, Any]:
    """An open email ticket, the one with the most messages among the newest 30."""
    listed = await api_get(page, "/api/v1/tickets?channel=email&status=new&limit=30")
    best: dict[str, Any] = {}
    most = -1
    for ticket in listed["tickets"]:
        detail = await api_get(page, f"/api/v1/tickets/{ticket['id']}")
        messages = len(detail.get("messages", []))
        if messages > most and ticket.get("customer_id"):
            best, most = ticket, messages
    if not best:
        raise SystemExit("no open email ticket in the demo data")
    return best


async def make_complaint(page: Page, exclude: str) -> dict[str, Any]:
    """An open SMS ticket (not `exclude`) taken by the agent and marked as a complaint, moved on
    to Triaged with a category: the complaint the README shows."""
    listed = await api_get(page, "/api/v1/tickets?channel=sms&status=new,open&limit=30")
    ticket: dict[str, Any] | None = next((t for t in listed["tickets"] if t["id"] != exclude), None)
    if ticket is None:
        raise SystemExit("no open SMS ticket in the demo data")
    me = (await api_get(page, "/api/v1/me"))["user"]
    base = f"/api/v1/tickets/{ticket['id']}"
    await page.goto(f"/tickets/{ticket['id']}")
    done = await api_write(page, "PATCH", base, {"assignee_id": me["id"], "kind": "complaint"})
    assert done["status"] == 200, done
    case = await api_get(page, base + "/case")
    category = case["labels"]["category"][0]["key"]
    moved = await api_write(
        page, "POST", base + "/case/moves", {"to": "triaged", "fields": {"category": category}}
    )
    assert moved["status"] == 200, moved
    return ticket


async def complaint(browser: Browser, url: str, language: str, ticket: dict[str, Any]) -> Path:
    """The complaint on its ticket page: steps, countdowns, what the next step needs, clocks;
    the facts half typed."""
    page = await signed_in(browser, url, language, AGENT)
    await page.goto(f"/tickets/{ticket['id']}")
    await settle(page)
    await page.locator("#case-panel:not([hidden])").wait_for(timeout=10_000)
    facts = {
        "en": "Delivered two days late; the box was damaged.",
        "zh": "晚到两天，包装破损。",
    }[language]
    await page.fill("#case-field-facts", facts)
    await page.evaluate("document.activeElement.blur()")
    return await shot(page, "complaint", language, "#main")


async def deadlines(browser: Browser, url: str, language: str) -> Path:
    """The supervisor's deadlines: escalated first, then at risk."""
    page = await signed_in(browser, url, language, SUPERVISOR)
    await page.goto("/supervisor")
    await settle(page)
    return await shot(page, "deadlines", language, "#deadlines-board")


def mail_from_customer(smtp_port: int, sender: str, subject: str, text: str) -> None:
    mail = EmailMessage()
    mail["From"], mail["To"] = sender, "support@example.com"
    mail["Subject"] = subject
    mail.set_content(text)
    with smtplib.SMTP("127.0.0.1", smtp_port, timeout=10) as relay:
        relay.send_message(mail)


async def converse(page: Page, ticket: dict[str, Any], smtp_port: int) -> None:
    """On our own demo service only: an agent's reply, the customer's answer by mail and an
    internal note, so that the ticket shows a conversation."""
    base = f"/api/v1/tickets/{ticket['id']}"
    await page.goto(f"/tickets/{ticket['id']}")
    reply = "Thanks for writing. Could you send us the order number, please?"
    assert await api_post(page, base + "/replies", {"channel": "email", "text": reply}) == 201
    detail = await api_get(page, base)
    sender = detail["messages"][0]["from_address"]
    subject = f"Re: {ticket['subject']} [#{ticket['number']}]"
    mail_from_customer(smtp_port, sender, subject, "Of course: it is 58-2231. Thank you!")
    for _ in range(100):  # intake runs in the service: wait for the mail to arrive
        if len((await api_get(page, base))["messages"]) >= 3:
            break
        await page.wait_for_timeout(100)
    note = "Order 58-2231 left the warehouse on Monday; asked the carrier for the tracking."
    assert await api_post(page, base + "/notes", {"text": note}) == 201


async def settle(page: Page) -> None:
    """Wait until the live stream is up and the page's scripts have filled it in."""
    status = page.locator("#live-status")
    if await status.count():
        await status.and_(page.locator('[data-state="live"]')).wait_for(timeout=10_000)
    await page.wait_for_timeout(400)


async def take(
    browser: Browser, url: str, language: str, ticket: dict[str, Any], case: dict[str, Any]
) -> list[Path]:
    page = await signed_in(browser, url, language, AGENT)
    saved = []
    for name, path in (
        ("inbox", "/?view=open"),
        ("ticket", f"/tickets/{ticket['id']}"),
        ("customer", f"/customers/{ticket['customer_id']}"),
    ):
        await page.goto(path)
        await settle(page)
        target = OUT / f"{name}-{language}.png"
        await page.screenshot(path=str(target))
        saved.append(target)
    await page.context.close()
    return [
        *saved,
        await offer(browser, url, language),
        await board(browser, url, language),
        await complaint(browser, url, language, case),
        await deadlines(browser, url, language),
        *await visits(browser, url, language),
    ]


async def visits(browser: Browser, url: str, language: str) -> list[Path]:
    """An account manager's week of visits, then the route of the busiest day of that week."""
    page = await signed_in(browser, url, language, MANAGER)
    await page.goto("/visits")
    await settle(page)
    if await page.locator("#visits-grid .vcard-planned").count() < 5:
        # Late in the week most of it is done: the next week shows the plan.
        await page.get_by_role("link", name=NEXT_WEEK[language]).click()
        await settle(page)
    await page.locator("#visits-grid .vcard").first.wait_for(timeout=10_000)
    week = OUT / f"visits-week-{language}.png"
    await page.locator("#main").screenshot(path=str(week))
    busiest = await page.evaluate(
        """() => [...document.querySelectorAll('.vday')]
            .map((d) => [d.querySelectorAll('.vcard-planned').length, d.dataset.date])
            .sort((a, b) => b[0] - a[0])[0][1]"""
    )
    await page.goto(f"/visits/day?day={busiest}")
    await settle(page)
    await page.locator("#route-stops li").first.wait_for(timeout=10_000)
    return [week, await shot(page, "visit-route", language, "#main")]


async def signed_in(browser: Browser, url: str, language: str, email: str) -> Page:
    context = await browser.new_context(
        base_url=url,
        locale=LOCALES[language],
        viewport=VIEWPORT,  # type: ignore[arg-type]
        timezone_id="Asia/Shanghai" if language == "zh" else "UTC",
    )
    page = await context.new_page()
    await sign_in(page, email)
    return page


async def shot(page: Page, name: str, language: str, selector: str | None = None) -> Path:
    """The page (or the element `selector` finds) saved as docs/screenshots/<name>-<language>.png;
    the page's context closes."""
    target = OUT / f"{name}-{language}.png"
    await (page.locator(selector) if selector else page).screenshot(path=str(target))
    await page.context.close()
    return target


async def offer(browser: Browser, url: str, language: str) -> Path:
    """An agent goes available and is offered the first work in line (the demo's tickets
    wait in their queues); the card as it counts down. The agent stays available, so the
    supervisor's view that follows shows offered work."""
    page = await signed_in(browser, url, language, OFFERED[language])
    await page.goto("/")
    await settle(page)
    put = await api_write(page, "PUT", "/api/v1/me/presence", {"presence": "available"})
    assert put["status"] == 200, put
    await page.locator("#offer:not([hidden])").wait_for(timeout=20_000)
    await page.wait_for_timeout(1500)
    return await shot(page, "offer", language)


async def board(browser: Browser, url: str, language: str) -> Path:
    page = await signed_in(browser, url, language, SUPERVISOR)
    await page.goto("/supervisor")
    await settle(page)
    return await shot(page, "supervisor", language)


async def main(url: str | None) -> None:
    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not chromium:
        raise SystemExit("no Chromium: apt-get install -y chromium, or set CHROMIUM")
    OUT.mkdir(parents=True, exist_ok=True)
    with demo_service() if url is None else _given(url) as (base, smtp_port):
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(
                executable_path=chromium, headless=True, args=["--no-sandbox"]
            )
            context = await browser.new_context(base_url=base)
            page = await context.new_page()
            await sign_in(page, AGENT)
            ticket = await pick_ticket(page)
            if smtp_port:
                await converse(page, ticket, smtp_port)
            case = await make_complaint(page, ticket["id"])
            await context.close()
            for language in LOCALES:
                for path in await take(browser, base, language, ticket, case):
                    print(f"{path.relative_to(ROOT)} ({path.stat().st_size // 1024} KiB)")
            await browser.close()


@contextmanager
def _given(url: str) -> Iterator[tuple[str, int]]:
    """A running service: used as it is (no smtp port: nothing is added to its tickets)."""
    if not healthy(url):
        raise SystemExit(f"nothing answers at {url}/healthz")
    yield url.rstrip("/"), 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running service (scripts/serve) instead of a new one")
    asyncio.run(main(parser.parse_args().url))
