"""REST handlers for account economics: value import, tier runs, overrides, key accounts and
account tasks. Account managers see their own accounts; supervisors and admins all."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from aiohttp import web

from contact_center import accounts, customers, users
from contact_center.errors import Conflict, Forbidden, Invalid, NotFound
from contact_center.timeutil import utc_now
from contact_center.users import Role, User
from contact_center.web.api import account_schemas as s
from contact_center.web.api.paging import page_limit
from contact_center.web.auth import STAFF, actor_of, may_read_account, parse_id, require_role
from contact_center.web.jsonio import json_response, read_json
from contact_center.web.keys import POOL, SETTINGS
from contact_center.web.route import API, Route

OVERSEERS = (Role.SUPERVISOR, Role.ADMIN)
CSV_TYPES = {"text/csv", "text/plain", "application/csv", "application/octet-stream"}


def _import_view(result: accounts.ImportResult) -> dict[str, Any]:
    return {
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "rejected": result.rejected,
    }


async def import_values(request: web.Request) -> web.Response:
    require_role(request, *OVERSEERS)
    body = await read_json(request, s.VALUES_IMPORT)
    result = await accounts.import_items(
        request.app[POOL],
        actor_of(request),
        body["values"],
        region=request.app[SETTINGS].default_phone_region,
        now=utc_now(),
    )
    return json_response(_import_view(result))


async def import_values_csv(request: web.Request) -> web.Response:
    require_role(request, *OVERSEERS)
    raw = await request.read()
    if raw and request.content_type not in CSV_TYPES:
        raise web.HTTPUnsupportedMediaType(text="send the body as text/csv")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Invalid("the CSV must be UTF-8", field="body") from None
    result = await accounts.import_csv(
        request.app[POOL],
        actor_of(request),
        text,
        region=request.app[SETTINGS].default_phone_region,
        now=utc_now(),
    )
    return json_response(_import_view(result))


async def run_tiers(request: web.Request) -> web.Response:
    require_role(request, *OVERSEERS)
    report = await accounts.run_tiers(
        request.app[POOL], actor_of(request), trigger="manual", now=utc_now()
    )
    return json_response(report)


async def readable_account(
    request: web.Request, user: User | None, account_id: UUID, *, what: str
) -> customers.AccountFacts:
    """The account (an organization or a personal account), if this user may read its `what`
    (`auth.may_read_account`); NotFound or Forbidden otherwise."""
    async with request.app[POOL].acquire() as conn:
        facts = (await customers.account_facts(conn, [account_id])).get(account_id)
    if facts is None:
        raise NotFound("no such account")
    if not may_read_account(user, facts.account_manager_id):
        raise Forbidden(f"only the account's manager, supervisors and admins see its {what}")
    return facts


async def _account(request: web.Request) -> UUID:
    """The account in the path, if this user may read its tier."""
    user = require_role(request, *STAFF)
    org_id = parse_id(request.match_info["id"], "account")
    return (await readable_account(request, user, org_id, what="tier")).id


async def get_tier(request: web.Request) -> web.Response:
    org_id = await _account(request)
    return json_response(await accounts.account_tier(request.app[POOL], org_id))


async def put_override(request: web.Request) -> web.Response:
    require_role(request, *OVERSEERS)
    org_id = await _account(request)
    body = await read_json(request, s.TIER_OVERRIDE)
    pool = request.app[POOL]
    await accounts.set_override(
        pool, actor_of(request), org_id, tier=body["tier"], reason=body["reason"], now=utc_now()
    )
    return json_response(await accounts.account_tier(pool, org_id))


async def delete_override(request: web.Request) -> web.Response:
    require_role(request, *OVERSEERS)
    org_id = await _account(request)
    await accounts.remove_override(request.app[POOL], actor_of(request), org_id, now=utc_now())
    return web.Response(status=204)


async def put_manager(request: web.Request) -> web.Response:
    require_role(request, *OVERSEERS)
    org_id = await _account(request)
    body = await read_json(request, s.MANAGER)
    pool = request.app[POOL]
    try:
        manager = await users.get_user(pool, UUID(body["manager_id"]))
    except NotFound:
        raise NotFound("no such user", field="manager_id") from None
    if manager.role is not Role.ACCOUNT_MANAGER or not manager.active:
        raise Conflict("this user is not an active account manager", field="manager_id")
    await accounts.assign_manager(pool, actor_of(request), org_id, manager.id, now=utc_now())
    return json_response(await accounts.account_tier(pool, org_id))


def _whose(request: web.Request) -> UUID | None:
    """Managers read their own accounts; supervisors all, or one manager's (`manager_id`)."""
    user = require_role(request, *STAFF)
    if user.role is Role.ACCOUNT_MANAGER:
        return user.id
    if not user.has_role(*OVERSEERS):
        raise Forbidden("key accounts are for account managers and supervisors")
    raw = request.query.get("manager_id")
    if raw is None:
        return None
    try:
        return UUID(raw)
    except ValueError:
        raise Invalid("manager_id must be a user id", field="manager_id") from None


def _offset(request: web.Request) -> int:
    raw = request.query.get("offset") or "0"
    if not raw.isdigit():
        raise Invalid("offset must be a whole number from 0", field="offset")
    return int(raw)


async def list_key_accounts(request: web.Request) -> web.Response:
    found = await accounts.key_accounts(
        request.app[POOL],
        manager_id=_whose(request),
        limit=page_limit(request),
        offset=_offset(request),
    )
    return json_response(found)


async def list_moves(request: web.Request) -> web.Response:
    found = await accounts.tier_moves(request.app[POOL], manager_id=_whose(request))
    return json_response({"moves": found})


async def list_tasks(request: web.Request) -> web.Response:
    user = require_role(request, *STAFF)
    async with request.app[POOL].acquire() as conn:
        if user.has_role(*OVERSEERS):  # every open task, the unassigned among them
            found = await accounts.list_tasks(conn)
        else:
            found = await accounts.list_tasks(conn, assignee_id=user.id)
    return json_response({"tasks": found})


async def task_done(request: web.Request) -> web.Response:
    user = require_role(request, *STAFF)
    task_id = parse_id(request.match_info["id"], "account task")
    task = await accounts.finish_task(
        request.app[POOL],
        actor_of(request),
        task_id,
        user_id=user.id,
        overseer=user.has_role(*OVERSEERS),
        now=utc_now(),
    )
    return json_response(task)


ROUTES: list[Route] = [
    Route(
        "POST",
        f"{API}/accounts/values",
        import_values,
        "Import account values (JSON): idempotent by source_id",
        body=s.VALUES_IMPORT,
        tag="accounts",
        answer=s.IMPORT_RESULT,
    ),
    Route(
        "POST",
        f"{API}/accounts/values/import",
        import_values_csv,
        "Import account values from a CSV body (text/csv): idempotent by source_id",
        tag="accounts",
        answer=s.IMPORT_RESULT,
        responses={415: "the body is not text/csv", 422: "the CSV is empty or not UTF-8"},
    ),
    Route(
        "POST",
        f"{API}/tiers/run",
        run_tiers,
        "Re-tier every account now (ABC cut-offs)",
        tag="accounts",
        answer=s.RUN,
    ),
    Route(
        "GET",
        f"{API}/accounts/key",
        list_key_accounts,
        "Key accounts, a page at a time with the total: mine, or (supervisors) all or one"
        " manager's",
        query=("manager_id", "limit", "offset"),
        query_schemas={
            "manager_id": {"type": "string", "format": "uuid"},
            "offset": {"type": "integer", "minimum": 0, "description": "accounts to skip"},
        },
        tag="accounts",
        answer=s.KEY_ACCOUNTS,
    ),
    Route(
        "GET",
        f"{API}/accounts/tier-moves",
        list_moves,
        "Recent tier moves of my accounts (supervisors: all or one manager's)",
        query=("manager_id",),
        query_schemas={"manager_id": {"type": "string", "format": "uuid"}},
        tag="accounts",
        answer=s.MOVES,
    ),
    Route(
        "GET",
        f"{API}/accounts/{{id}}/tier",
        get_tier,
        "An account's tier: computed, override, key flag and moves",
        tag="accounts",
        answer=s.ACCOUNT_TIER,
    ),
    Route(
        "PUT",
        f"{API}/accounts/{{id}}/tier-override",
        put_override,
        "Override an account's tier (wins over every later run until removed)",
        body=s.TIER_OVERRIDE,
        tag="accounts",
        answer=s.ACCOUNT_TIER,
    ),
    Route(
        "DELETE",
        f"{API}/accounts/{{id}}/tier-override",
        delete_override,
        "Remove an account's tier override (back to the computed tier); answers 204",
        tag="accounts",
    ),
    Route(
        "PUT",
        f"{API}/accounts/{{id}}/manager",
        put_manager,
        "Name an account's manager (closes its assignment task, hands over its open tasks)",
        body=s.MANAGER,
        tag="accounts",
        answer=s.ACCOUNT_TIER,
        responses={409: "the user is not an active account manager"},
    ),
    Route(
        "GET",
        f"{API}/account-tasks",
        list_tasks,
        "Open account tasks: mine; supervisors all, the unassigned among them",
        tag="accounts",
        answer=s.TASKS,
    ),
    Route(
        "POST",
        f"{API}/account-tasks/{{id}}/done",
        task_done,
        "Mark an account task done",
        tag="accounts",
        answer=s.TASK,
    ),
]
