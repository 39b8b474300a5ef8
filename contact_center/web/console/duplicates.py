"""Reviewing duplicate customers: the suggestions (`/customers/duplicates`), dismissing one,
the merge preview page, the merge itself and its undo. The work is the API's: the same
service calls (customers.list_duplicate_suggestions, merges.preview_merge/merge/unmerge)."""

from __future__ import annotations

from uuid import UUID

from aiohttp import web

from contact_center import customers, merges
from contact_center.errors import Conflict, Invalid, NotFound
from contact_center.web.auth import (
    MERGE_OVERSEERS,
    MERGERS,
    access_customer,
    actor_of,
    parse_id,
    require_role,
)
from contact_center.web.console import customer_labels as labels
from contact_center.web.console.pages import render
from contact_center.web.keys import POOL
from contact_center.web.route import Route

PAGE = 50


def _after(request: web.Request) -> UUID | None:
    raw = request.query.get("after", "")
    try:
        return UUID(raw) if raw else None
    except ValueError:
        return None


async def duplicates_page(request: web.Request) -> web.StreamResponse:
    require_role(request, *MERGERS)
    page = await customers.list_duplicate_suggestions(
        request.app[POOL], after=_after(request), limit=PAGE
    )
    return render(
        request,
        "duplicates.html",
        {
            "page": page,
            "reason_labels": labels.REASON_LABELS,
            "dismissed": request.query.get("dismissed") == "1",
        },
    )


async def dismiss_submit(request: web.Request) -> web.StreamResponse:
    require_role(request, *MERGERS)
    form = await request.post()
    a = parse_id(str(form.get("a", "")), "customer")
    b = parse_id(str(form.get("b", "")), "customer")
    await customers.dismiss_duplicate(request.app[POOL], actor_of(request), a, b)
    raise web.HTTPSeeOther("/customers/duplicates?dismissed=1")


async def preview_page(request: web.Request) -> web.StreamResponse:
    require_role(request, *MERGERS)
    keep = await access_customer(request, request.query.get("keep", ""))
    other = await access_customer(request, request.query.get("other", ""))
    try:
        preview = await merges.preview_merge(request.app[POOL], keep.id, other.id)
    except Conflict as exc:
        return render(request, "error.html", {"status": 409, "message": exc.message}, status=409)
    return render(
        request, "merge_preview.html", {"preview": preview, "field_labels": labels.FIELD_LABELS}
    )


async def merge_submit(request: web.Request) -> web.StreamResponse:
    require_role(request, *MERGERS)
    form = await request.post()
    keep = await access_customer(request, str(form.get("keep", "")))
    other = await access_customer(request, str(form.get("other", "")))
    try:
        await merges.merge_customers(request.app[POOL], actor_of(request), keep.id, other.id)
    except Conflict as exc:
        return render(request, "error.html", {"status": 409, "message": exc.message}, status=409)
    raise web.HTTPSeeOther(f"/customers/{keep.id}?merged={other.id}")


async def unmerge_submit(request: web.Request) -> web.StreamResponse:
    user = require_role(request, *MERGERS)
    merged = await access_customer(request, request.match_info["id"])
    try:
        await merges.unmerge_customer(
            request.app[POOL],
            actor_of(request),
            merged.id,
            any_merge=user.has_role(*MERGE_OVERSEERS),
        )
    except (Conflict, NotFound, Invalid) as exc:
        return render(request, "error.html", {"status": 409, "message": exc.message}, status=409)
    raise web.HTTPSeeOther(f"/customers/{merged.id}")


ROUTES: list[Route] = [
    Route("GET", "/customers/duplicates", duplicates_page, "Suggested duplicates", console=True),
    Route(
        "POST",
        "/customers/duplicates/dismiss",
        dismiss_submit,
        "Not one person (form)",
        console=True,
    ),
    Route("GET", "/customers/duplicates/merge", preview_page, "Merge preview", console=True),
    Route("POST", "/customers/duplicates/merge", merge_submit, "Merge (form)", console=True),
    Route("POST", "/customers/{id}/unmerge", unmerge_submit, "Undo a merge (form)", console=True),
]
