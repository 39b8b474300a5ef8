"""The broadcasts page (supervisors and admins): compose a message to a segment with a live
count of who it reaches, send it, and follow each broadcast's delivery figures. The page
works through the care API."""

from __future__ import annotations

from aiohttp import web

from contact_center import care
from contact_center.customers.model import LifecycleStage, Tier
from contact_center.i18n import N_
from contact_center.users import Role
from contact_center.web.auth import require_role
from contact_center.web.console.pages import render
from contact_center.web.keys import POOL
from contact_center.web.route import Route

SENDERS = (Role.SUPERVISOR, Role.ADMIN)
STAGE_LABELS = {
    LifecycleStage.PROSPECT: N_("Prospect"),
    LifecycleStage.CUSTOMER: N_("Active"),
    LifecycleStage.DORMANT: N_("Dormant"),
    LifecycleStage.LOST: N_("Lost"),
}


async def broadcasts_page(request: web.Request) -> web.Response:
    require_role(request, *SENDERS)
    choices = await care.segment_choices(request.app[POOL])
    return render(
        request,
        "admin_broadcasts.html",
        {
            "tiers": [t.value for t in Tier],
            "stages": [(s.value, label) for s, label in STAGE_LABELS.items()],
            "territories": choices["territories"],
            "tags": choices["tags"],
        },
    )


ROUTES: list[Route] = [
    Route(
        "GET", "/admin/broadcasts", broadcasts_page, "Broadcasts (supervisor, admin)", console=True
    ),
]
