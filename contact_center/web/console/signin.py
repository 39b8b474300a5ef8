"""Signing in and out, and the user's own account: password and language.

The sign-in form has no session yet, so its CSRF token is a random value in a short-lived
cookie and in the form (double submit), on top of the Origin check the JSON login has.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import timedelta

from aiohttp import web

from contact_center import users
from contact_center.errors import Conflict, Invalid, TooManyAttempts, Unauthorized
from contact_center.i18n import gettext as _
from contact_center.i18n import ngettext
from contact_center.timeutil import utc_now
from contact_center.web.auth import (
    CSRF_FIELD,
    authenticate,
    check_origin,
    clear_session_cookie,
    current_user,
    set_session_cookie,
)
from contact_center.web.console.pages import render, safe_next
from contact_center.web.keys import POOL, SESSION, SETTINGS, USER
from contact_center.web.route import Route

LOGIN_CSRF_COOKIE = "cc_login_csrf"


async def _signed_in(request: web.Request) -> bool:
    try:
        request[USER] = await authenticate(request)
    except Unauthorized:
        return False
    return True


def _login_form(
    request: web.Request, *, email: str = "", error: str = "", status: int = 200
) -> web.Response:
    token = secrets.token_urlsafe(24)
    response = render(
        request,
        "login.html",
        {
            "login_token": token,
            "email": email,
            "error": error,
            "next": safe_next(request.query.get("next")),
        },
        status=status,
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        path="/login",
        httponly=True,
        secure=request.app[SETTINGS].secure_cookies,
        samesite="Strict",
        max_age=3600,
    )
    return response


async def login_page(request: web.Request) -> web.StreamResponse:
    if await _signed_in(request):
        raise web.HTTPSeeOther(safe_next(request.query.get("next")))
    return _login_form(request)


async def login_submit(request: web.Request) -> web.StreamResponse:
    check_origin(request)
    form = await request.post()
    email, password = str(form.get("email", "")), str(form.get("password", ""))
    sent, expected = str(form.get(CSRF_FIELD, "")), request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
        message = _("The sign-in form has expired. Please try again.")
        return _login_form(request, email=email, error=message, status=403)
    settings = request.app[SETTINGS]
    try:
        session = await users.log_in(
            request.app[POOL],
            email=email,
            password=password,
            remote=request.remote or "unknown",
            now=utc_now(),
            ttl=timedelta(hours=settings.session_ttl_hours),
            passwords=users.passwords_for(settings),
        )
    except TooManyAttempts as exc:
        message = ngettext(
            "Too many failed sign-ins. Please wait {seconds} second and try again.",
            "Too many failed sign-ins. Please wait {seconds} seconds and try again.",
            exc.retry_after,
        ).format(seconds=exc.retry_after)
        refused = _login_form(request, email=email, error=message, status=429)
        refused.headers["Retry-After"] = str(exc.retry_after)
        return refused
    except Unauthorized:
        message = _("Wrong email or password.")
        return _login_form(request, email=email, error=message, status=401)
    response = web.HTTPSeeOther(safe_next(str(form.get("next", ""))))
    set_session_cookie(request, response, session)
    response.del_cookie(LOGIN_CSRF_COOKIE, path="/login")
    raise response


async def logout_submit(request: web.Request) -> web.StreamResponse:
    session = request.get(SESSION)
    if session is not None:
        await users.log_out(request.app[POOL], session.token, now=utc_now())
    response = web.HTTPSeeOther("/login")
    clear_session_cookie(request, response)
    raise response


async def account_page(request: web.Request) -> web.StreamResponse:
    return render(request, "account.html", {"message": "", "error": ""})


async def password_submit(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    session = request.get(SESSION)
    if session is None:  # a bearer token has no password form to fill
        raise Unauthorized("sign in to change your password")
    current, new = str(form.get("current_password", "")), str(form.get("new_password", ""))
    if new != str(form.get("confirm_password", "")):
        error = _("The two new passwords differ.")
        return render(request, "account.html", {"message": "", "error": error}, status=422)
    try:
        await users.change_own_password(
            request.app[POOL],
            session,
            current,
            new,
            now=utc_now(),
            passwords=users.passwords_for(request.app[SETTINGS]),
        )
    except Invalid as exc:
        error = (
            _("The current password is wrong.")
            if exc.field == "current_password"
            else _("The new password is too short.")
        )
        return render(request, "account.html", {"message": "", "error": error}, status=422)
    except Conflict:
        error = _("Your password was changed meanwhile. Please sign in again.")
        return render(request, "account.html", {"message": "", "error": error}, status=409)
    message = _("Your password is changed. Your other sessions are signed out.")
    return render(request, "account.html", {"message": message, "error": ""})


async def language_submit(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    await users.set_locale(request.app[POOL], current_user(request), str(form.get("locale", "")))
    raise web.HTTPSeeOther(safe_next(str(form.get("next", "")) or "/account"))


ROUTES: list[Route] = [
    Route("GET", "/login", login_page, "Sign-in page", public=True, console=True),
    Route("POST", "/login", login_submit, "Sign in (form)", public=True, console=True),
    Route("POST", "/logout", logout_submit, "Sign out (form)", console=True),
    Route("GET", "/account", account_page, "Your password and language", console=True),
    Route("POST", "/account/password", password_submit, "Change your password", console=True),
    Route("POST", "/account/language", language_submit, "Choose the language", console=True),
]
