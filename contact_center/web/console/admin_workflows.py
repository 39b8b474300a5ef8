"""The complaint workflow's settings page (supervisors and admins): each step's deadlines,
warning share and texts, saved as a new version; the category and root-cause lists. The page
script does the work through the workflow and case-label API."""

from __future__ import annotations

from aiohttp import web

from contact_center.users import Role
from contact_center.web.auth import require_role
from contact_center.web.console.pages import render
from contact_center.web.route import Route

EDITORS = (Role.SUPERVISOR, Role.ADMIN)


async def workflows_page(request: web.Request) -> web.StreamResponse:
    require_role(request, *EDITORS)
    return render(request, "admin_workflows.html", {"workflow": "complaint"})


ROUTES: list[Route] = [
    Route(
        "GET",
        "/admin/workflows",
        workflows_page,
        "Complaint workflow settings (supervisor, admin)",
        console=True,
    ),
]
