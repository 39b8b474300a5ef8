"""The inbox: the agent's start page at `/`. The first page of the chosen view is rendered on
the server; `static/inbox.js` then keeps it current from `GET /api/v1/inbox` on live events."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from aiohttp import web

from contact_center import routing, tickets
from contact_center.errors import Invalid
from contact_center.i18n import N_
from contact_center.i18n import gettext as _
from contact_center.tickets import ACTIVE_STATUSES, InboxFilter, InboxPage, Sort, View
from contact_center.timeutil import utc_now
from contact_center.web.api.inbox import inbox_viewer, read_inbox_filter
from contact_center.web.api.paging import page_limit
from contact_center.web.auth import STAFF, require_role
from contact_center.web.console.labels import STATUS_LABELS, ticket_labels, translated
from contact_center.web.console.pages import data_block, render
from contact_center.web.keys import POOL
from contact_center.web.route import Route

VIEWS = [
    (View.MINE, N_("My tickets")),
    (View.QUEUES, N_("My queues")),
    (View.UNASSIGNED, N_("Unassigned")),
    (View.OPEN, N_("All open")),
]
SORT_LABELS = {
    Sort.ACTIVITY: N_("Latest activity"),
    Sort.OLDEST: N_("Oldest first"),
    Sort.PRIORITY: N_("Priority, then age"),
    Sort.DUE: N_("Response due soonest"),
}
# Strings inbox.js shows when it draws rows itself, translated into the page's language.
SCRIPT_TEXT = {
    "overdue": N_("Overdue"),
    "key_account": N_("Key account"),
    "tier": N_("Tier %(tier)s"),
    "unassigned": N_("Unassigned"),
    "empty": N_("No tickets here."),
    "failed": N_("Could not refresh the inbox; it will try again on the next change."),
    "loading": N_("Loading…"),
}
FILTER_NAMES = (
    "status",
    "kind",
    "channel",
    "queue",
    "tier",
    "key_account",
    "tag",
    "overdue",
    "sort",
)


def _labels() -> dict[str, dict[str, str]]:
    """Every label the page and its script show, translated (enum value → text)."""
    return {
        **ticket_labels(),
        "status": translated({k: STATUS_LABELS[k] for k in ACTIVE_STATUSES}),
        "sort": translated(SORT_LABELS),
        "text": translated(SCRIPT_TEXT),
    }


def _query(request: web.Request, **changes: str | None) -> str:
    """This page's filters with `changes` applied (None drops one), as `?a=b&…`."""
    params = {k: request.query[k] for k in ("view", *FILTER_NAMES) if request.query.get(k)}
    params.update({k: v for k, v in changes.items() if v is not None})
    for name in [k for k, v in changes.items() if v is None]:
        params.pop(name, None)
    return "?" + urlencode(params) if params else "/"


async def inbox_page(request: web.Request) -> web.StreamResponse:
    require_role(request, *STAFF)
    error = ""
    try:
        where = read_inbox_filter(request)
        limit = page_limit(request)
        cursor = request.query.get("cursor") or None
        page = await _load(request, where, cursor, limit)
    except Invalid as exc:
        error = _("That filter is not valid (%(field)s); showing all open tickets.") % {
            "field": exc.field or "?"
        }
        where, limit, cursor = InboxFilter(), 50, None
        page = await _load(request, where, None, limit)
    labels = _labels()
    filters = (
        {}
        if error
        else {k: v for k in (*FILTER_NAMES, "view", "limit") if (v := request.query.get(k))}
    )
    context: dict[str, Any] = {
        "page": page,
        "where": where,
        "query": request.query,
        "error": error,
        "views": [
            (view, _(label), _query(request, view=view.value, cursor=None)) for view, label in VIEWS
        ],
        "counts": page.counts,
        "labels": labels,
        "queues": await routing.list_queues(request.app[POOL]),
        "more_url": _query(request, cursor=page.next_cursor) if page.next_cursor else "",
        "cursor": cursor or "",
        "limit": limit,
        # The filters the page shows, which the script re-reads with: none when the URL's were
        # refused, so a wrong link does not break the live refresh too.
        "inbox_data": data_block(
            {"labels": labels, "next_cursor": page.next_cursor, "filters": filters}
        ),
    }
    return render(request, "inbox.html", context)


async def _load(
    request: web.Request, where: InboxFilter, cursor: str | None, limit: int
) -> InboxPage:
    return await tickets.list_inbox(
        request.app[POOL],
        inbox_viewer(request),
        where,
        cursor=cursor,
        limit=limit,
        now=utc_now(),
    )


ROUTES: list[Route] = [Route("GET", "/", inbox_page, "Inbox", console=True)]
