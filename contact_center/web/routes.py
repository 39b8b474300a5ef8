"""Every console and API URL in one table, joined from the modules that serve them.

Each `web/api/<resource>.py` exports its own `ROUTES`; this module only joins them, in the
order the OpenAPI document and the index list them, and puts authentication in front.
"""

from __future__ import annotations

from aiohttp import web

from contact_center import i18n
from contact_center.errors import Forbidden, NotFound, Unauthorized
from contact_center.web.api import (
    account_health,
    account_values,
    accounts,
    callbacks,
    canned,
    care,
    cases,
    clocks,
    complaints,
    customers,
    devsink,
    duplicates,
    followups,
    health,
    inbox,
    index,
    organizations,
    outbox,
    queues,
    routing,
    site_settings,
    tickets,
    timeline,
    users,
    visits,
    workflows,
)
from contact_center.web.auth import authenticate
from contact_center.web.console import accounts as account_pages
from contact_center.web.console import (
    admin,
    admin_calendar,
    admin_care,
    admin_classifier,
    admin_queues,
    admin_workflows,
    live,
    signin,
    static_files,
    supervisor,
    survey,
    ticket,
)
from contact_center.web.console import customers as customer_pages
from contact_center.web.console import duplicates as duplicate_pages
from contact_center.web.console import inbox as inbox_screen
from contact_center.web.console import visits as visit_pages
from contact_center.web.console.pages import error_page, page_locale, sign_in_redirect, wants_page
from contact_center.web.errors import status_of
from contact_center.web.keys import ROUTE_TABLE, USER
from contact_center.web.route import Handler, Route

ROUTES: list[Route] = [
    *inbox_screen.ROUTES,
    *signin.ROUTES,
    *admin.ROUTES,
    *admin_queues.ROUTES,
    *admin_workflows.ROUTES,
    *admin_classifier.ROUTES,
    *admin_calendar.ROUTES,
    *admin_care.ROUTES,
    *ticket.ROUTES,
    *supervisor.ROUTES,
    *duplicate_pages.ROUTES,  # before customer_pages: `/customers/duplicates` is not an id
    *customer_pages.ROUTES,
    *account_pages.ROUTES,
    *visit_pages.ROUTES,
    *static_files.ROUTES,
    *survey.ROUTES,
    *index.ROUTES,
    *health.ROUTES,
    *users.ROUTES,
    *duplicates.ROUTES,  # before customers: `/customers/duplicates` is not `/customers/{id}`
    *customers.ROUTES,
    *organizations.ROUTES,
    *accounts.ROUTES,
    *account_values.ROUTES,
    *account_health.ROUTES,
    *visits.ROUTES,
    *care.ROUTES,
    *tickets.ROUTES,
    *timeline.ROUTES,
    *followups.ROUTES,
    *canned.ROUTES,
    *callbacks.ROUTES,
    *complaints.ROUTES,
    *cases.ROUTES,
    *workflows.ROUTES,
    *clocks.ROUTES,
    *inbox.ROUTES,
    *queues.ROUTES,
    *outbox.ROUTES,
    *routing.ROUTES,
    *site_settings.ROUTES,
    *devsink.ROUTES,
    *live.ROUTES,
]


def guarded(route: Route) -> Handler:
    """Authenticate before the handler runs, unless the route is public."""
    if route.console:
        return console_page(route)
    if route.public:
        return route.handler

    async def handler(request: web.Request) -> web.StreamResponse:
        request[USER] = await authenticate(request)
        # Labels and refusals in the caller's language, as on the console's pages.
        with i18n.using(page_locale(request)):
            return await route.handler(request)

    return handler


def console_page(route: Route) -> Handler:
    """A console page: without a session a browser is sent to sign in; a refusal or a missing
    object is shown as a page. Scripts and streams get the JSON errors of the API."""

    async def handler(request: web.Request) -> web.StreamResponse:
        try:
            if not route.public:
                request[USER] = await authenticate(request)
            # Strings the handler writes (form errors) follow the page's language.
            with i18n.using(page_locale(request)):
                return await route.handler(request)
        except Unauthorized:
            if wants_page(request):
                raise sign_in_redirect(request) from None
            raise
        except (Forbidden, NotFound) as exc:
            if wants_page(request):
                return error_page(request, status_of(exc), exc.message)
            raise

    return handler


def add_routes(app: web.Application, routes: list[Route]) -> None:
    app[ROUTE_TABLE] = routes
    for route in routes:
        app.router.add_route(route.method, route.path, guarded(route))
