"""The account settings (tiering, lifecycle, visit rules, care messages): their code defaults
and checks. Pure; `site.rules` joins them to the other settings.

Each check returns the value as stored or raises Invalid whose `field` names the wrong part
(`visit_rules.cadence_weeks.B`).
"""

from __future__ import annotations

from datetime import time
from typing import Any

from contact_center.errors import Invalid
from contact_center.i18n import gettext as _
from contact_center.site.checks import check_int as _int
from contact_center.site.checks import check_object as _object

TIERS = ("A", "B", "C")
TIER_SCHEDULES = ("monthly", "weekly", "manual")

# A: the accounts making up the first 80% of value; B: up to 95%; C: the rest. Value counts
# over the last `months`; `every` says how often the scheduled run re-tiers.
DEFAULT_TIERING: dict[str, Any] = {
    "a_share": 0.8,
    "b_share": 0.95,
    "months": 12,
    "every": "monthly",
}
DEFAULT_LIFECYCLE: dict[str, Any] = {"dormant_days": 90, "lost_days": 365}
DEFAULT_VISIT_RULES: dict[str, Any] = {
    # Weeks between regular visits per tier; null: no regular visits. A key account flagged by
    # hand is visited at tier A's cadence whatever its tier.
    "cadence_weeks": {"A": 1, "B": 4, "C": None},
    "horizon_weeks": 8,
    "daily_capacity": 6,  # a manager's visits per working day unless their profile says else
    "visit_minutes": 45,  # an account's visit length unless the account says else
    "window": ["09:00", "17:00"],  # when an account may be visited unless it says else
    "hours": ["08:30", "18:00"],  # a manager's working hours unless their profile says else
    "followup_working_days": 3,  # a follow-up visit is due within this many working days
    "reminder_hour": 10,  # the day before a visit, the customer's reminder leaves at this hour
}
DEFAULT_CARE: dict[str, Any] = {
    "birthdays": True,  # greet customers on their birthday
    "holiday_tags": ["elderly", "long-standing"],  # who gets holiday greetings
    "send_hour": 9,  # greetings leave at this hour of the site's day
    "rate_per_minute": 60,  # broadcast sending rate
}


def _share(value: Any, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
        raise Invalid(
            _("{field} must be a number above 0 and at most 1").format(field=field), field=field
        )
    return float(value)


def _clock(value: Any, field: str) -> time:
    if isinstance(value, str) and len(value) == 5:
        try:
            return time.fromisoformat(value)
        except ValueError:
            pass
    raise Invalid(_("{field} must be a time written HH:MM").format(field=field), field=field)


def check_span(value: Any, field: str) -> list[str]:
    """["09:00", "17:00"]: a part of a day, start before end."""
    if not isinstance(value, list) or len(value) != 2:
        raise Invalid(
            _("{field} must be a start and an end, e.g. 09:00 and 17:00").format(field=field),
            field=field,
        )
    start = _clock(value[0], f"{field}.0")
    end = _clock(value[1], f"{field}.1")
    if not start < end:
        raise Invalid(
            _("{field}: the start must come before the end").format(field=field), field=field
        )
    return [start.strftime("%H:%M"), end.strftime("%H:%M")]


def check_tiering(value: Any) -> dict[str, Any]:
    raw = _object(value, "tiering", tuple(DEFAULT_TIERING))
    given = {**DEFAULT_TIERING, **raw}
    a_share = _share(given["a_share"], "tiering.a_share")
    b_share = _share(given["b_share"], "tiering.b_share")
    if not a_share < b_share:
        raise Invalid(_("tiering.b_share must be above tiering.a_share"), field="tiering.b_share")
    every = given["every"]
    if every not in TIER_SCHEDULES:
        raise Invalid(
            _("tiering.every must be one of {known}").format(known=", ".join(TIER_SCHEDULES)),
            field="tiering.every",
        )
    return {
        "a_share": a_share,
        "b_share": b_share,
        "months": _int(given["months"], "tiering.months", 1, 120),
        "every": every,
    }


def check_lifecycle(value: Any) -> dict[str, int]:
    raw = _object(value, "lifecycle", tuple(DEFAULT_LIFECYCLE))
    given = {**DEFAULT_LIFECYCLE, **raw}
    dormant = _int(given["dormant_days"], "lifecycle.dormant_days", 1, 3650)
    lost = _int(given["lost_days"], "lifecycle.lost_days", 2, 7300)
    if not dormant < lost:
        raise Invalid(
            _("lifecycle.lost_days must be more than lifecycle.dormant_days"),
            field="lifecycle.lost_days",
        )
    return {"dormant_days": dormant, "lost_days": lost}


def check_visit_rules(value: Any) -> dict[str, Any]:
    raw = _object(value, "visit_rules", tuple(DEFAULT_VISIT_RULES))
    given = {**DEFAULT_VISIT_RULES, **raw}
    cadence_raw = _object(given["cadence_weeks"], "visit_rules.cadence_weeks", TIERS)
    cadence = {
        tier: None
        if cadence_raw.get(tier, DEFAULT_VISIT_RULES["cadence_weeks"][tier]) is None
        else _int(cadence_raw.get(tier), f"visit_rules.cadence_weeks.{tier}", 1, 52)
        for tier in TIERS
    }
    return {
        "cadence_weeks": cadence,
        "horizon_weeks": _int(given["horizon_weeks"], "visit_rules.horizon_weeks", 1, 26),
        "daily_capacity": _int(given["daily_capacity"], "visit_rules.daily_capacity", 1, 40),
        "visit_minutes": _int(given["visit_minutes"], "visit_rules.visit_minutes", 5, 480),
        "window": check_span(given["window"], "visit_rules.window"),
        "hours": check_span(given["hours"], "visit_rules.hours"),
        "followup_working_days": _int(
            given["followup_working_days"], "visit_rules.followup_working_days", 1, 30
        ),
        "reminder_hour": _int(given["reminder_hour"], "visit_rules.reminder_hour", 0, 23),
    }


def check_care(value: Any) -> dict[str, Any]:
    raw = _object(value, "care", tuple(DEFAULT_CARE))
    given = {**DEFAULT_CARE, **raw}
    if not isinstance(given["birthdays"], bool):
        raise Invalid(_("care.birthdays must be true or false"), field="care.birthdays")
    tags = given["holiday_tags"]
    if not isinstance(tags, list) or not all(isinstance(t, str) and t.strip() for t in tags):
        raise Invalid(_("care.holiday_tags must be a list of tags"), field="care.holiday_tags")
    return {
        "birthdays": given["birthdays"],
        "holiday_tags": sorted({t.strip() for t in tags}),
        "send_hour": _int(given["send_hour"], "care.send_hour", 0, 23),
        "rate_per_minute": _int(given["rate_per_minute"], "care.rate_per_minute", 1, 6000),
    }
