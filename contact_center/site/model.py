"""Which settings the site keeps in the database, and their values as the domain reads them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from contact_center.site.account_rules import (
    DEFAULT_CARE,
    DEFAULT_LIFECYCLE,
    DEFAULT_TIERING,
    DEFAULT_VISIT_RULES,
)
from contact_center.site.classifier_defaults import DEFAULT_CLASSIFIER


class SettingKey(StrEnum):
    TIMEZONE = "timezone"  # from SITE_TIMEZONE at every start: shown, not edited (deployment)
    BUSINESS_HOURS = "business_hours"  # weekly schedule, routing.hours' JSON
    HOLIDAYS = "holidays"  # {"country": "CN", "subdivision": null}: the `holidays` package
    CLOSURES = "closures"  # [{"date": "2026-12-24", "label": "..."}]: extra closed days
    WORKING_DAYS = "working_days"  # [{"date": ..., "label": ...}]: make-up working days
    CLOCK_TARGETS = "clock_targets"  # {"first_response": {"normal": "4h", ...}, ...}
    CLASSIFIER = "classifier"  # {"threshold": 0.5, "phrases": [{"text": ..., "weight": ...}]}
    AT_RISK = "at_risk"  # {"complaints": 3, "days": 90}
    TIERING = "tiering"  # ABC cut-offs and schedule (site.account_rules)
    LIFECYCLE = "lifecycle"  # days without activity before dormant and lost
    VISIT_RULES = "visit_rules"  # cadence per tier, horizon, capacity, windows, follow-ups
    CARE = "care"  # birthday and holiday greetings, broadcast rate


# The code defaults: what a site has before anyone saves a setting (site.rules checks values).
DEFAULT_HOURS: dict[str, Any] = {
    day: [["09:00", "18:00"]] for day in ("mon", "tue", "wed", "thu", "fri")
}
DEFAULT_TARGETS: dict[str, dict[str, str]] = {
    "first_response": {"urgent": "30m", "high": "1h", "normal": "4h", "low": "1d"},
    "next_update": {"urgent": "2h", "high": "4h", "normal": "1d", "low": "2d"},
    "resolution": {"urgent": "1d", "high": "2d", "normal": "5d", "low": "10d"},
}
__all__ = ["DEFAULT_CLASSIFIER", "DEFAULT_HOURS", "DEFAULT_TARGETS", "SettingKey", "SiteSettings"]


@dataclass(frozen=True)
class SiteSettings:
    """Every database-held setting, defaults filled in, as one value read per transaction."""

    timezone: str = "UTC"
    business_hours: Mapping[str, Any] = field(default_factory=lambda: DEFAULT_HOURS)
    holiday_country: str | None = "CN"
    holiday_subdivision: str | None = None
    closures: Mapping[date, str] = field(default_factory=dict)
    working_days: Mapping[date, str] = field(default_factory=dict)
    clock_targets: Mapping[str, Mapping[str, str]] = field(default_factory=lambda: DEFAULT_TARGETS)
    classifier: Mapping[str, Any] = field(default_factory=lambda: DEFAULT_CLASSIFIER)
    at_risk_complaints: int = 3
    at_risk_days: int = 90
    # The account settings, as site.account_rules stores them (its DEFAULT_* give the shapes).
    tiering: Mapping[str, Any] = field(default_factory=lambda: DEFAULT_TIERING)
    lifecycle: Mapping[str, Any] = field(default_factory=lambda: DEFAULT_LIFECYCLE)
    visit_rules: Mapping[str, Any] = field(default_factory=lambda: DEFAULT_VISIT_RULES)
    care: Mapping[str, Any] = field(default_factory=lambda: DEFAULT_CARE)
    versions: Mapping[str, int] = field(default_factory=dict)  # key -> stored version (0: default)
