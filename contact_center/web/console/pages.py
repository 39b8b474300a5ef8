"""Rendering console pages: the Jinja2 environment (autoescaped, gettext from the catalogs),
what every page's context holds, and the page answers for sign-in redirects and errors."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlsplit

import aiohttp_jinja2
import jinja2
from aiohttp import web
from markupsafe import Markup

from contact_center import i18n
from contact_center.config import Settings
from contact_center.i18n import N_
from contact_center.timeutil import to_site_time
from contact_center.users import Role, User
from contact_center.web.auth import MERGERS, may_read_account
from contact_center.web.console.assets import ASSETS, Assets
from contact_center.web.keys import SESSION, SETTINGS, USER

# (path, label, roles that see it; empty = every staff role). Labels are translated in base.html.
NAV: list[tuple[str, str, tuple[Role, ...]]] = [
    ("/", N_("Inbox"), ()),
    ("/customers", N_("Customers"), ()),
    ("/customers/duplicates", N_("Duplicates"), MERGERS),
    ("/accounts", N_("Accounts"), (Role.ACCOUNT_MANAGER, Role.SUPERVISOR, Role.ADMIN)),
    ("/visits", N_("Visits"), (Role.ACCOUNT_MANAGER, Role.SUPERVISOR, Role.ADMIN)),
    ("/supervisor", N_("Queues and agents"), (Role.SUPERVISOR, Role.ADMIN)),
    ("/admin/queues", N_("Queue settings"), (Role.SUPERVISOR, Role.ADMIN)),
    ("/admin/workflows", N_("Complaint workflow"), (Role.SUPERVISOR, Role.ADMIN)),
    ("/admin/classifier", N_("Complaint phrases"), (Role.SUPERVISOR, Role.ADMIN)),
    ("/admin/calendar", N_("Business calendar"), (Role.SUPERVISOR, Role.ADMIN)),
    ("/admin/broadcasts", N_("Broadcasts"), (Role.SUPERVISOR, Role.ADMIN)),
    ("/admin/users", N_("Users"), (Role.ADMIN,)),
]
ROLE_LABELS = {
    Role.AGENT: N_("Agent"),
    Role.ACCOUNT_MANAGER: N_("Account manager"),
    Role.SUPERVISOR: N_("Supervisor"),
    Role.ADMIN: N_("Administrator"),
}


def setup_pages(app: web.Application, settings: Settings) -> None:
    """Templates from web/templates, static files from web/static, strings from the catalogs."""
    env = aiohttp_jinja2.setup(
        app,
        loader=jinja2.PackageLoader("contact_center.web", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        i18n.gettext, i18n.ngettext, newstyle=True
    )
    env.filters["localtime"] = _localtime_filter(settings.site_timezone)
    env.filters["role_label"] = lambda role: i18n.gettext(ROLE_LABELS[Role(role)])
    env.filters["isotime"] = lambda moment: moment.isoformat() if moment else ""
    app[ASSETS] = Assets()
    env.globals["asset"] = app[ASSETS].url
    env.globals["may_read_account"] = may_read_account


def _localtime_filter(site_timezone: str) -> Any:
    def localtime(moment: datetime | None, pattern: str = "%Y-%m-%d %H:%M") -> str:
        return to_site_time(moment, site_timezone).strftime(pattern) if moment else ""

    return localtime


def page_locale(request: web.Request) -> str:
    user: User | None = request.get(USER)
    return i18n.negotiate(user.locale if user else "", request.headers.get("Accept-Language", ""))


def base_context(request: web.Request, locale: str) -> dict[str, Any]:
    settings = request.app[SETTINGS]
    user: User | None = request.get(USER)
    session = request.get(SESSION)
    nav = [
        (path, label)
        for path, label, roles in NAV
        if user is not None and (not roles or user.has_role(*roles))
    ]
    return {
        "user": user,
        "csrf_token": session.csrf_token if session else "",
        "locale": locale,
        "html_lang": i18n.html_lang(locale),
        "locales": i18n.LOCALES,
        "timezone": settings.site_timezone,
        "demo": settings.demo,
        "nav": nav,
        "path": request.path,
        # The strings the console's scripts show, for this locale, as a JSON data block.
        "script_strings": data_block(i18n.script_strings(locale)),
    }


def data_block(value: Any) -> Markup:
    """JSON for a `<script type="application/json">` block, the way pages hand data to their
    scripts (no inline script under the CSP); `<` is escaped so no text in it can close the
    element."""
    return Markup(json.dumps(value, ensure_ascii=False, default=str).replace("<", "\\u003c"))


def render(
    request: web.Request, template: str, context: dict[str, Any], *, status: int = 200
) -> web.Response:
    """A page in the user's language; personal data, so never kept in a cache."""
    locale = page_locale(request)
    with i18n.using(locale):
        response = aiohttp_jinja2.render_template(
            template, request, {**base_context(request, locale), **context}, status=status
        )
    response.headers["Cache-Control"] = "no-store"
    return response


def sign_in_redirect(request: web.Request) -> web.HTTPSeeOther:
    return web.HTTPSeeOther("/login?next=" + quote(request.path_qs, safe="/"))


def safe_next(raw: str | None) -> str:
    """Where to go after signing in: a path on this site only. Browsers drop tabs and newlines
    from URLs and read a backslash as `/`, so `/<tab>/evil.example` would become
    `//evil.example`: any control character, space or backslash, or anything with a scheme or
    host, goes to `/`."""
    if not raw or not raw.startswith("/") or raw.startswith("//"):
        return "/"
    if any(ch <= " " or ch in "\\\x7f" for ch in raw):
        return "/"
    parts = urlsplit(raw)
    if parts.scheme or parts.netloc:
        return "/"
    return raw


def error_page(request: web.Request, status: int, message: str) -> web.Response:
    return render(request, "error.html", {"status": status, "message": message}, status=status)


def wants_page(request: web.Request) -> bool:
    """A browser navigating (GET of HTML), as opposed to a script fetching or a stream."""
    return request.method == "GET" and "text/html" in request.headers.get("Accept", "")
