"""`/accounts`: an account manager's key accounts (tier, lifecycle stage, open tasks, recent tier
moves); supervisors see all of them, the accounts waiting for a manager with a manager picker,
and may re-tier now. The page is a frame; `static/accounts.js` draws it from the accounts API
and keeps it live over `account.tier_changed` and `account.task`."""

from __future__ import annotations

from aiohttp import web

from contact_center import accounts
from contact_center.users import Role
from contact_center.web.auth import require_role
from contact_center.web.console.pages import data_block, render
from contact_center.web.keys import POOL
from contact_center.web.route import Route

PAGE_ROLES = (Role.ACCOUNT_MANAGER, Role.SUPERVISOR, Role.ADMIN)
OVERSEERS = (Role.SUPERVISOR, Role.ADMIN)


async def accounts_page(request: web.Request) -> web.StreamResponse:
    user = require_role(request, *PAGE_ROLES)
    overseer = user.has_role(*OVERSEERS)
    managers = await accounts.account_managers(request.app[POOL]) if overseer else []
    page = {"overseer": overseer, "managers": [{"id": m.id, "name": m.name} for m in managers]}
    return render(request, "accounts.html", {"overseer": overseer, "page_json": data_block(page)})


ROUTES: list[Route] = [
    Route("GET", "/accounts", accounts_page, "Key accounts, their tiers and tasks", console=True)
]
