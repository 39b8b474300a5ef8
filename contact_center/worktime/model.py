"""Values of business time: a duration ("2h", "3d") and the calendar it is counted on."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from contact_center.errors import Invalid
from contact_center.i18n import gettext as _

DURATION_RE = re.compile(r"^(\d{1,6})\s*([mhd])$")
# The longest duration a person may write: a year of minutes, hours or working days.
MOST = {"m": 366 * 24 * 60, "h": 366 * 24, "d": 366}


class Unit(StrEnum):
    MINUTES = "m"
    HOURS = "h"
    WORKING_DAYS = "d"  # whole working days: the same time of day on the n-th working day after


@dataclass(frozen=True)
class Duration:
    """An amount of business time, written "45m", "2h" or "3d" (working days)."""

    amount: int
    unit: Unit

    @classmethod
    def parse(cls, text: str, *, field: str = "duration") -> Duration:
        """ "45m", "2h", "3d" (spaces around forgiven); Invalid naming `field` otherwise."""
        match = DURATION_RE.fullmatch(text.strip().lower()) if isinstance(text, str) else None
        if match is None:
            raise Invalid(
                _(
                    "{field}: {text!r} is not a duration; write minutes, hours or working days "
                    "like 45m, 2h or 3d"
                ).format(field=field, text=text),
                field=field,
            )
        amount, unit = int(match[1]), match[2]
        if not 1 <= amount <= MOST[unit]:
            raise Invalid(
                _("{field}: {text} is out of range (1 to {most}{unit})").format(
                    field=field, text=text.strip(), most=MOST[unit], unit=unit
                ),
                field=field,
            )
        return cls(amount, Unit(unit))

    def text(self) -> str:
        """The written form: Duration(2, Unit.HOURS).text() == "2h"."""
        return f"{self.amount}{self.unit.value}"

    def __str__(self) -> str:
        return self.text()

    @property
    def timedelta(self) -> timedelta:
        """As elapsed time: minutes and hours exactly, a working day as 24 hours (wall mode)."""
        if self.unit is Unit.MINUTES:
            return timedelta(minutes=self.amount)
        if self.unit is Unit.HOURS:
            return timedelta(hours=self.amount)
        return timedelta(days=self.amount)

    def __add__(self, other: Duration) -> Duration:
        """Working days add to working days; minutes and hours add up in minutes (or hours
        when both are hours). Days and hours do not mix: their sum depends on the calendar."""
        if self.unit is other.unit:
            return Duration(self.amount + other.amount, self.unit)
        if Unit.WORKING_DAYS in (self.unit, other.unit):
            raise ValueError("working days and hours do not add up without a calendar")
        minutes = (self.timedelta + other.timedelta) // timedelta(minutes=1)
        return Duration(minutes, Unit.MINUTES)


@dataclass(frozen=True)
class BusinessCalendar:
    """When the site works, read on the wall clock of `timezone`.

    `hours` is a weekly schedule as worktime.schedule reads it ({"mon": [["09:00", "18:00"]]});
    `closed` are site-local dates on which nothing is open (public holidays and closures);
    `extra` are make-up working days, open on the given spans (the JSON form, [["09:00",
    "18:00"]]) although the week says closed; `labels` name the dates of `closed` and `extra`
    for people ("Spring Festival"); `holidays` are the public holidays among `closed`.
    A date both closed and extra is closed.
    """

    timezone: str
    hours: Mapping[str, Any]
    closed: frozenset[date] = frozenset()
    extra: Mapping[date, Any] = field(default_factory=dict)
    labels: Mapping[date, str] = field(default_factory=dict)
    holidays: frozenset[date] = frozenset()
