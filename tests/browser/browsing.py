"""What browser tests do with a page: launch the system Chromium, watch a page for dialogs and
errors, sign in, save screenshots, check accessibility with axe-core."""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Browser, ConsoleMessage, Dialog, Error, Page, Playwright
from playwright.async_api import TimeoutError as PlaywrightTimeout

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
SEVERE = ("serious", "critical")
LOGIN_API = "/api/v1/auth/login"


def chromium_path() -> str | None:
    """CHROMIUM when set, else the Debian package's binary."""
    given = os.environ.get("CHROMIUM")
    if given:
        return given
    return shutil.which("chromium") or shutil.which("chromium-browser")


async def launch(playwright: Playwright) -> Browser:
    path = chromium_path()
    if not path:
        raise RuntimeError(
            "no Chromium: scripts/test installs it (apt-get install -y chromium), "
            "or set CHROMIUM to its path"
        )
    return await playwright.chromium.launch(
        executable_path=path, headless=True, args=CHROMIUM_FLAGS
    )


# ---------------------------------------------------------------- watching a page


@dataclass
class PageWatch:
    """What a page did that a user would notice or a developer should: dialogs (alert,
    confirm, prompt), console errors (CSP refusals included) and uncaught script errors.

    Dialogs are dismissed unless `accept_dialogs` is set (a test expecting a confirm sets it).
    """

    dialogs: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    accept_dialogs: bool = False

    async def on_dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        if self.accept_dialogs:
            await dialog.accept()
        else:
            await dialog.dismiss()

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            where = message.location.get("url", "")
            if where.endswith("/favicon.ico"):
                return  # asked for by the browser itself, not by the page
            self.console_errors.append(f"{message.text} ({where})" if where else message.text)

    def on_page_error(self, error: Error) -> None:
        self.page_errors.append(f"{error.name}: {error.message}")

    def clear(self) -> None:
        self.dialogs.clear()
        self.console_errors.clear()
        self.page_errors.clear()

    def problems(self, *, allow: tuple[str, ...] = ()) -> list[str]:
        """Everything noticed, less console errors matching one of the `allow` patterns."""
        console = [e for e in self.console_errors if not any(re.search(a, e) for a in allow)]
        return (
            [f"dialog {d}" for d in self.dialogs]
            + [f"console error {e}" for e in console]
            + [f"uncaught {e}" for e in self.page_errors]
        )

    def assert_clean(self, *, allow: tuple[str, ...] = ()) -> None:
        found = self.problems(allow=allow)
        assert not found, "the page showed problems:\n" + "\n".join(found)


WATCHES: dict[int, PageWatch] = {}


def watch(page: Page) -> PageWatch:
    """Start watching `page` (once); the same PageWatch on later calls."""
    key = id(page)
    if key not in WATCHES:
        seen = WATCHES[key] = PageWatch()
        page.on("dialog", seen.on_dialog)
        page.on("console", seen.on_console)
        page.on("pageerror", seen.on_page_error)
        page.on("close", lambda _: WATCHES.pop(key, None))
    return WATCHES[key]


def assert_no_page_problems(page: Page, *, allow: tuple[str, ...] = ()) -> None:
    watch(page).assert_clean(allow=allow)


# ---------------------------------------------------------------- signing in


@dataclass(frozen=True)
class StaffUser:
    key: str  # "agent", "second_agent", "supervisor", "admin"
    email: str
    password: str
    role: str
    name: str
    id: str


async def fetch(page: Page, method: str, path: str, body: Any = None, **headers: str) -> Any:
    """A same-origin fetch from the page's own context (its cookies, its Origin header):
    {"status": int, "json": parsed body or None, "text": str}."""
    return await page.evaluate(
        """async ([method, path, body, headers]) => {
            const init = {method, headers: {...headers}, credentials: "same-origin"};
            if (body !== null) {
                init.headers["Content-Type"] = "application/json";
                init.body = JSON.stringify(body);
            }
            const answer = await fetch(path, init);
            const text = await answer.text();
            let parsed = null;
            try { parsed = JSON.parse(text); } catch (e) {}
            return {status: answer.status, json: parsed, text};
        }""",
        [method, path, body, headers],
    )


async def api(page: Page, method: str, path: str, body: Any = None) -> Any:
    """`fetch` as the signed-in user, with the session's CSRF token on writes: for a test's
    own setup through the REST API (what the console itself does is tested through clicks)."""
    headers = {}
    if method.upper() in {"POST", "PUT", "PATCH", "DELETE"}:
        me = await fetch(page, "GET", "/api/v1/me")
        headers["X-CSRF-Token"] = me["json"]["csrf_token"]
    return await fetch(page, method, path, body, **headers)


async def sign_in(page: Page, user: StaffUser) -> str:
    """Sign `user` in within the page's browser context and return the session's CSRF token.

    Uses the console's login form when `/login` serves one, else posts to the login API from
    the page (so the browser itself stores the session cookie). Leaves the page where the
    sign-in left it.
    """
    answer = await page.goto("/login")
    form = page.locator("form:has(input[type=password])")
    if answer is not None and answer.ok and await form.count() == 1:
        await form.locator("input[type=email], input[name=email]").first.fill(user.email)
        await form.locator("input[type=password]").first.fill(user.password)
        await form.locator("button[type=submit], input[type=submit]").first.click()
        try:
            await page.wait_for_url(lambda url: "/login" not in url)
        except PlaywrightTimeout:
            alert = await page.locator("[role=alert]").all_inner_texts()
            raise AssertionError(f"sign-in of {user.email} stayed on /login: {alert}") from None
    else:
        if answer is None or not answer.ok:
            await page.goto("/healthz")  # any page of the origin, for a same-origin fetch
        done = await fetch(
            page, "POST", LOGIN_API, {"email": user.email, "password": user.password}
        )
        assert done["status"] == 200, f"login of {user.email} refused: {done['text']}"
    me = await fetch(page, "GET", "/api/v1/me")
    assert me["status"] == 200, f"not signed in as {user.email}: {me['text']}"
    assert me["json"]["user"]["email"] == user.email
    watch(page).clear()  # probing for the form (a 404 before /login exists) is no page problem
    token: str = me["json"]["csrf_token"]
    return token


# ---------------------------------------------------------------- screenshots and axe


def artifact_name(test_name: str, name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", f"{test_name}-{name}").strip("-")[:150]


async def save_shot(page: Page, test_name: str, name: str, *, full_page: bool = True) -> Path:
    """A PNG of the page under tests/artifacts/ (ignored by git), named after the test."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{artifact_name(test_name, name)}.png"
    await page.screenshot(path=str(path), full_page=full_page)
    return path


AXE = Axe()


async def accessibility_violations(
    page: Page, *, ignore: tuple[str, ...] = (), impacts: tuple[str, ...] = SEVERE
) -> list[dict[str, Any]]:
    """axe-core's violations of the given impacts on the page as it is now."""
    results = await AXE.run(page)
    return [
        v
        for v in results.response["violations"]
        if v.get("impact") in impacts and v["id"] not in ignore
    ]


def describe_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} — {v['helpUrl']}")
        for node in v["nodes"][:5]:
            lines.append(f"    {json.dumps(node['target'])}: {node.get('failureSummary', '')}")
    return "\n".join(lines)


async def assert_accessible(page: Page, *, ignore: tuple[str, ...] = ()) -> None:
    """Fail on serious or critical axe-core violations (rule ids in `ignore` excepted)."""
    violations = await accessibility_violations(page, ignore=ignore)
    assert not violations, f"accessibility violations on {page.url}:\n" + describe_violations(
        violations
    )
