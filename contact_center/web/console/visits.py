"""The visits console: an account manager's week or month of visits (`/visits`), one day's
route (`/visits/day`). The pages hold the calendar's frame (days, holidays and closures of the
business calendar, the manager picker); `visits.js` and `visit_route.js` read the visits from
the API, move them and record outcomes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

from aiohttp import web

from contact_center import site, users, visits, worktime
from contact_center.errors import Invalid
from contact_center.i18n import N_
from contact_center.i18n import gettext as _
from contact_center.site import SiteSettings
from contact_center.timeutil import to_site_time, utc_now
from contact_center.users import Role, User
from contact_center.web.auth import parse_id, require_role
from contact_center.web.console.pages import data_block, render
from contact_center.web.keys import POOL
from contact_center.web.route import Route

VIEWERS = (Role.ACCOUNT_MANAGER, Role.SUPERVISOR, Role.ADMIN)
OVERSEERS = (Role.SUPERVISOR, Role.ADMIN)  # see every manager's visits
WEEKDAY_LABELS = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)
DAY_KIND_LABELS = {
    "holiday": N_("Public holiday"),
    "closure": N_("Closed"),
    "working_day": N_("Make-up working day"),
}


def _day(raw: str, today: date) -> date:
    if not raw:
        return today
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise Invalid(_("Not a date: use YYYY-MM-DD."), field="day") from None


def _month_start(day: date, months: int = 0) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _span(view: str, anchor: date) -> tuple[date, date, date, date]:
    """The first and last day shown (whole weeks, Monday first) and the anchors of the
    previous and next page."""
    if view == "month":
        first_of_month = _month_start(anchor)
        first = first_of_month - timedelta(days=first_of_month.weekday())
        last_of_month = _month_start(anchor, 1) - timedelta(days=1)
        last = last_of_month + timedelta(days=6 - last_of_month.weekday())
        return first, last, _month_start(anchor, -1), _month_start(anchor, 1)
    first = anchor - timedelta(days=anchor.weekday())
    return first, first + timedelta(days=6), first - timedelta(days=7), first + timedelta(days=7)


async def _managers(request: web.Request, viewer: User) -> list[User]:
    if not viewer.has_role(*OVERSEERS):
        return [viewer]
    everyone = await users.list_users(request.app[POOL])
    planned = await visits.visit_managers(request.app[POOL])  # whoever owns accounts, too
    managers = [u for u in everyone if u.id in planned]
    return sorted(managers, key=lambda u: ((u.name or u.email).casefold(), str(u.id)))


def _chosen(raw: str, viewer: User, managers: list[User]) -> User | None:
    if not viewer.has_role(*OVERSEERS):
        return viewer
    if raw:
        wanted = parse_id(raw, "manager")
        for manager in managers:
            if manager.id == wanted:
                return manager
        raise Invalid(_("No such account manager."), field="manager")
    return managers[0] if managers else None


async def _site_today(request: web.Request) -> tuple[SiteSettings, date]:
    async with request.app[POOL].acquire() as conn:
        settings = await site.load(conn)
    return settings, to_site_time(utc_now(), settings.timezone).date()


def _days(settings: SiteSettings, today: date, first: date, last: date) -> list[dict[str, Any]]:
    """Each shown day with its kind in the business calendar (holiday, closure, make-up
    working day, open, closed) and its label."""
    middle = first + (last - first) / 2
    around = datetime(middle.year, middle.month, middle.day, 12, tzinfo=UTC)
    calendar = site.calendar_of(settings, around=around)
    days = []
    for entry in worktime.calendar_days(calendar, first, (last - first).days + 1):
        label = entry.label or (
            _(DAY_KIND_LABELS[entry.kind]) if entry.kind in DAY_KIND_LABELS else ""
        )
        days.append(
            {
                "date": entry.date.isoformat(),
                "day": entry.date,
                "weekday": _(WEEKDAY_LABELS[entry.date.weekday()]),
                "kind": entry.kind,
                "label": label,
                "today": entry.date == today,
            }
        )
    return days


async def visits_page(request: web.Request) -> web.StreamResponse:
    viewer = require_role(request, *VIEWERS)
    view = "month" if request.query.get("view") == "month" else "week"
    managers = await _managers(request, viewer)
    manager = _chosen(request.query.get("manager", ""), viewer, managers)
    settings, today = await _site_today(request)
    zone = settings.timezone
    anchor = _day(request.query.get("day", ""), today)
    first, last, previous, following = _span(view, anchor)
    days = _days(settings, today, first, last)
    overseer = viewer.has_role(*OVERSEERS)
    context = {
        "view": view,
        "anchor": anchor,
        "title_month": _month_start(anchor),
        "first": first,
        "last": last,
        "previous": previous,
        "following": following,
        "today": today,
        "days": days,
        "weeks": [days[i : i + 7] for i in range(0, len(days), 7)],
        "weekday_labels": [_(label) for label in WEEKDAY_LABELS],
        "managers": managers,
        "manager": manager,
        "overseer": overseer,
        "zone": zone,
        "page_data": data_block(
            {
                "view": view,
                "from": first.isoformat(),
                "to": last.isoformat(),
                "today": today.isoformat(),
                "manager_id": str(manager.id) if manager else None,
                "overseer": overseer,
                "managers": {str(m.id): m.name or m.email for m in managers} if overseer else {},
                "timezone": zone,
            }
        ),
    }
    return render(request, "visits.html", context)


async def route_page(request: web.Request) -> web.StreamResponse:
    viewer = require_role(request, *VIEWERS)
    managers = await _managers(request, viewer)
    manager = _chosen(request.query.get("manager", ""), viewer, managers)
    settings, today = await _site_today(request)
    zone = settings.timezone
    day = _day(request.query.get("day", ""), today)
    days = _days(settings, today, day, day)
    manager_id: UUID | None = manager.id if manager else None
    context = {
        "day": days[0],
        "previous": day - timedelta(days=1),
        "following": day + timedelta(days=1),
        "managers": managers,
        "manager": manager,
        "overseer": viewer.has_role(*OVERSEERS),
        "zone": zone,
        "page_data": data_block(
            {
                "day": day.isoformat(),
                "manager_id": str(manager_id) if manager_id else None,
                "timezone": zone,
            }
        ),
    }
    return render(request, "visit_route.html", context)


ROUTES = [
    Route("GET", "/visits", visits_page, "An account manager's visit calendar", console=True),
    Route("GET", "/visits/day", route_page, "One day's visit route", console=True),
]
