"""Customer screens: search (`/customers`), the info card with its edit form and history
(`/customers/<id>`), and an organization with its contacts (`/organizations/<id>`)."""

from __future__ import annotations

import json
import re
from typing import Any
from uuid import UUID

from aiohttp import web

from contact_center import accounts, audit, customers, merges, tickets, users, workflows
from contact_center.customers import Customer, Organization
from contact_center.errors import Conflict, Forbidden, Invalid, NotFound
from contact_center.i18n import gettext as _
from contact_center.tickets import Kind, Status, TicketFilter
from contact_center.timeutil import utc_now
from contact_center.web.api.views import customer_view
from contact_center.web.auth import (
    MERGE_OVERSEERS,
    OVERSEERS,
    STAFF,
    access_customer,
    access_organization,
    actor_of,
    current_user,
    require_role,
)
from contact_center.web.console import customer_labels as labels
from contact_center.web.console.labels import CHANNEL_LABELS, STATUS_LABELS
from contact_center.web.console.pages import data_block, render
from contact_center.web.keys import POOL, SETTINGS
from contact_center.web.route import Route

SEARCH_LIMIT = 50
ORGANIZATION_LIMIT = 20
RECENT_TICKETS = 10
OPEN = [Status.NEW, Status.OPEN, Status.PENDING]
TEXT_FIELDS = ("name", "job_title", "preferences", "language", "notes")
# The edit form's other fields (read_card_form turns each into its change).
FORM_ONLY_FIELDS = ("birthday", "preferred_channel", "tags", "phones", "emails")
# The account's fields: on the form only for a customer's personal account; a member's account
# is its organization's, shown but not edited on the customer's card.
ACCOUNT_FORM_FIELDS = (
    "tier",
    "account_manager_id",
    "route_territory",
    "route_weekday",
    "is_key_account",
)
LIST_SPLIT = re.compile(r"[\n,，;；]+")
SHARED = {
    "field_labels": labels.FIELD_LABELS,
    "action_labels": labels.ACTION_LABELS,
    "weekdays": labels.WEEKDAYS,
    "channel_labels": CHANNEL_LABELS,
    "language_labels": labels.LANGUAGE_LABELS,
    "status_labels": STATUS_LABELS,
    "show_phone": customers.display_phone,
}


async def search_page(request: web.Request) -> web.StreamResponse:
    require_role(request, *STAFF)
    q = request.query.get("q", "").strip()
    found: list[Customer] = []
    organizations: list[Organization] = []
    if q:
        found = await customers.search_customers(
            request.app[POOL],
            q,
            region=request.app[SETTINGS].default_phone_region,
            limit=SEARCH_LIMIT,
        )
        # An account is looked for by its organization's name too (its contacts may not
        # carry it); the organization's page leads to them.
        organizations = await customers.list_organizations(
            request.app[POOL], q=q, limit=ORGANIZATION_LIMIT
        )
    context = {
        **SHARED,
        "q": q,
        "found": found,
        "organizations": organizations,
        "limit": SEARCH_LIMIT,
        "organization_limit": ORGANIZATION_LIMIT,
    }
    return render(request, "customers.html", context)


async def card_context(request: web.Request, customer: Customer) -> dict[str, Any]:
    """Everything the info card shows: its account, open complaints, recent tickets, history.
    Other screens (the ticket page) may render `customer_card.html` with the same context."""
    pool = request.app[POOL]
    manager, survivor = None, None
    # The account is read with the card (customers.account_of reads the same): a member's is
    # its organization's, and the page says so.
    account = customer.account
    if account.account_manager_id:
        manager = await _user_or_none(request, account.account_manager_id)
    if customer.merged_into_id:
        survivor = await customers.get_customer(pool, customer.merged_into_id)
    mine = TicketFilter(customer_id=customer.id)
    recent = await tickets.list_tickets(pool, mine, limit=RECENT_TICKETS)
    complaints = await tickets.list_tickets(
        pool, TicketFilter(customer_id=customer.id, kind=[Kind.COMPLAINT], status=OPEN), limit=20
    )
    async with pool.acquire() as conn:
        history = await audit.list_entries(conn, "customer", [str(customer.id)])
        risks = await workflows.accounts_risk(conn, [account.organization_id], now=utc_now())
    just_merged = await _just_merged(request, customer)
    staff = await users.list_users(pool)
    return {
        **SHARED,
        "account_overseer": current_user(request).has_role(*OVERSEERS),
        "just_merged": just_merged,
        "customer": customer,
        # The card as the API answers it: the page's script compares it with a fresh copy
        # when a live event names this customer, and reloads only when they differ.
        "card_json": data_block(customer_view(customer)),
        "organization": None if account.personal else account,
        "account": account,
        "key_account": account.key_account,
        "manager": manager,
        "from_organization": not account.personal,
        "tier": account.tier,
        "route": (account.route_territory, account.route_weekday),
        "survivor": survivor,
        "recent": recent.tickets,
        "complaints": complaints.tickets,
        "at_risk": risks.get(account.organization_id),
        "history": list(reversed(history)),
        "staff": staff,
        "staff_names": {u.id: u.name or u.email for u in staff},
        "can_undo": await _may_undo(request, just_merged or customer),
    }


async def _may_undo(request: web.Request, merged: Customer) -> bool:
    """Whether this user may undo the latest merge of `merged` (the card merged away)."""
    user = current_user(request)
    found = await merges.latest_merge(request.app[POOL], merged.id)
    return found is not None and merges.may_undo_merge(
        any_merge=user.has_role(*MERGE_OVERSEERS),
        user_id=user.id,
        merged_by=found[0],
        merged_at=found[1],
        now=utc_now(),
    )


async def _just_merged(request: web.Request, customer: Customer) -> Customer | None:
    """The card merged into this one by the merge that sent the browser here (`?merged=`)."""
    raw = request.query.get("merged", "")
    try:
        merged = await customers.get_customer(request.app[POOL], UUID(raw)) if raw else None
    except (ValueError, NotFound):
        return None
    return merged if merged and merged.merged_into_id == customer.id else None


async def _user_or_none(request: web.Request, user_id: UUID) -> users.User | None:
    try:
        return await users.get_user(request.app[POOL], user_id)
    except NotFound:
        return None


async def card_page(request: web.Request) -> web.StreamResponse:
    customer = await access_customer(request, request.match_info["id"])
    context = await card_context(request, customer)
    return render(request, "customer.html", {**context, "form": None, "error": ""})


def read_card_form(form: Any, *, personal: bool, overseer: bool = True) -> dict[str, Any]:
    """The edit form as the changes `customers.update_customer` takes (checked there); the
    account's fields only for a personal account (a member's form has none), and its tier, key
    flag and manager only from supervisors and admins (read-only on the others' form)."""
    changes: dict[str, Any] = {name: str(form.get(name, "")).strip() for name in TEXT_FIELDS}
    for name in ("birthday", "preferred_channel"):
        changes[name] = str(form.get(name, "")).strip() or None
    if personal:
        changes["route_territory"] = str(form.get("route_territory", "")).strip()
        for name in ("tier", "account_manager_id") if overseer else ():
            changes[name] = str(form.get(name, "")).strip() or None
        weekday = str(form.get("route_weekday", "")).strip()
        changes["route_weekday"] = int(weekday) if weekday.isdigit() else (weekday or None)
        if overseer:
            changes["is_key_account"] = form.get("is_key_account") == "on"
    changes["tags"] = [t.strip() for t in LIST_SPLIT.split(str(form.get("tags", ""))) if t.strip()]
    for name in ("phones", "emails"):
        changes[name] = [v.strip() for v in str(form.get(name, "")).splitlines() if v.strip()]
    return changes


def edited_fields(form: Any) -> set[str] | None:
    """The fields this editor changed, when the page sent the form as it was opened (`opened`,
    added by customers.js); None without it (no script): then the whole form is checked
    against the card's version instead."""
    try:
        opened = json.loads(str(form.get("opened", "")))
    except ValueError:
        return None
    if not isinstance(opened, dict):
        return None
    names = {*TEXT_FIELDS, *FORM_ONLY_FIELDS, *ACCOUNT_FORM_FIELDS}
    return {n for n in names if str(form.get(n, "")) != str(opened.get(n, ""))}


async def card_submit(request: web.Request) -> web.StreamResponse:
    customer = await access_customer(request, request.match_info["id"])
    form = await request.post()
    overseer = current_user(request).has_role(*OVERSEERS)
    changes = read_card_form(form, personal=customer.account.personal, overseer=overseer)
    version = str(form.get("version", "")) or None
    edited = edited_fields(form)
    if edited is not None:
        # Field by field: what this agent changed goes on top of the card as it is now, so
        # a phone another agent added meanwhile is kept.
        changes, version = {k: v for k, v in changes.items() if k in edited}, None
    try:
        await accounts.edit_customer(
            request.app[POOL],
            actor_of(request),
            customer.id,
            changes,
            region=request.app[SETTINGS].default_phone_region,
            expected_version=version,
            overseer=overseer,
            now=utc_now(),
        )
    except (Invalid, Conflict, NotFound, Forbidden) as exc:
        context = await card_context(request, customer)
        label = labels.FIELD_LABELS.get((exc.field or "").split("[")[0], "")
        error = f"{_(label)}: {exc.message}" if label else exc.message
        return render(
            request,
            "customer.html",
            {**context, "form": form, "error": error},
            status=409 if isinstance(exc, Conflict) else 403 if isinstance(exc, Forbidden) else 422,
        )
    raise web.HTTPSeeOther(f"/customers/{customer.id}#card")


async def organization_page(request: web.Request) -> web.StreamResponse:
    org, members = await access_organization(request, request.match_info["id"])
    context = {**SHARED, "org": org, "members": members}
    return render(request, "organization.html", context)


ROUTES: list[Route] = [
    Route("GET", "/customers", search_page, "Customer search", console=True),
    Route("GET", "/customers/{id}", card_page, "A customer's info card", console=True),
    Route("POST", "/customers/{id}", card_submit, "Change a customer's card (form)", console=True),
    Route("GET", "/organizations/{id}", organization_page, "An organization", console=True),
]
