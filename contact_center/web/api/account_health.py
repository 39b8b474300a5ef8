"""(Being built.)"""

from __future__ import annotations

from contact_center.web.route import Route

ROUTES: list[Route] = []
