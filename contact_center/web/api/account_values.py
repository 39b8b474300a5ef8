"""REST handler for an account's values: its value and month totals in the tier window now, how
the last tier run counted it (share, rank), and its imported entries a page at a time. Readable
as the account's tier is: its manager, supervisors and admins."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from aiohttp import web

from contact_center import accounts
from contact_center.timeutil import utc_now
from contact_center.web.api import account_schemas as s
from contact_center.web.api.accounts import readable_account
from contact_center.web.api.paging import page_limit, read_day_cursor, write_day_cursor
from contact_center.web.auth import STAFF, parse_id, require_role
from contact_center.web.jsonio import json_response
from contact_center.web.keys import POOL
from contact_center.web.route import API, Route


def _money(amount: Decimal) -> str:
    return f"{amount:.2f}"


def _last_run_view(run: accounts.LastRun | None) -> dict[str, Any] | None:
    if run is None:
        return None
    return {
        "ran_at": run.ran_at,
        "window_from": run.window_from,
        "window_to": run.window_to,
        "tier": run.tier,
        "value": _money(run.value),
        "share": run.share,
        "rank": run.rank,
        "accounts": run.accounts,
        "share_before": run.share_before,
    }


def _values_view(found: accounts.AccountValues) -> dict[str, Any]:
    after = found.next_after
    return {
        "organization_id": found.organization_id,
        "window_from": found.window_from,
        "window_to": found.window_to,
        "value": _money(found.value),
        "months": [
            {
                "month": f"{m.month:%Y-%m}",
                "first_day": m.first_day,
                "last_day": m.last_day,
                "amount": _money(m.amount),
            }
            for m in found.months
        ],
        "last_run": _last_run_view(found.last_run),
        "entries": [
            {
                "source_id": e.source_id,
                "kind": e.kind,
                "amount": _money(e.amount),
                "account_total": None if e.account_total is None else _money(e.account_total),
                "occurred_on": e.occurred_on,
                "imported_at": e.imported_at,
                "updated_at": e.updated_at,
            }
            for e in found.entries
        ],
        "next_cursor": write_day_cursor(*after) if after else None,
    }


async def get_values(request: web.Request) -> web.Response:
    user = require_role(request, *STAFF)
    org_id = parse_id(request.match_info["id"], "account")
    limit, after = page_limit(request), read_day_cursor(request)
    await readable_account(request, user, org_id, what="values")
    found = await accounts.account_values(
        request.app[POOL], org_id, now=utc_now(), limit=limit, after=after
    )
    return json_response(_values_view(found))


ROUTES: list[Route] = [
    Route(
        "GET",
        f"{API}/accounts/{{id}}/values",
        get_values,
        "An account's values: its value and month totals in the tier window now, its share and"
        " rank at the last tier run, and its imported entries newest first, a page at a time",
        query=("limit", "cursor"),
        tag="accounts",
        answer=s.ACCOUNT_VALUES,
        responses={403: "not the account's manager", 404: "no such account"},
    ),
]
