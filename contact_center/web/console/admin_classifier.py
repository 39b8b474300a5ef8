"""The complaint classifier's settings page (supervisors and admins): threshold, phrases and
weights, and a box to try a text. The page saves through the classifier API."""

from __future__ import annotations

from aiohttp import web

from contact_center import tickets
from contact_center.users import Role
from contact_center.web.auth import require_role
from contact_center.web.console.pages import render
from contact_center.web.keys import POOL
from contact_center.web.route import Route

EDITORS = (Role.SUPERVISOR, Role.ADMIN)


async def classifier_page(request: web.Request) -> web.Response:
    require_role(request, *EDITORS)
    rules, version = await tickets.classifier_setting(request.app[POOL])
    return render(request, "admin_classifier.html", {"rules": rules, "version": version})


ROUTES: list[Route] = [
    Route(
        "GET",
        "/admin/classifier",
        classifier_page,
        "Complaint phrases (supervisor, admin)",
        console=True,
    ),
]
