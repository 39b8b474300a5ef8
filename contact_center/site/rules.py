"""What each site setting may be: validation of submitted values, the code defaults, and the
SiteSettings read from stored values. Pure.

`check(key, value)` returns the value as stored (normalised: sorted dates, trimmed labels,
hours in their JSON form) or raises Invalid whose `field` names the part that is wrong
(`clock_targets.first_response.urgent`, `closures.2.date`).
"""

from __future__ import annotations

import copy
import unicodedata
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from contact_center.errors import Invalid
from contact_center.i18n import gettext as _
from contact_center.routing.model import Priority
from contact_center.site import account_rules
from contact_center.site.checks import check_int as _int
from contact_center.site.checks import check_object as _object
from contact_center.site.model import (
    DEFAULT_CLASSIFIER,
    DEFAULT_HOURS,
    DEFAULT_TARGETS,
    SettingKey,
    SiteSettings,
)
from contact_center.workflows.model import ClockKind
from contact_center.worktime import Duration, hours_json, supported_countries

# The priorities, most urgent first, and the ticket-wide clocks (not a workflow step's), as
# their StrEnums spell them.
PRIORITIES = tuple(p.value for p in reversed(Priority))
CLOCK_KINDS = tuple(k.value for k in ClockKind if k is not ClockKind.STEP)
MAX_LABEL = 100
MAX_DATES = 500
MAX_PHRASES = 200
MAX_PHRASE = 100
DEFAULTS: dict[str, Any] = {
    SettingKey.TIMEZONE: "UTC",
    SettingKey.BUSINESS_HOURS: DEFAULT_HOURS,
    SettingKey.HOLIDAYS: {"country": "CN", "subdivision": None},
    SettingKey.CLOSURES: [],
    SettingKey.WORKING_DAYS: [],
    SettingKey.CLOCK_TARGETS: DEFAULT_TARGETS,
    SettingKey.CLASSIFIER: DEFAULT_CLASSIFIER,
    SettingKey.AT_RISK: {"complaints": 3, "days": 90},
    SettingKey.TIERING: account_rules.DEFAULT_TIERING,
    SettingKey.LIFECYCLE: account_rules.DEFAULT_LIFECYCLE,
    SettingKey.VISIT_RULES: account_rules.DEFAULT_VISIT_RULES,
    SettingKey.CARE: account_rules.DEFAULT_CARE,
}
# Set from the environment at every start; the API and console show it, never change it.
READ_ONLY = frozenset({SettingKey.TIMEZONE})


def _number(value: Any, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise Invalid(_("{field} must be a number from 0 to 1").format(field=field), field=field)
    return float(value)


def _text(value: Any, field: str, most: int) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not text or len(text) > most:
        raise Invalid(
            _("{field} must be text of 1 to {most} characters").format(field=field, most=most),
            field=field,
        )
    return text


def check_timezone(value: Any) -> str:
    try:
        ZoneInfo(value if isinstance(value, str) else "")
    except (ZoneInfoNotFoundError, ValueError):
        raise Invalid(
            _("timezone: {value!r} is not a known time zone").format(value=value), field="timezone"
        ) from None
    return str(value)


def check_hours(value: Any) -> dict[str, list[list[str]]]:
    try:
        return hours_json(value)
    except Invalid as wrong:
        raise Invalid(f"business_hours: {wrong.message}", field="business_hours") from None


def check_holidays(value: Any) -> dict[str, str | None]:
    raw = _object(value, "holidays", ("country", "subdivision"))
    country = raw.get("country") or None
    subdivision = raw.get("subdivision") or None
    known = supported_countries()
    if country is not None and country not in known:
        raise Invalid(
            _("holidays.country: {value!r} is not a country the holiday calendar knows").format(
                value=country
            ),
            field="holidays.country",
        )
    subdivisions = known[country].subdivisions if country is not None else ()
    if subdivision is not None and subdivision not in subdivisions:
        raise Invalid(
            _("holidays.subdivision: {value!r} is not a subdivision of {country}").format(
                value=subdivision, country=country or "-"
            ),
            field="holidays.subdivision",
        )
    return {"country": country, "subdivision": subdivision}


def check_dates(value: Any, key: str) -> list[dict[str, str]]:
    if not isinstance(value, list) or len(value) > MAX_DATES:
        raise Invalid(
            _("{field} must be a list of at most {most} dates").format(field=key, most=MAX_DATES),
            field=key,
        )
    found: dict[date, str] = {}
    for index, row in enumerate(value):
        field = f"{key}.{index}"
        raw = _object(row, field, ("date", "label"))
        try:
            day = date.fromisoformat(raw.get("date") or "")
        except (TypeError, ValueError):
            raise Invalid(
                _("{field}.date must be a date written YYYY-MM-DD").format(field=field),
                field=f"{field}.date",
            ) from None
        if day in found:
            raise Invalid(
                _("{field}.date: {day} is listed twice").format(field=field, day=day),
                field=f"{field}.date",
            )
        found[day] = _text(raw.get("label"), f"{field}.label", MAX_LABEL)
    return [{"date": day.isoformat(), "label": found[day]} for day in sorted(found)]


def check_targets(value: Any) -> dict[str, dict[str, str]]:
    raw = _object(value, "clock_targets", CLOCK_KINDS)
    targets: dict[str, dict[str, str]] = {}
    for kind in CLOCK_KINDS:
        given = _object(raw.get(kind, {}), f"clock_targets.{kind}", PRIORITIES)
        targets[kind] = {}
        for priority in PRIORITIES:
            field = f"clock_targets.{kind}.{priority}"
            text = given.get(priority, DEFAULTS[SettingKey.CLOCK_TARGETS][kind][priority])
            if not isinstance(text, str):
                raise Invalid(_("{field} must be text like 4h").format(field=field), field=field)
            targets[kind][priority] = Duration.parse(text, field=field).text()
    return targets


def check_classifier(value: Any) -> dict[str, Any]:
    raw = _object(value, "classifier", ("threshold", "phrases"))
    threshold = _number(raw.get("threshold", 0.5), "classifier.threshold")
    phrases = raw.get("phrases", [])
    if not isinstance(phrases, list) or len(phrases) > MAX_PHRASES:
        raise Invalid(
            _("classifier.phrases must be a list of at most {most}").format(most=MAX_PHRASES),
            field="classifier.phrases",
        )
    checked = []
    seen: set[str] = set()
    for index, phrase in enumerate(phrases):
        field = f"classifier.phrases.{index}"
        item = _object(phrase, field, ("text", "weight"))
        text = " ".join(_text(item.get("text"), f"{field}.text", MAX_PHRASE).split())
        # The classifier matches case- and width-insensitively: "Refund" and "ｒｅｆｕｎｄ" are
        # one phrase, and two weights for it would make the score depend on the order.
        key = unicodedata.normalize("NFKC", text).casefold()
        if key in seen:
            raise Invalid(_("“{text}” is listed twice").format(text=text), field=f"{field}.text")
        seen.add(key)
        checked.append({"text": text, "weight": _number(item.get("weight"), f"{field}.weight")})
    return {"threshold": threshold, "phrases": checked}


def check_at_risk(value: Any) -> dict[str, int]:
    raw = _object(value, "at_risk", ("complaints", "days"))
    return {
        "complaints": _int(raw.get("complaints"), "at_risk.complaints", 1, 100),
        "days": _int(raw.get("days"), "at_risk.days", 1, 3650),
    }


CHECKS: dict[str, Callable[[Any], Any]] = {
    SettingKey.TIMEZONE: check_timezone,
    SettingKey.BUSINESS_HOURS: check_hours,
    SettingKey.HOLIDAYS: check_holidays,
    SettingKey.CLOSURES: lambda value: check_dates(value, SettingKey.CLOSURES),
    SettingKey.WORKING_DAYS: lambda value: check_dates(value, SettingKey.WORKING_DAYS),
    SettingKey.CLOCK_TARGETS: check_targets,
    SettingKey.CLASSIFIER: check_classifier,
    SettingKey.AT_RISK: check_at_risk,
    SettingKey.TIERING: account_rules.check_tiering,
    SettingKey.LIFECYCLE: account_rules.check_lifecycle,
    SettingKey.VISIT_RULES: account_rules.check_visit_rules,
    SettingKey.CARE: account_rules.check_care,
}


def setting_key(raw: str) -> SettingKey:
    """The key named in a request; Invalid (field `key`) when the site has no such setting."""
    try:
        return SettingKey(raw)
    except ValueError:
        raise Invalid(_("{key!r} is not a site setting").format(key=raw), field="key") from None


def check(key: SettingKey | str, value: Any) -> Any:
    """`value` as stored for `key`, or Invalid naming the field that is wrong."""
    return CHECKS[setting_key(key)](value)


def _dated(rows: Any) -> dict[date, str]:
    return {date.fromisoformat(row["date"]): row["label"] for row in rows}


def settings_from(stored: Mapping[str, Any], versions: Mapping[str, int]) -> SiteSettings:
    """SiteSettings from the stored values over the code defaults (a stored value that no
    longer passes its check, say after a rule tightened, gives way to the default)."""
    values: dict[str, Any] = {}
    for key in SettingKey:
        try:
            values[key] = check(key, stored[key]) if key in stored else copy.deepcopy(DEFAULTS[key])
        except Invalid:
            values[key] = copy.deepcopy(DEFAULTS[key])
    return SiteSettings(
        timezone=values[SettingKey.TIMEZONE],
        business_hours=values[SettingKey.BUSINESS_HOURS],
        holiday_country=values[SettingKey.HOLIDAYS]["country"],
        holiday_subdivision=values[SettingKey.HOLIDAYS]["subdivision"],
        closures=_dated(values[SettingKey.CLOSURES]),
        working_days=_dated(values[SettingKey.WORKING_DAYS]),
        clock_targets=values[SettingKey.CLOCK_TARGETS],
        classifier=values[SettingKey.CLASSIFIER],
        at_risk_complaints=values[SettingKey.AT_RISK]["complaints"],
        at_risk_days=values[SettingKey.AT_RISK]["days"],
        tiering=values[SettingKey.TIERING],
        lifecycle=values[SettingKey.LIFECYCLE],
        visit_rules=values[SettingKey.VISIT_RULES],
        care=values[SettingKey.CARE],
        versions={key.value: versions.get(key, 0) for key in SettingKey},
    )


def value_of(settings: SiteSettings, key: SettingKey) -> Any:
    """The JSON value of one setting as the API shows it."""
    return {
        SettingKey.TIMEZONE: settings.timezone,
        SettingKey.BUSINESS_HOURS: dict(settings.business_hours),
        SettingKey.HOLIDAYS: {
            "country": settings.holiday_country,
            "subdivision": settings.holiday_subdivision,
        },
        SettingKey.CLOSURES: [
            {"date": d.isoformat(), "label": label}
            for d, label in sorted(settings.closures.items())
        ],
        SettingKey.WORKING_DAYS: [
            {"date": d.isoformat(), "label": label}
            for d, label in sorted(settings.working_days.items())
        ],
        SettingKey.CLOCK_TARGETS: settings.clock_targets,
        SettingKey.CLASSIFIER: settings.classifier,
        SettingKey.AT_RISK: {
            "complaints": settings.at_risk_complaints,
            "days": settings.at_risk_days,
        },
        SettingKey.TIERING: settings.tiering,
        SettingKey.LIFECYCLE: settings.lifecycle,
        SettingKey.VISIT_RULES: settings.visit_rules,
        SettingKey.CARE: settings.care,
    }[key]
