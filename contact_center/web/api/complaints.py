"""REST handlers around complaints that are not a case's steps: the classifier (its phrases,
a try, undoing what it decided), accounts at risk, and the complaint figures for reports."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from aiohttp import web

from contact_center import reports, site, tickets, workflows
from contact_center.errors import Conflict, Invalid
from contact_center.site import SettingKey
from contact_center.timeutil import utc_now
from contact_center.users import Role
from contact_center.web.api import complaint_schemas as schemas
from contact_center.web.auth import STAFF, access_ticket, actor_of, require_role
from contact_center.web.jsonio import json_response, read_json
from contact_center.web.keys import POOL, SETTINGS
from contact_center.web.route import API, Route

EDITORS = (Role.SUPERVISOR, Role.ADMIN)
REPORT_READERS = (Role.SUPERVISOR, Role.ADMIN, Role.ACCOUNT_MANAGER)
MAX_REPORT_DAYS = 366
# The days a report may name: wide enough for any real period, narrow enough that the period
# arithmetic and the database's timestamps never overflow.
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2999, 12, 31)


def _rules_json(rules: tickets.ClassifierRules, version: int) -> dict[str, Any]:
    return {**rules.setting(), "version": version}


async def get_classifier(request: web.Request) -> web.Response:
    require_role(request, *EDITORS)
    rules, version = await tickets.classifier_setting(request.app[POOL])
    return json_response(_rules_json(rules, version))


async def save_classifier(request: web.Request) -> web.Response:
    require_role(request, *EDITORS)
    body = await read_json(request, schemas.CLASSIFIER_SAVE)
    value = {"threshold": body["threshold"], "phrases": body["phrases"]}
    try:
        # The one write path of the setting: the site checks, versions, audits, announces.
        settings = await site.update_setting(
            request.app[POOL],
            actor_of(request),
            SettingKey.CLASSIFIER,
            value,
            version=body["version"],
            now=utc_now(),
        )
    except Invalid as refused:
        # Schema-valid but against a rule (a phrase listed twice): 409, as for site settings.
        raise Conflict(refused.message, field=refused.field) from None
    rules = tickets.rules_from_setting(settings.classifier)
    return json_response(_rules_json(rules, settings.versions.get(SettingKey.CLASSIFIER, 0)))


async def try_classifier(request: web.Request) -> web.Response:
    require_role(request, *STAFF)
    body = await read_json(request, schemas.CLASSIFIER_TRY)
    unsaved = None
    if "phrases" in body or "threshold" in body:
        unsaved = {"threshold": body.get("threshold", 0.5), "phrases": body.get("phrases", [])}
    try:
        found = await tickets.try_classifier(request.app[POOL], body["text"], unsaved)
    except Invalid as refused:
        raise Conflict(refused.message, field=refused.field) from None
    return json_response(
        {"kind": found.kind, "confidence": found.confidence, "matched": list(found.matched)}
    )


async def undo_classification(request: web.Request) -> web.Response:
    ticket = await access_ticket(request, request.match_info["id"])
    undone = await workflows.undo_classification(
        request.app[POOL], actor_of(request), ticket.id, now=utc_now()
    )
    return json_response(undone)


async def accounts_at_risk(request: web.Request) -> web.Response:
    user = require_role(request, *STAFF)
    wanted = request.query.get("manager") or "me"
    if wanted == "all":
        require_role(request, *EDITORS)
        manager_id = None
    elif wanted == "me":
        manager_id = user.id
    else:
        try:
            manager_id = UUID(wanted)
        except ValueError:
            raise Invalid("must be me, all or an account manager's id", field="manager") from None
        if manager_id != user.id:
            # Another manager's accounts: for those who oversee them, as `all` is.
            require_role(request, *EDITORS)
    found = await workflows.accounts_at_risk(
        request.app[POOL], manager_id=manager_id, now=utc_now()
    )
    return json_response({"accounts": found})


def _day(request: web.Request, name: str) -> date | None:
    raw = request.query.get(name)
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise Invalid("must be a date like 2026-03-01", field=name) from None
    if not FIRST_DAY <= day <= LAST_DAY:
        # A well-formed date the report cannot cover (the schema says only "a date").
        raise Conflict(f"a day from {FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()}", field=name)
    return day


def report_period(first: date | None, last: date | None, today: date) -> tuple[date, date]:
    """The days a report covers: both given; `from` alone runs up to today (at most
    MAX_REPORT_DAYS); `to` alone, or neither, the 30 days up to it. Conflict (a schema-valid
    but refused request) for `from` after `to` or a longer period."""
    if first is None:
        last = today if last is None else last
        return last - timedelta(days=29), last
    if last is None:
        last = max(first, min(today, first + timedelta(days=MAX_REPORT_DAYS - 1)))
    if first > last:
        raise Conflict("`from` must not be after `to`", field="from")
    if (last - first).days >= MAX_REPORT_DAYS:
        raise Conflict(f"at most {MAX_REPORT_DAYS} days at once", field="from")
    return first, last


async def complaint_report(request: web.Request) -> web.Response:
    require_role(request, *REPORT_READERS)
    zone = request.app[SETTINGS].site_timezone
    today = utc_now().astimezone(ZoneInfo(zone)).date()
    first, last = report_period(_day(request, "from"), _day(request, "to"), today)
    figures = await reports.complaint_figures(
        request.app[POOL],
        since=_start(first, zone),
        until=_start(last + timedelta(days=1), zone),
        timezone=zone,
    )
    return json_response(figures)


def _start(day: date, zone: str) -> datetime:
    """The instant a site-local day begins."""
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(zone))


ROUTES: list[Route] = [
    Route(
        "GET",
        f"{API}/classifier",
        get_classifier,
        "The complaint classifier's phrases, weights and threshold, with the setting's version "
        "(0: the defaults, never saved); supervisors and admins",
        tag="classifier",
        answer=schemas.CLASSIFIER,
    ),
    Route(
        "PUT",
        f"{API}/classifier",
        save_classifier,
        "Save the classifier's phrases and threshold; `version` is the one you read (409 when "
        "someone saved in between, or naming a phrase listed twice)",
        body=schemas.CLASSIFIER_SAVE,
        tag="classifier",
        responses={409: "changed by someone else since `version`, or a phrase listed twice"},
        answer=schemas.CLASSIFIER,
    ),
    Route(
        "POST",
        f"{API}/classifier/try",
        try_classifier,
        "What the classifier makes of `text`: kind, confidence and matched phrases, with the "
        "saved rules or with `threshold` and `phrases` given (unsaved)",
        body=schemas.CLASSIFIER_TRY,
        tag="classifier",
        responses={409: "the unsaved phrases list one twice"},
        answer=schemas.CLASSIFIED,
    ),
    Route(
        "POST",
        f"{API}/tickets/{{id}}/classification/undo",
        undo_classification,
        "Not a complaint after all: a complaint the classifier made becomes an inquiry, its "
        "case is withdrawn; audited with the classifier's confidence and phrases",
        tag="classifier",
        responses={
            404: "no such ticket",
            409: "the ticket is no open complaint made by the classifier",
        },
        answer=schemas.UNDONE,
    ),
    Route(
        "GET",
        f"{API}/accounts/at-risk",
        accounts_at_risk,
        "Accounts with enough complaints lately to be at risk (the `at_risk` setting), latest "
        "complaint first, each with the complaint tickets that count",
        query=("manager",),
        query_schemas=schemas.AT_RISK_QUERY,
        tag="complaints",
        responses={403: "`all` or another manager's id needs a supervisor or an admin"},
        answer=schemas.ACCOUNTS_AT_RISK,
    ),
    Route(
        "GET",
        f"{API}/reports/complaints",
        complaint_report,
        "Complaint figures for the site-local days `from`..`to` (default the last 30): volume "
        "by day and by source and channel, category Pareto, time in each step, breaches, "
        "satisfaction after the complaint; `from` alone runs to today (at most 366 days)",
        query=("from", "to"),
        query_schemas=schemas.DATE_QUERY,
        tag="reports",
        responses={409: "`from` after `to`, more than 366 days, or a day outside 1900-2999"},
        answer=schemas.COMPLAINT_FIGURES,
    ),
]
