"""Serving web/static under cache-busting names (see assets.py)."""

from contact_center.web.console.assets import static_file
from contact_center.web.route import Route

ROUTES: list[Route] = [
    Route(
        "GET",
        "/static/{name}",
        static_file,
        "Console scripts and styles",
        public=True,
        console=True,
    )
]
