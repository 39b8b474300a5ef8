"""Values of business time: a duration ("2h", "3d") and the calendar it is counted on."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any


class Unit(StrEnum):
    MINUTES = "m"
    HOURS = "h"
    WORKING_DAYS = "d"  # whole working days: the same time of day on the n-th working day after


@dataclass(frozen=True)
class Duration:
    """An amount of business time, written "45m", "2h" or "3d" (working days)."""

    amount: int
    unit: Unit

    # worktime gives `parse(text)` and `text`: "2h" <-> Duration(2, Unit.HOURS).


@dataclass(frozen=True)
class BusinessCalendar:
    """When the site works, read on the wall clock of `timezone`.

    `hours` is a weekly schedule as routing.hours reads it ({"mon": [["09:00", "18:00"]], ...});
    `closed` are site-local dates on which nothing is open (public holidays and closures);
    `extra` are make-up working days, open on the given spans although the week says closed;
    `labels` name the dates of `closed` and `extra` for people ("Spring Festival").
    """

    timezone: str
    hours: Mapping[str, Any]
    closed: frozenset[date] = frozenset()
    extra: Mapping[date, Any] = field(default_factory=dict)
    labels: Mapping[date, str] = field(default_factory=dict)
