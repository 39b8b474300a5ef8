"""Pure shaping of report figures: every day of a period, a Pareto table. Values in, values out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any


def every_day(first: date, last: date, counts: Mapping[date, int]) -> list[dict[str, Any]]:
    """One row per day from `first` to `last` inclusive; a day without complaints counts 0,
    so a chart's gaps are real quiet days."""
    days = []
    day = first
    while day <= last:
        days.append({"day": day.isoformat(), "count": counts.get(day, 0)})
        day += timedelta(days=1)
    return days


def pareto(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Rows with a `count`, largest first, each with its share of the total and the
    cumulative share up to it (the last is 1.0): the few categories behind most complaints."""
    ordered = sorted(rows, key=lambda r: (-int(r["count"]), str(r.get("category", ""))))
    total = sum(int(r["count"]) for r in ordered)
    table = []
    running = 0
    for row in ordered:
        running += int(row["count"])
        table.append(
            {
                **row,
                "share": round(int(row["count"]) / total, 4) if total else 0.0,
                "cumulative_share": round(running / total, 4) if total else 0.0,
            }
        )
    return table
