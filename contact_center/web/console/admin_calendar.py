"""The business calendar page (supervisors and admins): weekly hours, public holidays of a
country, the site's closures and make-up working days, clock targets per priority, the at-risk
rule, and a preview of the next 60 days. Each section is a form saved with its version."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from aiohttp import web

from contact_center import site, workflows, worktime
from contact_center.errors import Conflict, Forbidden, Invalid
from contact_center.i18n import N_
from contact_center.i18n import gettext as _
from contact_center.site import SettingKey, SiteSettings
from contact_center.tickets import Priority
from contact_center.timeutil import to_site_time, utc_now
from contact_center.users import Role
from contact_center.web.auth import actor_of, require_role
from contact_center.web.console.admin_queues import DAY_LABELS
from contact_center.web.console.labels import PRIORITY_LABELS
from contact_center.web.console.pages import data_block, render
from contact_center.web.keys import POOL
from contact_center.web.route import Route
from contact_center.workflows import ClockKind
from contact_center.worktime import WEEKDAYS, spans_text
from contact_center.worktime import spans_from_text as day_spans

EDITORS = (Role.SUPERVISOR, Role.ADMIN)
PREVIEW_DAYS = 60
PRIORITIES = site.PRIORITIES  # most urgent first
TARGET_KINDS = site.CLOCK_KINDS  # the clocks with targets by priority
SECTION_LABELS = {
    SettingKey.BUSINESS_HOURS: N_("Weekly hours"),
    SettingKey.HOLIDAYS: N_("Public holidays"),
    SettingKey.CLOSURES: N_("Closures"),
    SettingKey.WORKING_DAYS: N_("Make-up working days"),
    SettingKey.CLOCK_TARGETS: N_("Response and resolution targets"),
    SettingKey.AT_RISK: N_("At-risk customers"),
}
KIND_LABELS = {
    "holiday": N_("Public holiday"),
    "closure": N_("Closed"),
    "working_day": N_("Make-up working day"),
    "closed": N_("Closed"),
    "open": N_("Open"),
}
EDITABLE = tuple(SECTION_LABELS)


def _dated_rows(rows: Mapping[Any, str]) -> list[dict[str, str]]:
    return [{"date": day.isoformat(), "label": label} for day, label in sorted(rows.items())]


def _values(settings: SiteSettings) -> dict[str, Any]:
    """What each section's fields show for the stored settings."""
    return {
        "hours": {day: spans_text(settings.business_hours, day) for day in WEEKDAYS},
        "country": settings.holiday_country or "",
        "subdivision": settings.holiday_subdivision or "",
        "closures": _dated_rows(settings.closures),
        "working_days": _dated_rows(settings.working_days),
        "targets": {k: dict(v) for k, v in settings.clock_targets.items()},
        "at_risk": {"complaints": settings.at_risk_complaints, "days": settings.at_risk_days},
    }


def _rows(form: Mapping[str, Any], prefix: str) -> list[dict[str, str]]:
    """Date and label pairs from the form; rows left empty are dropped."""
    dates = [str(v).strip() for v in form.getall(f"{prefix}_date", [])]  # type: ignore[attr-defined]
    labels = [str(v).strip() for v in form.getall(f"{prefix}_label", [])]  # type: ignore[attr-defined]
    return [
        {"date": day, "label": label}
        for day, label in zip(dates, labels, strict=False)
        if day or label
    ]


def _number(raw: Any, field: str) -> int:
    try:
        return int(str(raw).strip())
    except ValueError:
        raise Invalid(
            _("%(field)s must be a whole number") % {"field": field}, field=field
        ) from None


def value_from_form(key: SettingKey, form: Mapping[str, Any]) -> Any:
    """The setting's JSON value from its section's form."""
    if key is SettingKey.BUSINESS_HOURS:
        return {day: day_spans(str(form.get(f"hours_{day}", "")), day) for day in WEEKDAYS}
    if key is SettingKey.HOLIDAYS:
        return {
            "country": str(form.get("country", "")) or None,
            "subdivision": str(form.get("subdivision", "")) or None,
        }
    if key in (SettingKey.CLOSURES, SettingKey.WORKING_DAYS):
        return _rows(form, key.value)
    if key is SettingKey.CLOCK_TARGETS:
        return {
            kind: {p: str(form.get(f"{kind}_{p}", "")).strip() for p in PRIORITIES}
            for kind in TARGET_KINDS
        }
    return {
        "complaints": _number(form.get("complaints", ""), "at_risk.complaints"),
        "days": _number(form.get("days", ""), "at_risk.days"),
    }


async def _page(
    request: web.Request,
    *,
    typed: tuple[SettingKey, dict[str, Any]] | None = None,
    message: str = "",
    error: str = "",
    error_key: str = "",
    status: int = 200,
) -> web.Response:
    async with request.app[POOL].acquire() as conn:
        settings = await site.load(conn)
    values = _values(settings)
    if typed is not None:
        values.update(typed[1])
    today = to_site_time(utc_now(), settings.timezone).date()
    calendar = site.calendar_of(settings, around=utc_now() + timedelta(days=PREVIEW_DAYS // 2))
    countries = worktime.supported_countries()
    context = {
        "settings": settings,
        "values": values,
        "versions": settings.versions,
        "site_zone": settings.timezone,
        "days": [(d, _(DAY_LABELS[d])) for d in WEEKDAYS],
        "countries": [(c.code, c.name) for c in countries.values()],
        "subdivisions": data_block({c.code: list(c.subdivisions) for c in countries.values()}),
        "current_subdivisions": countries[settings.holiday_country].subdivisions
        if settings.holiday_country in countries
        else (),
        "priorities": [(p, _(PRIORITY_LABELS[Priority(p)])) for p in PRIORITIES],
        "targets": [(k, workflows.clock_label(ClockKind(k), None)) for k in TARGET_KINDS],
        "preview": worktime.calendar_days(calendar, today, PREVIEW_DAYS),
        "kind_labels": {k: _(label) for k, label in KIND_LABELS.items()},
        "section_labels": {k.value: _(label) for k, label in SECTION_LABELS.items()},
        "message": message,
        "error": error,
        "error_key": error_key,
    }
    return render(request, "admin_calendar.html", context, status=status)


def _section(raw: str) -> SettingKey:
    try:
        key = SettingKey(raw)
    except ValueError:
        key = None
    if key not in EDITABLE:
        raise Forbidden(_("That setting is not edited on this page."))
    assert key is not None
    return key


async def calendar_page(request: web.Request) -> web.StreamResponse:
    require_role(request, *EDITORS)
    saved = request.query.get("saved", "")
    message = ""
    if saved in {k.value for k in EDITABLE}:
        message = _("Saved: %(section)s.") % {"section": _(SECTION_LABELS[SettingKey(saved)])}
    return await _page(request, message=message)


def _typed_values(key: SettingKey, form: Mapping[str, Any]) -> dict[str, Any]:
    """What was typed in the refused section, to show it again."""
    if key is SettingKey.BUSINESS_HOURS:
        return {"hours": {day: str(form.get(f"hours_{day}", "")) for day in WEEKDAYS}}
    if key is SettingKey.HOLIDAYS:
        return {
            "country": str(form.get("country", "")),
            "subdivision": str(form.get("subdivision", "")),
        }
    if key in (SettingKey.CLOSURES, SettingKey.WORKING_DAYS):
        return {key.value: _rows(form, key.value)}
    if key is SettingKey.CLOCK_TARGETS:
        return {
            "targets": {
                kind: {p: str(form.get(f"{kind}_{p}", "")) for p in PRIORITIES}
                for kind in TARGET_KINDS
            }
        }
    return {"at_risk": {"complaints": form.get("complaints", ""), "days": form.get("days", "")}}


async def save_section(request: web.Request) -> web.StreamResponse:
    require_role(request, *EDITORS)
    key = _section(request.match_info["key"])
    form = await request.post()
    section = _(SECTION_LABELS[key])
    try:
        version = _number(form.get("version", ""), "version")
        value = value_from_form(key, form)
        await site.update_setting(
            request.app[POOL], actor_of(request), key, value, version=version, now=utc_now()
        )
    except Conflict:
        error = _(
            "%(section)s: not saved, because someone else saved this section after you opened "
            "the page. Reload the page to see their change, then make yours again."
        ) % {"section": section}
        return await _page(
            request, typed=(key, _typed_values(key, form)), error=error, error_key=key, status=409
        )
    except Invalid as refused:
        error = _("%(section)s: not saved. %(problem)s") % {
            "section": section,
            "problem": refused.message,
        }
        return await _page(
            request, typed=(key, _typed_values(key, form)), error=error, error_key=key, status=422
        )
    raise web.HTTPSeeOther(f"/admin/calendar?saved={key.value}#{key.value}")


ROUTES: list[Route] = [
    Route("GET", "/admin/calendar", calendar_page, "Business calendar", console=True),
    Route("POST", "/admin/calendar/{key}", save_section, "Save a calendar section", console=True),
]
