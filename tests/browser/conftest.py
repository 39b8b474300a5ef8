"""Fixtures for browser tests: real service processes on the module's committed database, the
stand-ins they send to, seeded staff, one headless Chromium per run and signed-in pages.

    async def test_x(service, page_as, shot, signed_sms):
        page = await page_as("agent")            # signed in, watched, on `service`
        await signed_sms(service, "+12025550143", "Hello")
        await page.goto("/")
        await shot(page, "inbox")                # tests/artifacts/test_x-inbox.png
        await assert_accessible(page)
        assert_no_page_problems(page)

Every process is stopped after its module; a failed test's report carries the processes'
log tails.
"""

from __future__ import annotations

import secrets
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest
import pytest_asyncio
from playwright.async_api import Browser, BrowserContext, Page, async_playwright

from contact_center import users
from tests.browser import browsing
from tests.browser.browsing import StaffUser, save_shot, sign_in, watch
from tests.browser.services import RUNNING, ServiceProcess, start_service
from tests.browser.services import signed_sms as post_signed_sms
from tests.builders import PASSWORD, TEST_ACTOR, TEST_PASSWORDS
from tests.standins.smtp import SmtpCapture, running_smtp
from tests.standins.twilio_api import TwilioStandIn, running_twilio

STAFF = {
    "agent": ("agent", "Avery Lin"),
    "second_agent": ("agent", "Jordan Park"),
    "supervisor": ("supervisor", "Morgan Reyes"),
    "admin": ("admin", "Casey Holt"),
}
VIEWPORT = {"width": 1280, "height": 800}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Every browser test commits to its module's database, through real processes.
    for item in items:
        if "tests/browser/" in item.nodeid:
            item.add_marker(pytest.mark.commits)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.failed and RUNNING:
        for service in RUNNING:
            report.sections.append((f"log of {service.name} ({service.url})", service.log_tail()))
    return report


# ---------------------------------------------------------------- stand-ins and processes


@pytest_asyncio.fixture(scope="module")
async def twilio() -> AsyncIterator[TwilioStandIn]:
    """Twilio's REST API as the services see it; `twilio.sent()` lists the forms posted."""
    async with running_twilio() as standin:
        yield standin


@pytest_asyncio.fixture(scope="module")
async def smtp() -> AsyncIterator[SmtpCapture]:
    """The services' outbound mail relay; `smtp.messages` holds what they sent."""
    async with running_smtp() as capture:
        yield capture


@pytest.fixture(scope="module")
def service_folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="cc-browser-") as folder:
        yield Path(folder)


@pytest.fixture(scope="module")
def service_env() -> dict[str, str]:
    """Extra environment for the module's processes; override it in a test module, e.g.
    `{"ACKNOWLEDGE": "false"}` or `{"SITE_TIMEZONE": "Asia/Shanghai"}`."""
    return {}


@pytest_asyncio.fixture(scope="module")
async def service(
    database_dsn: str,
    twilio: TwilioStandIn,
    smtp: SmtpCapture,
    service_folder: Path,
    service_env: dict[str, str],
) -> AsyncIterator[ServiceProcess]:
    """`contact-center serve` (web, job worker, inbound SMTP) on the module's database."""
    process = await start_service(
        "service",
        "serve",
        folder=service_folder,
        database_url=database_dsn,
        twilio_base=twilio.base_url,
        smtp_port=smtp.port,
        extra_env=service_env,
    )
    yield process
    process.stop()


@pytest_asyncio.fixture(scope="module")
async def two_services(
    service: ServiceProcess,
    database_dsn: str,
    twilio: TwilioStandIn,
    smtp: SmtpCapture,
    service_folder: Path,
    service_env: dict[str, str],
) -> AsyncIterator[tuple[ServiceProcess, ServiceProcess]]:
    """`service` and a second web process (`contact-center web`) on another port, same
    database. Cookies do not depend on the port, so a browser signed in on one is signed in
    on the other; writes must come from pages of the process they go to (Origin check)."""
    second = await start_service(
        "second_web",
        "web",
        folder=service_folder,
        database_url=database_dsn,
        twilio_base=twilio.base_url,
        smtp_port=smtp.port,
        extra_env=service_env,
    )
    yield service, second
    second.stop()


# ---------------------------------------------------------------- staff


@pytest_asyncio.fixture(scope="module")
async def staff(pool: asyncpg.Pool[Any]) -> dict[str, StaffUser]:
    """An agent, a second agent, a supervisor and an admin, made through the users service."""
    made = {}
    suffix = secrets.token_hex(3)
    for key, (role, name) in STAFF.items():
        email = f"{key.replace('_', '.')}.{suffix}@example.com"
        user = await users.create_user(
            pool,
            TEST_ACTOR,
            email=email,
            role=role,
            password=PASSWORD,
            name=name,
            passwords=TEST_PASSWORDS,
        )
        made[key] = StaffUser(key, email, PASSWORD, role, name, str(user.id))
    return made


@pytest.fixture(scope="module")
def agent(staff: dict[str, StaffUser]) -> StaffUser:
    return staff["agent"]


@pytest.fixture(scope="module")
def second_agent(staff: dict[str, StaffUser]) -> StaffUser:
    return staff["second_agent"]


@pytest.fixture(scope="module")
def supervisor(staff: dict[str, StaffUser]) -> StaffUser:
    return staff["supervisor"]


@pytest.fixture(scope="module")
def admin(staff: dict[str, StaffUser]) -> StaffUser:
    return staff["admin"]


# ---------------------------------------------------------------- the browser


@pytest_asyncio.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    """One headless system Chromium for the whole run."""
    async with async_playwright() as playwright:
        try:
            launched = await browsing.launch(playwright)
        except RuntimeError as exc:
            pytest.fail(str(exc))
        yield launched
        await launched.close()


NewPage = Callable[..., Awaitable[Page]]
PageAs = Callable[..., Awaitable[Page]]


@pytest_asyncio.fixture
async def new_page(browser: Browser, service: ServiceProcess) -> AsyncIterator[NewPage]:
    """`await new_page(on=None, locale="en-US", viewport=None)`: a page in a fresh browser
    context (its own cookies) whose relative URLs go to `on` (default: `service`), already
    watched (see `browsing.watch`). Contexts close after the test."""
    contexts: list[BrowserContext] = []

    async def make(
        on: ServiceProcess | None = None,
        *,
        locale: str = "en-US",
        viewport: dict[str, int] | None = None,
    ) -> Page:
        context = await browser.new_context(
            base_url=(on or service).url,
            locale=locale,
            viewport=viewport or VIEWPORT,  # type: ignore[arg-type]
            timezone_id="UTC",
        )
        contexts.append(context)
        context.set_default_timeout(10_000)
        page = await context.new_page()
        watch(page)
        return page

    yield make
    for context in contexts:
        await context.close()


@pytest_asyncio.fixture
async def page_as(new_page: NewPage, staff: dict[str, StaffUser]) -> PageAs:
    """`await page_as("agent" | "second_agent" | "supervisor" | "admin", on=None, **new_page
    options)`: a new page signed in as that user (each call its own browser context)."""

    async def make(who: str, on: ServiceProcess | None = None, **options: Any) -> Page:
        page = await new_page(on, **options)
        await sign_in(page, staff[who])
        return page

    return make


@pytest_asyncio.fixture
async def page(new_page: NewPage) -> Page:
    """An anonymous page on `service`."""
    return await new_page()


@pytest.fixture
def shot(request: pytest.FixtureRequest) -> Callable[..., Awaitable[Path]]:
    """`await shot(page, "inbox")` saves tests/artifacts/<test name>-inbox.png."""

    async def take(page: Page, name: str, *, full_page: bool = True) -> Path:
        return await save_shot(page, request.node.name, name, full_page=full_page)

    return take


@pytest.fixture
def signed_sms() -> Callable[..., Awaitable[Any]]:
    """`await signed_sms(service, "+12025550143", "text", sid=None)` → WebhookAnswer(status,
    text, sid): an inbound SMS webhook signed as Twilio signs it."""
    return post_signed_sms
