"""Administration pages: staff users, their roles and their routing profiles: the queues they
work, skills, how many calls and messaging tickets at once, the phone calls reach (admins)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from contact_center import routing, users
from contact_center.errors import Conflict, Invalid, NotFound
from contact_center.i18n import gettext as _
from contact_center.timeutil import utc_now
from contact_center.users import Role
from contact_center.web.auth import actor_of, parse_id, require_role
from contact_center.web.console.pages import render
from contact_center.web.keys import POOL, SETTINGS
from contact_center.web.route import Route


async def _page(
    request: web.Request, *, message: str = "", error: str = "", status: int = 200
) -> web.Response:
    pool, now = request.app[POOL], utc_now()
    staff = await users.list_users(pool)
    context = {
        "staff": staff,
        "roles": list(Role),
        "message": message,
        "error": error,
        "agents": {u.id: await routing.get_agent(pool, u.id, now=now) for u in staff if u.active},
        "queues": await routing.list_queues(pool),
    }
    return render(request, "admin_users.html", context, status=status)


async def users_page(request: web.Request) -> web.StreamResponse:
    require_role(request, Role.ADMIN)
    return await _page(request)


async def create_user_submit(request: web.Request) -> web.StreamResponse:
    require_role(request, Role.ADMIN)
    form = await request.post()
    try:
        user = await users.create_user(
            request.app[POOL],
            actor_of(request),
            email=str(form.get("email", "")),
            role=str(form.get("role", "")),
            password=str(form.get("password", "")),
            name=str(form.get("name", "")),
            passwords=users.passwords_for(request.app[SETTINGS]),
        )
    except (Invalid, Conflict) as exc:
        return await _page(request, error=exc.message, status=422)
    return await _page(request, message=_("Created {email}.").format(email=user.email))


async def role_submit(request: web.Request) -> web.StreamResponse:
    require_role(request, Role.ADMIN)
    form = await request.post()
    user_id = parse_id(request.match_info["id"], "user")
    try:
        await users.change_role(
            request.app[POOL], actor_of(request), user_id, str(form.get("role", "")), now=utc_now()
        )
    except Invalid as exc:
        return await _page(request, error=exc.message, status=422)
    raise web.HTTPSeeOther("/admin/users")


def _capacity(form: Any, name: str) -> int:
    try:
        return int(str(form.get(name, "")).strip())
    except ValueError:
        raise Invalid(_("Capacity is a whole number."), field=name) from None


async def routing_submit(request: web.Request) -> web.StreamResponse:
    """One user's routing profile from its row of the page: queues, skills, capacities, phone."""
    require_role(request, Role.ADMIN)
    form = await request.post()
    user_id = parse_id(request.match_info["id"], "user")
    pool, actor, now = request.app[POOL], actor_of(request), utc_now()
    try:
        changes = {
            "skills": str(form.get("skills", "")).split(","),
            "voice_capacity": _capacity(form, "voice_capacity"),
            "messaging_capacity": _capacity(form, "messaging_capacity"),
            "phone": str(form.get("phone", "")),
        }
        await users.set_queues(pool, actor, user_id, [str(q) for q in form.getall("queues", [])])
        await routing.update_agent(pool, actor, user_id, changes, now=now)
    except (Invalid, NotFound) as exc:
        return await _page(request, error=exc.message, status=422)
    raise web.HTTPSeeOther("/admin/users")


ROUTES: list[Route] = [
    Route("GET", "/admin/users", users_page, "Staff users (admin)", console=True),
    Route("POST", "/admin/users", create_user_submit, "Create a staff user (admin)", console=True),
    Route(
        "POST", "/admin/users/{id}/role", role_submit, "Change a user's role (admin)", console=True
    ),
    Route(
        "POST",
        "/admin/users/{id}/routing",
        routing_submit,
        "Change a user's queues, skills, capacity and phone (admin)",
        console=True,
    ),
]
