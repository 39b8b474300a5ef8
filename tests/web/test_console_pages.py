"""The console's frame: signing in and out by form, CSRF on forms, pages by role, the user's
language, cache-busting static files, and catalogs that cover every string."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient

from contact_center.users import Role
from contact_center.web.console.pages import safe_next
from tests.builders import PASSWORD, make_user
from tests.conftest import SingleConnectionPool

Client = TestClient[Any, Any]
ROOT = Path(__file__).resolve().parents[2]
HTML = {"Accept": "text/html"}


def _cookie(response: Any, name: str) -> str:
    """name=value of a Set-Cookie (aiohttp's jar keeps Secure cookies for https only)."""
    for header in response.headers.getall("Set-Cookie", []):
        if header.startswith(name + "="):
            return header.split(";")[0]
    raise AssertionError(f"no {name} cookie in {response.headers.getall('Set-Cookie', [])}")


def _hidden(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert found, f"no hidden {name} field"
    return found.group(1)


async def sign_in(client: Client, email: str, password: str = PASSWORD) -> tuple[str, str]:
    """Sign in through the form; (session cookie, CSRF token of the session's pages)."""
    form_page = await client.get("/login", headers=HTML)
    login_cookie = _cookie(form_page, "cc_login_csrf")
    token = _hidden(await form_page.text(), "csrf_token")
    response = await client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token, "next": "/account"},
        headers={"Cookie": login_cookie},
        allow_redirects=False,
    )
    assert response.status == 303, await response.text()
    assert response.headers["Location"] == "/account"
    session = _cookie(response, "__Host-cc_session")
    account = await client.get("/account", headers={"Cookie": session, **HTML})
    return session, _hidden(await account.text(), "csrf_token")


async def test_a_browser_without_a_session_is_sent_to_sign_in(client: Client) -> None:
    response = await client.get("/account?tab=x", headers=HTML, allow_redirects=False)
    assert response.status == 303
    assert response.headers["Location"] == "/login?next=/account?tab%3Dx"
    scripted = await client.get("/", headers={"Accept": "application/json"})
    assert scripted.status == 401


async def test_sign_in_form_sets_the_session_and_sign_out_ends_it(
    client: Client, db: SingleConnectionPool
) -> None:
    agent = await make_user(db, Role.AGENT)
    session, csrf = await sign_in(client, agent.email)
    inbox = await client.get("/", headers={"Cookie": session, **HTML})
    assert inbox.status == 200
    page = await inbox.text()
    assert agent.email in page and 'name="csrf-token"' in page
    out = await client.post(
        "/logout",
        data={"csrf_token": csrf},
        headers={"Cookie": session},
        allow_redirects=False,
    )
    assert out.status == 303 and out.headers["Location"] == "/login"
    again = await client.get("/", headers={"Cookie": session, **HTML}, allow_redirects=False)
    assert again.status == 303


def test_after_sign_in_only_paths_of_this_site_are_followed() -> None:
    for hostile in [
        "//evil.example/x",
        "/\t/evil.example/x",
        "/\n/evil.example",
        "/\\evil.example",
        "/\\/evil.example",
        "https://evil.example/",
        "evil.example",
        "/ /evil.example",
        "/\x7f/evil.example",
        "",
        None,
    ]:
        assert safe_next(hostile) == "/", repr(hostile)
    assert safe_next("/tickets/5?tab=notes#top") == "/tickets/5?tab=notes#top"


async def test_a_hostile_next_is_not_followed_after_sign_in(
    client: Client, db: SingleConnectionPool
) -> None:
    agent = await make_user(db, Role.AGENT)
    session, _ = await sign_in(client, agent.email)
    response = await client.get(
        "/login?next=/%09/evil.example/x",
        headers={"Cookie": session, **HTML},
        allow_redirects=False,
    )
    assert response.status == 303 and response.headers["Location"] == "/"


async def test_wrong_password_and_a_missing_form_token_are_explained(
    client: Client, db: SingleConnectionPool
) -> None:
    agent = await make_user(db, Role.AGENT)
    form_page = await client.get("/login", headers=HTML)
    cookie = _cookie(form_page, "cc_login_csrf")
    token = _hidden(await form_page.text(), "csrf_token")
    wrong = await client.post(
        "/login",
        data={"email": agent.email, "password": "not-it-at-all", "csrf_token": token},
        headers={"Cookie": cookie},
    )
    assert wrong.status == 401
    assert "Wrong email or password." in await wrong.text()
    forged = await client.post(
        "/login", data={"email": agent.email, "password": PASSWORD, "csrf_token": "guess"}
    )
    assert forged.status == 403
    assert "__Host-cc_session" not in forged.headers.get("Set-Cookie", "")


async def test_repeated_failures_on_the_form_say_how_long_to_wait(
    client: Client, db: SingleConnectionPool
) -> None:
    agent = await make_user(db, Role.AGENT)
    statuses = []
    for _ in range(7):
        form_page = await client.get("/login", headers=HTML)
        response = await client.post(
            "/login",
            data={
                "email": agent.email,
                "password": "guess",
                "csrf_token": _hidden(await form_page.text(), "csrf_token"),
            },
            headers={"Cookie": _cookie(form_page, "cc_login_csrf")},
        )
        statuses.append(response.status)
    assert statuses == [401] * 6 + [429]
    assert response.headers["Retry-After"] == "1"
    assert "Please wait 1 second and try again." in await response.text()


async def test_a_form_post_without_the_csrf_token_is_refused(
    client: Client, db: SingleConnectionPool
) -> None:
    agent = await make_user(db, Role.AGENT)
    session, _ = await sign_in(client, agent.email)
    refused = await client.post(
        "/account/language", data={"locale": "zh_Hans"}, headers={"Cookie": session}
    )
    assert refused.status == 403
    page = await client.get("/account", headers={"Cookie": session, **HTML})
    assert 'lang="en"' in await page.text()


async def test_an_agent_never_sees_admin_pages(client: Client, db: SingleConnectionPool) -> None:
    agent = await make_user(db, Role.AGENT)
    session, csrf = await sign_in(client, agent.email)
    inbox = await (await client.get("/", headers={"Cookie": session, **HTML})).text()
    assert 'href="/admin/users"' not in inbox
    page = await client.get("/admin/users", headers={"Cookie": session, **HTML})
    assert page.status == 403
    assert "Not for your role" in await page.text()
    posted = await client.post(
        "/admin/users",
        data={"csrf_token": csrf, "email": "x@example.com", "role": "admin", "password": "p" * 12},
        headers={"Cookie": session},
    )
    assert posted.status == 403


async def test_an_admin_creates_a_user_from_the_users_page(
    client: Client, db: SingleConnectionPool
) -> None:
    admin = await make_user(db, Role.ADMIN)
    session, csrf = await sign_in(client, admin.email)
    page = await client.get("/admin/users", headers={"Cookie": session, **HTML})
    assert page.status == 200 and 'href="/admin/users"' in await page.text()
    created = await client.post(
        "/admin/users",
        data={
            "csrf_token": csrf,
            "email": "new.agent@example.com",
            "name": "New <Agent>",
            "role": "agent",
            "password": "a-long-password",
        },
        headers={"Cookie": session, **HTML},
    )
    text = await created.text()
    assert created.status == 200 and "new.agent@example.com" in text
    assert "New &lt;Agent&gt;" in text and "New <Agent>" not in text


async def test_password_change_keeps_this_session_and_ends_the_others(
    client: Client, db: SingleConnectionPool
) -> None:
    agent = await make_user(db, Role.AGENT)
    session, csrf = await sign_in(client, agent.email)
    other, _ = await sign_in(client, agent.email)
    wrong = await client.post(
        "/account/password",
        data={
            "csrf_token": csrf,
            "current_password": "nope-nope",
            "new_password": "another-password",
            "confirm_password": "another-password",
        },
        headers={"Cookie": session, **HTML},
    )
    assert wrong.status == 422 and "The current password is wrong." in await wrong.text()
    changed = await client.post(
        "/account/password",
        data={
            "csrf_token": csrf,
            "current_password": PASSWORD,
            "new_password": "another-password",
            "confirm_password": "another-password",
        },
        headers={"Cookie": session, **HTML},
    )
    assert changed.status == 200 and "Your password is changed." in await changed.text()
    still = await client.get("/account", headers={"Cookie": session, **HTML})
    assert still.status == 200
    ended = await client.get("/account", headers={"Cookie": other, **HTML}, allow_redirects=False)
    assert ended.status == 303
    await sign_in(client, agent.email, "another-password")


async def test_the_user_chooses_simplified_chinese(
    client: Client, db: SingleConnectionPool
) -> None:
    agent = await make_user(db, Role.AGENT)
    session, csrf = await sign_in(client, agent.email)
    chosen = await client.post(
        "/account/language",
        data={"csrf_token": csrf, "locale": "zh_Hans", "next": "/"},
        headers={"Cookie": session},
        allow_redirects=False,
    )
    assert chosen.status == 303
    page = await (await client.get("/", headers={"Cookie": session, **HTML})).text()
    assert 'lang="zh-Hans"' in page and "收件箱" in page and "退出登录" in page
    # The scripts' strings come along as a JSON data block, never as inline script.
    assert '"Live": "实时"' in page


async def test_the_sign_in_page_follows_the_browser_language(client: Client) -> None:
    page = await client.get("/login", headers={"Accept-Language": "zh-CN,zh;q=0.9", **HTML})
    assert "登录" in await page.text()


async def test_a_wrong_console_address_gets_a_page_and_a_wrong_api_address_json(
    client: Client,
) -> None:
    page = await client.get("/duplicates", headers={"Accept-Language": "zh-CN", **HTML})
    assert page.status == 404 and page.content_type == "text/html"
    assert "未找到" in await page.text()
    api = await client.get("/api/v1/nothing-here", headers=HTML)
    assert api.status == 404 and api.content_type == "application/json"


async def test_static_files_have_cache_busting_names(client: Client) -> None:
    page = await (await client.get("/login", headers=HTML)).text()
    script = re.search(r'src="(/static/console\.[0-9a-f]{12}\.js)"', page)
    assert script, page
    response = await client.get(script.group(1))
    assert response.status == 200
    assert response.content_type == "text/javascript"
    assert "immutable" in response.headers["Cache-Control"]
    assert (await client.get("/static/console.js")).status == 404
    assert (await client.get("/static/console.000000000000.js")).status == 404


async def test_pages_carry_a_strict_content_security_policy(client: Client) -> None:
    response = await client.get("/login", headers=HTML)
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    page = await response.text()
    # No inline script: every <script> either has a src or is a JSON data block.
    for tag in re.findall(r"<script[^>]*>", page):
        assert "src=" in tag or 'type="application/json"' in tag
    assert response.headers["Cache-Control"] == "no-store"


def test_every_console_string_is_translated() -> None:
    run = subprocess.run(
        [sys.executable, "scripts/i18n.py", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
