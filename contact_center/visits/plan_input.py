"""Turning the stored rows into the planner's values, and its minutes back into instants.
Pure: rows are plain mappings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from contact_center.visits.model import (
    AccountRules,
    Booked,
    ManagerRules,
    OpenRequest,
    PlanInput,
    Point,
    Span,
    VisitKind,
    VisitState,
)


@dataclass(frozen=True)
class Rules:
    """The site's visit rules as the planner needs them."""

    cadence_weeks: Mapping[str, int | None]
    horizon_weeks: int
    capacity: int
    visit_minutes: int
    window: Span
    hours: Span

    @classmethod
    def of(cls, raw: Mapping[str, Any]) -> Rules:
        return cls(
            cadence_weeks=dict(raw["cadence_weeks"]),
            horizon_weeks=int(raw["horizon_weeks"]),
            capacity=int(raw["daily_capacity"]),
            visit_minutes=int(raw["visit_minutes"]),
            window=Span(time.fromisoformat(raw["window"][0]), time.fromisoformat(raw["window"][1])),
            hours=Span(time.fromisoformat(raw["hours"][0]), time.fromisoformat(raw["hours"][1])),
        )

    @property
    def view_defaults(self) -> tuple[time, time, int]:
        """Window start and end and visit minutes for an account that sets none of its own."""
        return self.window.start, self.window.end, self.visit_minutes

    def cadence_days(self, tier: str | None, key_account: bool) -> int | None:
        weeks = self.cadence_weeks.get("A") if key_account else self.cadence_weeks.get(tier or "")
        return None if weeks is None else weeks * 7

    def cadence_tiers(self) -> list[str]:
        return sorted(t for t, w in self.cadence_weeks.items() if w is not None)


def site_day(at: datetime, zone: ZoneInfo) -> date:
    return at.astimezone(zone).date()


def minutes(at: time) -> int:
    return at.hour * 60 + at.minute


def instant(day: date, minute: int, zone: ZoneInfo) -> datetime:
    """The UTC instant of a site-local wall-clock minute of `day`: counted on the wall clock,
    so a visit at 10:00 stays at 10:00 on the day the clocks change."""
    naive = datetime.combine(day, time(0)) + timedelta(minutes=minute)
    return naive.replace(tzinfo=zone).astimezone(UTC)


def manager_rules(row: Mapping[str, Any], rules: Rules) -> ManagerRules:
    start = (
        Point(row["start_latitude"], row["start_longitude"])
        if row["start_latitude"] is not None
        else None
    )
    hours = (
        Span(row["hours_start"], row["hours_end"])
        if row["hours_start"] is not None
        else rules.hours
    )
    return ManagerRules(
        manager_id=row["id"],
        start=start,
        hours=hours,
        weekdays=frozenset(int(d) for d in row["weekdays"]),
        capacity=row["capacity"] or rules.capacity,
        leave=frozenset(row["leave"]),
    )


def account_rules(row: Mapping[str, Any], rules: Rules) -> AccountRules:
    window = (
        Span(row["window_start"], row["window_end"])
        if row["window_start"] is not None
        else rules.window
    )
    location = Point(row["latitude"], row["longitude"]) if row["latitude"] is not None else None
    return AccountRules(
        organization_id=row["id"],
        manager_id=row["account_manager_id"],
        cadence_days=rules.cadence_days(row["tier"], row["is_key_account"]),
        route_weekday=row["route_weekday"],
        window=window,
        visit_minutes=row["visit_minutes"] or rules.visit_minutes,
        location=location,
        last_visit=row["last_visit"],
    )


def open_request(row: Mapping[str, Any], today: date, zone: ZoneInfo) -> OpenRequest:
    return OpenRequest(
        request_id=row["id"],
        organization_id=row["organization_id"],
        manager_id=row["account_manager_id"],
        earliest=max(today, site_day(row["requested_at"], zone)),
        due_by=site_day(row["due_by"], zone),
    )


def booked(row: Mapping[str, Any]) -> Booked:
    return Booked(
        visit_id=row["id"],
        organization_id=row["organization_id"],
        manager_id=row["manager_id"],
        day=row["day"],
        kind=VisitKind(row["kind"]),
        state=VisitState(row["state"]),
        pinned=row["pinned"],
        request_id=row["request_id"],
    )


def plan_input(
    *,
    today: date,
    rules: Rules,
    zone: ZoneInfo,
    closed: frozenset[date],
    extra: frozenset[date],
    managers: Sequence[Mapping[str, Any]],
    accounts: Sequence[Mapping[str, Any]],
    requests: Sequence[Mapping[str, Any]],
    booked_rows: Sequence[Mapping[str, Any]],
) -> PlanInput:
    horizon_end = today + timedelta(days=rules.horizon_weeks * 7 - 1)
    known = {m["id"] for m in managers}
    return PlanInput(
        today=today,
        horizon_end=horizon_end,
        closed_days=frozenset(d for d in closed if today <= d <= horizon_end),
        working_days=frozenset(d for d in extra if today <= d <= horizon_end),
        managers=[manager_rules(m, rules) for m in managers],
        accounts=[account_rules(a, rules) for a in accounts if a["account_manager_id"] in known],
        requests=[
            open_request(r, today, zone) for r in requests if r["account_manager_id"] in known
        ],
        booked=[
            booked(b)
            for b in booked_rows
            if b["manager_id"] in known or b.get("account_manager_id") in known
        ],
    )
