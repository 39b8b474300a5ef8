"""Which settings the site keeps in the database, and their values as the domain reads them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any


class SettingKey(StrEnum):
    TIMEZONE = "timezone"  # from SITE_TIMEZONE at every start: shown, not edited (deployment)
    BUSINESS_HOURS = "business_hours"  # weekly schedule, routing.hours' JSON
    HOLIDAYS = "holidays"  # {"country": "CN", "subdivision": null}: the `holidays` package
    CLOSURES = "closures"  # [{"date": "2026-12-24", "label": "..."}]: extra closed days
    WORKING_DAYS = "working_days"  # [{"date": ..., "label": ...}]: make-up working days
    CLOCK_TARGETS = "clock_targets"  # {"first_response": {"normal": "4h", ...}, ...}
    CLASSIFIER = "classifier"  # {"threshold": 0.5, "phrases": [{"text": ..., "weight": ...}]}
    AT_RISK = "at_risk"  # {"complaints": 3, "days": 90}


@dataclass(frozen=True)
class SiteSettings:
    """Every database-held setting, defaults filled in, as one value read per transaction."""

    timezone: str = "UTC"
    business_hours: Mapping[str, Any] = field(default_factory=dict)
    holiday_country: str | None = "CN"
    holiday_subdivision: str | None = None
    closures: Mapping[date, str] = field(default_factory=dict)
    working_days: Mapping[date, str] = field(default_factory=dict)
    clock_targets: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    classifier: Mapping[str, Any] = field(default_factory=dict)
    at_risk_complaints: int = 3
    at_risk_days: int = 90
    versions: Mapping[str, int] = field(default_factory=dict)  # key -> stored version (0: default)
