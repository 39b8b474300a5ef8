"""REST handler for an account's health: the four figures with their trend and history, and its
lifecycle stage with the latest moves. Account managers see their own accounts; supervisors
and admins every account."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from contact_center import accounts
from contact_center.timeutil import utc_now
from contact_center.users import Role
from contact_center.web.api.accounts import readable_account
from contact_center.web.auth import parse_id, require_role
from contact_center.web.jsonio import json_response
from contact_center.web.keys import POOL
from contact_center.web.route import API, Route

NUMBER = {"type": ["number", "null"]}
FIGURE = {
    "type": "object",
    "required": ["value", "trend_30", "trend_90"],
    "properties": {"value": NUMBER, "trend_30": NUMBER, "trend_90": NUMBER},
}
HEALTH_ANSWER: dict[str, Any] = {
    "type": "object",
    "required": ["organization_id", "day", "lifecycle_stage", "figures", "history"],
    "properties": {
        "organization_id": {"type": "string", "format": "uuid"},
        "day": {"type": ["string", "null"], "format": "date"},
        "lifecycle_stage": {"type": "string"},
        "figures": {
            "type": "object",
            "properties": {name: FIGURE for name in accounts.health.FIGURES},
        },
        "contribution_rank": {"type": ["integer", "null"]},
        "details": {"type": "object"},
        "history": {"type": "array", "items": {"type": "object"}},
        "lifecycle_changes": {"type": "array", "items": {"type": "object"}},
    },
}


async def get_account_health(request: web.Request) -> web.Response:
    user = require_role(request, Role.ACCOUNT_MANAGER, Role.SUPERVISOR, Role.ADMIN)
    account_id = parse_id(request.match_info["id"], "account")
    # An organization or a customer's personal account: both have health.
    account = await readable_account(request, user, account_id, what="health")
    found, moves = await accounts.health_card(request.app[POOL], account_id, now=utc_now())
    return json_response(
        {
            "organization_id": account_id,
            "day": found.day,
            "lifecycle_stage": account.lifecycle_stage,
            "figures": {
                f.name: {"value": f.value, "trend_30": f.trend_30, "trend_90": f.trend_90}
                for f in found.figures
            },
            "contribution_rank": found.contribution_rank,
            "details": found.details,
            "history": found.history,
            "lifecycle_changes": moves,
        }
    )


ROUTES: list[Route] = [
    Route(
        "GET",
        f"{API}/accounts/{{id}}/health",
        get_account_health,
        "An account's health figures with trend and history, and its lifecycle stage",
        tag="accounts",
        answer=HEALTH_ANSWER,
        responses={403: "Not the account's manager", 404: "No such account"},
    ),
]
