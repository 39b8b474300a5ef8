"""A manager's visits: the list and the day's route, moving a visit by hand (re-validated by
the planner's rules), and recording what happened."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from contact_center import audit, site
from contact_center.audit import Actor
from contact_center.db import Conn, Pool, transaction
from contact_center.errors import Conflict, Forbidden, Invalid, NotFound
from contact_center.i18n import gettext as _
from contact_center.visits import (
    plan_service,
    plan_store,
    planning,
    service,
    store,
    visit_store,
)
from contact_center.visits.model import Point, Visit, VisitReason, VisitState
from contact_center.visits.plan_input import Rules, site_day
from contact_center.visits.service import queue_plan
from contact_center.visits.tours import haversine_km, travel_minutes
from contact_center.visits.views import MISSED_NOTE, WAITING, VisitView, view_of

# What an outcome may follow: a made or missed visit is history; a cancelled one is gone.
NEXT_STATES = {
    VisitState.PLANNED: {
        VisitState.CONFIRMED,
        VisitState.DONE,
        VisitState.MISSED,
        VisitState.CANCELLED,
    },
    VisitState.CONFIRMED: {VisitState.DONE, VisitState.MISSED, VisitState.CANCELLED},
    VisitState.DONE: {VisitState.DONE},  # notes may be completed later
}


MAX_DAYS = 400  # days one list answers at most
LIVE = ["planned", "confirmed", "done"]  # the visits a day's route holds
MAKE_UP_DAYS = 7  # a missed visit of an account without a cadence is made up within a week


def refusal_text(reason: str) -> str:
    """The planner's refusal keys, for people."""
    texts = {
        "past": _("That day is in the past."),
        "request_due": _("That day is after the date the visit was asked for by."),
        "beyond_horizon": _("That day is beyond the planning horizon."),
        "not_working_day": _("The manager does not work on that weekday."),
        "on_leave": _("The manager is on leave that day."),
        "closed_day": _("That day is a holiday or closure."),
        "day_full": _("That day is already full."),
        "account_has_visit": _("The account already has a visit that day."),
    }
    return texts.get(reason, reason)


@dataclass(frozen=True)
class DayRoute:
    day: date
    manager_id: UUID
    start: Point | None
    stops: list[VisitView]
    distance_km: float
    travel_minutes: int


async def _defaults(conn: Conn) -> tuple[tuple[object, object, int], ZoneInfo]:
    settings = await site.load(conn)
    rules = Rules.of(settings.visit_rules)
    return rules.view_defaults, ZoneInfo(settings.timezone)


async def visit_managers(pool: Pool) -> set[UUID]:
    """The users the planner plans visits for."""
    async with pool.acquire() as conn:
        return await plan_store.manager_ids(conn)


async def list_visits(
    pool: Pool,
    *,
    manager_id: UUID | None,
    first: date | None,
    last: date | None,
    now: datetime,
) -> list[VisitView]:
    """Visits from `first` (default: the site's day at `now`, which starts at midnight site
    time, not UTC) to `last` (default: six days later), at most MAX_DAYS days."""
    async with pool.acquire() as conn:
        defaults, zone = await _defaults(conn)
        today = site_day(now, zone)
        first = today if first is None else first
        last = first + timedelta(days=6) if last is None else last
        last = min(last, first + timedelta(days=MAX_DAYS - 1))  # the route says so
        if last < first:
            return []
        rows = await visit_store.view_rows(
            conn, defaults, manager_id=manager_id, first=first, last=last
        )
    return [view_of(r, today) for r in rows]


async def get_visit(pool: Pool, visit_id: UUID, *, now: datetime) -> VisitView:
    async with pool.acquire() as conn:
        defaults, zone = await _defaults(conn)
        row = await visit_store.view_row(conn, defaults, visit_id)
    if row is None:
        raise NotFound(_("No such visit."))
    return view_of(row, site_day(now, zone))


async def day_route(pool: Pool, *, manager_id: UUID, day: date | None, now: datetime) -> DayRoute:
    """The day's live visits (default: the site's day) in route order, with the distance and
    travel the tour takes."""
    async with pool.acquire() as conn:
        defaults, zone = await _defaults(conn)
        today = site_day(now, zone)
        day = today if day is None else day
        rows = await visit_store.view_rows(
            conn, defaults, manager_id=manager_id, first=day, last=day, states=LIVE
        )
        row = await plan_store.profile(conn, manager_id)
    views = [view_of(r, today) for r in rows]
    start = (
        Point(row["start_latitude"], row["start_longitude"])
        if row is not None and row["start_latitude"] is not None
        else None
    )
    points = [
        Point(v.latitude, v.longitude)
        for v in views
        if v.latitude is not None and v.longitude is not None
    ]
    if v_start := start or (points[0] if points else None):
        legs = [v_start, *points, v_start]
        km = sum(haversine_km(a, b) for a, b in itertools.pairwise(legs))
    else:
        km = 0.0
    return DayRoute(day, manager_id, start, views, round(km, 2), travel_minutes(km))


async def _locked(conn: Conn, visit_id: UUID, user_id: UUID | None, overseer: bool) -> Visit:
    visit = await visit_store.lock_visit(conn, visit_id)
    if visit is None:
        raise NotFound(_("No such visit."))
    if not overseer and visit.manager_id != user_id:
        raise Forbidden(_("This visit is another manager's."))
    return visit


def _check_version(visit: Visit, version: int) -> None:
    if visit.version != version:
        raise Conflict(
            _(
                "The visit changed since you loaded it (version {now}); reload and try again."
            ).format(now=visit.version)
        )


async def move_visit(
    pool: Pool,
    actor: Actor,
    visit_id: UUID,
    *,
    day: date,
    version: int,
    overseer: bool,
    now: datetime,
) -> VisitView:
    """Move a planned or confirmed visit to `day` by hand when the planner's rules allow it;
    it is pinned there (later plans keep it) and both days are re-ordered."""
    async with transaction(pool) as conn:
        await plan_store.lock_planning(conn)
        visit = await _locked(conn, visit_id, actor.user_id, overseer)
        _check_version(visit, version)
        if visit.state not in WAITING:
            raise Conflict(_("Only a planned or confirmed visit can be moved."))
        ctx = await plan_service.read_context(conn, manager_ids=[visit.manager_id], now=now)
        if day != visit.day:
            due = await store.due_by(conn, visit.request_id) if visit.request_id else None
            reason = planning.refusal(
                ctx.inp,
                visit.organization_id,
                visit.manager_id,
                day,
                visit_id=visit.id,
                due_by=site_day(due, ctx.zone) if due is not None else None,
            )
            if reason is not None:
                raise Invalid(refusal_text(reason), field="day")
        moved = await visit_store.move(conn, visit.id, day, now)
        await audit.record_change(
            conn,
            actor,
            "visit",
            visit.id,
            "moved",
            before={"day": visit.day},
            after={"day": day, "pinned": True},
            at=now,
        )
        days = {(visit.manager_id, visit.day), (moved.manager_id, moved.day)}
        await plan_service.reorder_days(conn, ctx, days, now=now)
        await plan_service.announce(conn, days)
    return await get_visit(pool, visit.id, now=now)


async def record_outcome(
    pool: Pool,
    actor: Actor,
    visit_id: UUID,
    *,
    state: VisitState,
    notes: str,
    next_steps: str,
    satisfaction: int | None,
    version: int,
    overseer: bool,
    now: datetime,
) -> VisitView:
    """Confirm, or record a visit done, missed or cancelled. A missed visit asks for a make-up
    visit due within the account's cadence and re-plans its manager."""
    notes, next_steps = notes.strip(), next_steps.strip()
    if state is VisitState.DONE and not notes:
        raise Invalid(_("Say what happened at the visit."), field="outcome_notes")
    if satisfaction is not None and state is not VisitState.DONE:
        raise Invalid(_("Satisfaction is recorded with a visit done."), field="satisfaction")
    async with transaction(pool) as conn:
        await plan_store.lock_planning(conn)  # a plan running now must not undo this outcome
        visit = await _locked(conn, visit_id, actor.user_id, overseer)
        _check_version(visit, version)
        if state not in NEXT_STATES.get(visit.state, set()):
            raise Conflict(
                _("A {before} visit cannot become {after}.").format(
                    before=visit.state.value, after=state.value
                )
            )
        settings = await site.load(conn)
        zone = ZoneInfo(settings.timezone)
        if state in {VisitState.DONE, VisitState.MISSED} and visit.day > site_day(now, zone):
            raise Invalid(_("A visit is recorded on or after its day."), field="state")
        saved = await visit_store.record_outcome(
            conn,
            visit.id,
            state=state,
            notes=notes,
            next_steps=next_steps,
            satisfaction=satisfaction,
            by=actor.user_id,
            now=now,
        )
        await audit.record_change(
            conn,
            actor,
            "visit",
            visit.id,
            state.value,
            before={"state": visit.state.value},
            after={"state": state.value, "satisfaction": satisfaction},
            at=now,
        )
        if state is VisitState.MISSED:
            await ask_make_up(conn, actor, [saved], now=now)
        elif state is VisitState.CANCELLED:
            if visit.request_id is not None:  # the request waits for the planner again
                await plan_store.reopen_requests(conn, [visit.request_id])
            await queue_plan(conn, visit.manager_id)
        await plan_service.announce(conn, [(visit.manager_id, visit.day)])
    return await get_visit(pool, visit.id, now=now)


async def ask_make_up(conn: Conn, actor: Actor, missed: list[Visit], *, now: datetime) -> None:
    """A missed visit asks for a make-up visit, due within the account's cadence (a week when
    it has none), which re-plans its manager."""
    rules = Rules.of((await site.load(conn)).visit_rules)
    tiers = await plan_store.account_tiers(conn, [v.organization_id for v in missed])
    for visit in missed:
        row = tiers.get(visit.organization_id)
        days = rules.cadence_days(row["tier"], row["is_key_account"]) if row else None
        await service.request_visit(
            conn,
            actor,
            organization_id=visit.organization_id,
            ticket_id=None,
            reason=VisitReason.MISSED,
            due_by=now + timedelta(days=days or MAKE_UP_DAYS),
            now=now,
            note=f"{MISSED_NOTE}{visit.day.isoformat()}",  # put in words when shown
        )
