"""REST handlers for logging in and out, the current user, staff users and API tokens."""

from __future__ import annotations

from datetime import timedelta

from aiohttp import web

from contact_center import users
from contact_center.errors import TooManyAttempts
from contact_center.timeutil import utc_now
from contact_center.users import Role
from contact_center.web.api import answers, schemas
from contact_center.web.api.views import token_view, user_view
from contact_center.web.auth import (
    actor_of,
    check_origin,
    clear_session_cookie,
    current_user,
    parse_id,
    require_role,
    set_session_cookie,
)
from contact_center.web.errors import error_body
from contact_center.web.jsonio import json_response, read_json
from contact_center.web.keys import POOL, SESSION, SETTINGS
from contact_center.web.route import API, Route


async def log_in(request: web.Request) -> web.Response:
    check_origin(request)
    body = await read_json(request, schemas.LOGIN)
    settings = request.app[SETTINGS]
    try:
        session = await users.log_in(
            request.app[POOL],
            email=body["email"],
            password=body["password"],
            remote=request.remote or "unknown",
            now=utc_now(),
            ttl=timedelta(hours=settings.session_ttl_hours),
            passwords=users.passwords_for(settings),
        )
    except TooManyAttempts as exc:
        refused = json_response(error_body(exc.code, exc.message), status=429)
        refused.headers["Retry-After"] = str(exc.retry_after)
        return refused
    response = json_response({"user": user_view(session.user), "csrf_token": session.csrf_token})
    set_session_cookie(request, response, session)
    return response


async def log_out(request: web.Request) -> web.Response:
    session = request.get(SESSION)
    if session is not None:
        await users.log_out(request.app[POOL], session.token, now=utc_now())
    response = web.Response(status=204)
    clear_session_cookie(request, response)
    return response


async def me(request: web.Request) -> web.Response:
    session = request.get(SESSION)
    return json_response(
        {
            "user": user_view(current_user(request)),
            "csrf_token": session.csrf_token if session else None,
        }
    )


async def list_users(request: web.Request) -> web.Response:
    require_role(request, Role.ADMIN)
    return json_response(
        {"users": [user_view(u) for u in await users.list_users(request.app[POOL])]}
    )


async def create_user(request: web.Request) -> web.Response:
    require_role(request, Role.ADMIN)
    body = await read_json(request, schemas.USER_CREATE)
    user = await users.create_user(
        request.app[POOL],
        actor_of(request),
        email=body["email"],
        role=body["role"],
        password=body["password"],
        name=body.get("name", ""),
        passwords=users.passwords_for(request.app[SETTINGS]),
    )
    return json_response(user_view(user), status=201)


async def update_user(request: web.Request) -> web.Response:
    require_role(request, Role.ADMIN)
    user_id = parse_id(request.match_info["id"], "user")
    body = await read_json(request, schemas.USER_UPDATE)
    pool, actor, now = request.app[POOL], actor_of(request), utc_now()
    if "password" in body:
        await users.change_password(
            pool,
            actor,
            user_id,
            body["password"],
            now=now,
            passwords=users.passwords_for(request.app[SETTINGS]),
        )
    if "role" in body:
        await users.change_role(pool, actor, user_id, body["role"], now=now)
    if "queues" in body:
        await users.set_queues(pool, actor, user_id, body["queues"])
    return json_response(user_view(await users.get_user(pool, user_id)))


async def create_token(request: web.Request) -> web.Response:
    user = current_user(request)
    body = await read_json(request, schemas.TOKEN_CREATE)
    token = await users.create_api_token(
        request.app[POOL], actor_of(request), email=user.email, name=body.get("name", "")
    )
    return json_response({"token": token}, status=201)


async def list_tokens(request: web.Request) -> web.Response:
    tokens = await users.list_api_tokens(request.app[POOL], current_user(request))
    return json_response({"tokens": [token_view(t) for t in tokens]})


async def revoke_token(request: web.Request) -> web.Response:
    token_id = parse_id(request.match_info["id"], "token")
    await users.revoke_api_token(
        request.app[POOL], actor_of(request), current_user(request), token_id, now=utc_now()
    )
    return web.Response(status=204)


ROUTES: list[Route] = [
    Route(
        "POST",
        f"{API}/auth/login",
        log_in,
        "Log in; sets the session cookie",
        public=True,
        body=schemas.LOGIN,
        tag="auth",
        responses={
            401: "wrong email or password",
            403: "sent from a page of another site (`Origin`)",
            415: "the body is not declared `application/json`",
            429: "too many failed logins: wait the seconds in `Retry-After`",
        },
        answer=answers.SESSION,
    ),
    Route("POST", f"{API}/auth/logout", log_out, "Log out; revokes the session", tag="auth"),
    Route(
        "GET",
        f"{API}/me",
        me,
        "The current user (and CSRF token for sessions)",
        tag="auth",
        answer=answers.SESSION,
    ),
    Route(
        "GET",
        f"{API}/users",
        list_users,
        "List staff users (admin)",
        tag="users",
        answer=answers.USERS,
    ),
    Route(
        "POST",
        f"{API}/users",
        create_user,
        "Create a staff user (admin)",
        body=schemas.USER_CREATE,
        created=True,
        tag="users",
        responses={409: "a user with that email exists"},
        answer=answers.USER,
    ),
    Route(
        "PATCH",
        f"{API}/users/{{id}}",
        update_user,
        "Change a user's role or password (admin); ends their sessions",
        body=schemas.USER_UPDATE,
        tag="users",
        answer=answers.USER,
    ),
    Route(
        "POST",
        f"{API}/tokens",
        create_token,
        "Create an API token for yourself",
        body=schemas.TOKEN_CREATE,
        created=True,
        tag="users",
        answer=answers.TOKEN,
    ),
    Route(
        "GET",
        f"{API}/tokens",
        list_tokens,
        "Your API tokens that are not revoked (id, name, created, last used; never the secret)",
        tag="users",
    ),
    Route(
        "DELETE",
        f"{API}/tokens/{{id}}",
        revoke_token,
        "Revoke one of your API tokens",
        tag="users",
    ),
]
