"""REST handlers for reviewing duplicate customers: suggestions, dismissing one, and what a
merge would move. The merge and its undo are `customers.py`'s merge/unmerge."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from aiohttp import web

from contact_center import customers, merges
from contact_center.errors import Invalid
from contact_center.web.api import answers, schemas
from contact_center.web.api.paging import page_limit
from contact_center.web.api.views import merge_preview_view, suggestion_view
from contact_center.web.auth import (
    MERGERS,
    access_customer,
    actor_of,
    parse_id,
    require_role,
)
from contact_center.web.jsonio import json_response, read_json
from contact_center.web.keys import POOL
from contact_center.web.route import API, Route


def _cursor(request: web.Request) -> UUID | None:
    raw = request.query.get("cursor")
    if not raw:
        return None
    try:
        return UUID(raw)
    except ValueError:
        raise Invalid("not a cursor returned by this API", field="cursor") from None


async def list_duplicates(request: web.Request) -> web.Response:
    require_role(request, *MERGERS)
    page = await customers.list_duplicate_suggestions(
        request.app[POOL], after=_cursor(request), limit=page_limit(request)
    )
    body: dict[str, Any] = {
        "suggestions": [suggestion_view(s, page.customers) for s in page.suggestions],
        "next_cursor": str(page.next_after) if page.next_after else None,
    }
    return json_response(body)


async def dismiss_duplicate(request: web.Request) -> web.Response:
    require_role(request, *MERGERS)
    body = await read_json(request, schemas.DUPLICATE_DISMISS)
    a, b = parse_id(body["a"], "customer"), parse_id(body["b"], "customer")
    await customers.dismiss_duplicate(request.app[POOL], actor_of(request), a, b)
    return json_response({"dismissed": {"a": str(min(a, b)), "b": str(max(a, b))}})


async def merge_preview(request: web.Request) -> web.Response:
    require_role(request, *MERGERS)
    survivor = await access_customer(request, request.match_info["id"])
    raw = request.query.get("other")
    if not raw:
        raise Invalid("name the customer to merge in: ?other=ID", field="other")
    other = await access_customer(request, raw)
    preview = await merges.preview_merge(request.app[POOL], survivor.id, other.id)
    return json_response(merge_preview_view(preview))


ROUTES: list[Route] = [
    Route(
        "GET",
        f"{API}/customers/duplicates",
        list_duplicates,
        "Suggested duplicate customers, best first within a page, with the reasons",
        query=("limit", "cursor"),
        query_schemas={
            "cursor": {"type": "string", "format": "uuid", "description": "`next_cursor`"}
        },
        tag="customers",
        answer=answers.DUPLICATES,
    ),
    Route(
        "POST",
        f"{API}/customers/duplicates/dismiss",
        dismiss_duplicate,
        "These two customers are not one person: never suggest the pair again",
        body=schemas.DUPLICATE_DISMISS,
        tag="customers",
        responses={404: "no such customer", 409: "the same customer twice"},
        answer=answers.DISMISSED,
    ),
    Route(
        "GET",
        f"{API}/customers/{{id}}/merge-preview",
        merge_preview,
        "What merging `other` into this customer would move; changes nothing",
        query=("other",),
        required_query=("other",),
        query_schemas={"other": {"type": "string", "format": "uuid"}},
        tag="customers",
        responses={404: "no such customer", 409: "the same customer twice, or one is merged"},
        answer=answers.MERGE_PREVIEW,
    ),
]
