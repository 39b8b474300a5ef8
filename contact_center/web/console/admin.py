"""Administration pages: staff users and their roles (admins only)."""

from __future__ import annotations

from aiohttp import web

from contact_center import users
from contact_center.errors import Conflict, Invalid
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
    staff = await users.list_users(request.app[POOL])
    context = {"staff": staff, "roles": list(Role), "message": message, "error": error}
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


ROUTES: list[Route] = [
    Route("GET", "/admin/users", users_page, "Staff users (admin)", console=True),
    Route("POST", "/admin/users", create_user_submit, "Create a staff user (admin)", console=True),
    Route(
        "POST", "/admin/users/{id}/role", role_submit, "Change a user's role (admin)", console=True
    ),
]
