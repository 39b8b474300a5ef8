"""REST handlers for the site's settings (read, save one with its version, history) and the
business calendar they make (GET /calendar: each day's openings, holidays, make-up days)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web

from contact_center import site, worktime
from contact_center.errors import Conflict, Invalid, NotFound
from contact_center.site import SettingKey, SiteSettings
from contact_center.timeutil import to_site_time, utc_now
from contact_center.users import Role
from contact_center.web.api import site_schemas as schemas
from contact_center.web.auth import STAFF, actor_of, require_role
from contact_center.web.jsonio import json_response, read_json
from contact_center.web.keys import POOL
from contact_center.web.route import API, Route

EDITORS = (Role.SUPERVISOR, Role.ADMIN)
DEFAULT_DAYS = 60


def setting_view(settings: SiteSettings, key: SettingKey) -> dict[str, Any]:
    return {
        "key": key.value,
        "value": site.value_of(settings, key),
        "version": settings.versions.get(key.value, 0),
        "editable": key not in site.READ_ONLY,
    }


def _key(request: web.Request) -> SettingKey:
    raw = request.match_info["key"]
    try:
        return SettingKey(raw)
    except ValueError:
        raise NotFound(f"{raw!r} is not a site setting", field="key") from None


async def list_settings(request: web.Request) -> web.Response:
    require_role(request, *STAFF)
    async with request.app[POOL].acquire() as conn:
        settings = await site.load(conn)
    return json_response({"settings": [setting_view(settings, key) for key in SettingKey]})


async def update_setting(request: web.Request) -> web.Response:
    require_role(request, *EDITORS)
    key = _key(request)
    body = await read_json(request, schemas.SETTING_UPDATE)
    try:
        settings = await site.update_setting(
            request.app[POOL],
            actor_of(request),
            key,
            body["value"],
            version=body["version"],
            now=utc_now(),
        )
    except Invalid as refused:
        # The body matched the schema, which cannot say every rule of every key: a refusal of
        # a well-formed request is a 409 here (the message and field say what to change).
        raise Conflict(refused.message, field=refused.field) from None
    return json_response(setting_view(settings, key))


async def setting_history(request: web.Request) -> web.Response:
    require_role(request, *STAFF)
    key = _key(request)
    async with request.app[POOL].acquire() as conn:
        versions = await site.setting_history(conn, key)
    return json_response({"versions": versions})


def _first_day(raw: str, today: date) -> date:
    if not raw:
        return today
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        day = None
    if day is None or not schemas.FIRST_YEAR <= day.year <= schemas.LAST_YEAR:
        raise Invalid(
            f"from must be a date written YYYY-MM-DD, {schemas.FIRST_YEAR} to {schemas.LAST_YEAR}",
            field="from",
        )
    return day


def _days(raw: str) -> int:
    if not raw:
        return DEFAULT_DAYS
    if not raw.isdigit() or not 1 <= int(raw) <= schemas.MAX_DAYS:
        raise Invalid(f"days must be a whole number from 1 to {schemas.MAX_DAYS}", field="days")
    return int(raw)


async def calendar(request: web.Request) -> web.Response:
    require_role(request, *STAFF)
    now = utc_now()
    async with request.app[POOL].acquire() as conn:
        settings = await site.load(conn)
    first = _first_day(request.query.get("from", ""), to_site_time(now, settings.timezone).date())
    days = _days(request.query.get("days", ""))
    # Public holidays are looked up for the year around the middle, and those either side.
    middle = first + timedelta(days=days // 2)
    around = datetime.combine(middle, time(12), tzinfo=ZoneInfo(settings.timezone))
    business = site.calendar_of(settings, around=around)
    return json_response(
        {
            "timezone": settings.timezone,
            "days": [
                {"date": day.date, "kind": day.kind, "label": day.label, "spans": day.spans_json()}
                for day in worktime.calendar_days(business, first, days)
            ],
        }
    )


KEY_PATH = {"key": schemas.KEY}
ROUTES: list[Route] = [
    Route(
        "GET",
        f"{API}/site-settings",
        list_settings,
        "The site's settings (business hours, holidays, closures, make-up days, clock "
        "targets, classifier, at-risk rule, time zone), each with its version",
        tag="site",
        answer=schemas.SETTINGS,
    ),
    Route(
        "PUT",
        f"{API}/site-settings/{{key}}",
        update_setting,
        "Save one setting (supervisor, admin) with the version you read; the time zone is "
        "the deployment's (SITE_TIMEZONE) and cannot be saved here",
        body=schemas.SETTING_UPDATE,
        path_schemas=KEY_PATH,
        tag="site",
        responses={
            404: "no such setting",
            409: "the version is not the current one (someone saved in between), or the "
            "value breaks a rule of the setting (the error names the field)",
        },
        answer=schemas.SETTING,
    ),
    Route(
        "GET",
        f"{API}/site-settings/{{key}}/history",
        setting_history,
        "The saved versions of one setting, newest first, with who saved each",
        path_schemas=KEY_PATH,
        tag="site",
        responses={404: "no such setting"},
        answer=schemas.HISTORY,
    ),
    Route(
        "GET",
        f"{API}/calendar",
        calendar,
        "The business calendar day by day from `from` (default today, site time) for `days` "
        "days (default 60): opening spans in site time, public holidays, the site's closures "
        "and make-up working days with their labels",
        query=("from", "days"),
        query_schemas=schemas.CALENDAR_QUERY,
        tag="site",
        answer=schemas.CALENDAR,
    ),
]
