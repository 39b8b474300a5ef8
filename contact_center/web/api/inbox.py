"""REST handler of the agent's inbox: a view of active tickets, its filters, sort and counts."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from contact_center import tickets
from contact_center.errors import Invalid
from contact_center.tickets import (
    Channel,
    InboxCounts,
    InboxFilter,
    InboxRow,
    Kind,
    Sort,
    Status,
    View,
    Viewer,
)
from contact_center.timeutil import utc_now
from contact_center.web.api.answers import object_of
from contact_center.web.api.paging import enum_choice, enum_filter, page_limit
from contact_center.web.auth import STAFF, current_user, require_role
from contact_center.web.jsonio import json_response
from contact_center.web.keys import POOL
from contact_center.web.route import API, Route

# An empty value means "any", as a plain HTML form sends it.
ACTIVE = ["new", "open", "pending"]


def _flag(request: web.Request, name: str) -> bool | None:
    raw = request.query.get(name) or None
    if raw not in {None, "true", "false"}:
        raise Invalid(f"{name} must be true or false", field=name)
    return None if raw is None else raw == "true"


def read_inbox_filter(request: web.Request) -> InboxFilter:
    """The inbox query parameters as a filter (shared with the console's inbox page)."""
    tier = request.query.get("tier") or None
    if tier not in {None, "A", "B", "C"}:
        raise Invalid("tier must be A, B or C", field="tier")
    return InboxFilter(
        view=enum_choice(request, "view", View) or View.OPEN,
        status=enum_filter(request, "status", Status),
        kind=enum_filter(request, "kind", Kind),
        channel=enum_filter(request, "channel", Channel),
        tier=tier,
        key_account=_flag(request, "key_account"),
        tag=request.query.get("tag") or None,
        overdue=_flag(request, "overdue"),
        sort=enum_choice(request, "sort", Sort) or Sort.ACTIVITY,
    )


def inbox_viewer(request: web.Request) -> Viewer:
    user = current_user(request)
    return Viewer(user.id, list(user.queues))


async def list_inbox(request: web.Request) -> web.Response:
    require_role(request, *STAFF)
    page = await tickets.list_inbox(
        request.app[POOL],
        inbox_viewer(request),
        read_inbox_filter(request),
        cursor=request.query.get("cursor") or None,
        limit=page_limit(request),
        now=utc_now(),
    )
    return json_response(
        {"items": page.items, "counts": page.counts, "next_cursor": page.next_cursor}
    )


def _any_of(values: list[str]) -> dict[str, Any]:
    return {
        "type": "array",
        "items": {"enum": values},
        "description": "any of (comma-separated); empty means all",
    }


def _one_of(values: list[str], description: str) -> dict[str, Any]:
    return {"enum": [*values, ""], "description": description}


INBOX_ANSWER = {
    "type": "object",
    "properties": {
        "items": {"type": "array", "items": object_of(InboxRow)},
        "counts": object_of(InboxCounts),
        "next_cursor": {"type": ["string", "null"], "description": "null on the last page"},
    },
    "required": ["items", "counts", "next_cursor"],
}

ROUTES: list[Route] = [
    Route(
        "GET",
        f"{API}/inbox",
        list_inbox,
        "The agent's inbox: one view of active tickets, filtered and sorted, with every view's"
        " count under the same filters",
        query=(
            "view",
            "status",
            "kind",
            "channel",
            "tier",
            "key_account",
            "tag",
            "overdue",
            "sort",
            "cursor",
            "limit",
        ),
        query_schemas={
            "view": _one_of(
                [v.value for v in View],
                "mine (assigned to me), queues (in my queues), unassigned, open (all; default)",
            ),
            "status": _any_of(ACTIVE),
            "kind": _any_of([k.value for k in Kind]),
            "channel": _any_of(["voice", "web", "sms", "email"]),
            "tier": _one_of(["A", "B", "C"], "the tier of the customer's account"),
            "key_account": _one_of(["true", "false"], "the customer's account is a key account"),
            "tag": {"type": "string", "maxLength": 200, "description": "tickets with this tag"},
            "overdue": _one_of(["true", "false"], "first response past due (or not)"),
            "sort": _one_of(
                [s.value for s in Sort],
                "activity (latest message first; default), oldest, priority (most urgent, then"
                " oldest), due (first response due soonest)",
            ),
        },
        tag="tickets",
        answer=INBOX_ANSWER,
    ),
]
