"""A manager's visit profile (start point, hours, weekdays, capacity), leave days and the
secret calendar feed URL; each change re-plans the manager."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from contact_center import audit, site
from contact_center.audit import Actor
from contact_center.db import Conn, Pool, transaction
from contact_center.errors import Invalid, NotFound
from contact_center.i18n import gettext as _
from contact_center.visits import feed, plan_store, visit_store
from contact_center.visits.plan_input import Rules, site_day
from contact_center.visits.service import queue_plan
from contact_center.visits.views import view_of

FEED_PAST_DAYS = 28  # the feed shows recent history as well as the plan ahead


@dataclass(frozen=True)
class Profile:
    manager_id: UUID
    start_latitude: float | None
    start_longitude: float | None
    hours: list[str] | None  # ["08:30", "18:00"]; None: the site's visit rules
    weekdays: list[int]
    capacity: int | None  # None: the site's daily capacity
    version: int  # 0: never saved (the defaults)


@dataclass(frozen=True)
class Leave:
    day: date
    note: str


async def _known(conn: Conn, manager_id: UUID) -> None:
    if not await plan_store.is_user(conn, manager_id):
        raise NotFound(_("No such manager."))


def _profile(manager_id: UUID, row: Any) -> Profile:
    if row is None:
        return Profile(manager_id, None, None, None, [1, 2, 3, 4, 5], None, 0)
    hours = (
        [row["hours_start"].strftime("%H:%M"), row["hours_end"].strftime("%H:%M")]
        if row["hours_start"] is not None
        else None
    )
    return Profile(
        manager_id,
        row["start_latitude"],
        row["start_longitude"],
        hours,
        sorted(row["weekdays"]),
        row["capacity"],
        row["version"],
    )


async def get_profile(pool: Pool, manager_id: UUID) -> Profile:
    async with pool.acquire() as conn:
        return _profile(manager_id, await plan_store.profile(conn, manager_id))


async def save_profile(
    pool: Pool, actor: Actor, manager_id: UUID, body: dict[str, Any], *, now: datetime
) -> Profile:
    lat, lon = body.get("start_latitude"), body.get("start_longitude")
    if (lat is None) != (lon is None):
        raise Invalid(_("Give both latitude and longitude, or neither."), field="start_longitude")
    hours = body.get("hours")
    start = end = None
    if hours is not None:
        start, end = time.fromisoformat(hours[0]), time.fromisoformat(hours[1])
        if not start < end:
            raise Invalid(_("The working hours must start before they end."), field="hours")
    values = {
        "start_latitude": lat,
        "start_longitude": lon,
        "hours_start": start,
        "hours_end": end,
        "weekdays": sorted(set(body["weekdays"])),
        "capacity": body.get("capacity"),
    }
    async with transaction(pool) as conn:
        await _known(conn, manager_id)
        before = _profile(manager_id, await plan_store.profile(conn, manager_id))
        saved = _profile(manager_id, await plan_store.save_profile(conn, manager_id, values, now))
        await audit.record_change(
            conn,
            actor,
            "visit_profile",
            manager_id,
            "saved",
            before=before.__dict__,
            after=saved.__dict__,
            at=now,
        )
        await queue_plan(conn, manager_id)
    return saved


async def list_leave(pool: Pool, manager_id: UUID, *, now: datetime) -> list[Leave]:
    async with pool.acquire() as conn:
        zone = ZoneInfo((await site.load(conn)).timezone)
        rows = await plan_store.leave_days(conn, manager_id, site_day(now, zone) - timedelta(90))
    return [Leave(r["day"], r["note"]) for r in rows]


async def add_leave(
    pool: Pool, actor: Actor, manager_id: UUID, day: date, note: str, *, now: datetime
) -> Leave:
    async with transaction(pool) as conn:
        await _known(conn, manager_id)
        if await plan_store.add_leave(conn, manager_id, day, note, now):
            await audit.record_change(
                conn, actor, "visit_leave", manager_id, "added", after={"day": day}, at=now
            )
            await queue_plan(conn, manager_id)
    return Leave(day, note)


async def remove_leave(
    pool: Pool, actor: Actor, manager_id: UUID, day: date, *, now: datetime
) -> None:
    async with transaction(pool) as conn:
        if not await plan_store.remove_leave(conn, manager_id, day):
            raise NotFound(_("No leave on that day."))
        await audit.record_change(
            conn, actor, "visit_leave", manager_id, "removed", before={"day": day}, at=now
        )
        await queue_plan(conn, manager_id)


def new_token() -> str:
    return secrets.token_urlsafe(16)  # 128 random bits


async def feed_token(
    pool: Pool, actor: Actor, manager_id: UUID, *, rotate: bool, now: datetime
) -> str:
    """The manager's feed secret, made on first use; `rotate` replaces it (old URLs stop)."""
    async with transaction(pool) as conn:
        await _known(conn, manager_id)
        token = await plan_store.feed_token(conn, manager_id)
        if token is None or rotate:
            token = new_token()
            await plan_store.set_feed_token(conn, manager_id, token, now)
            action = "rotated" if rotate else "created"
            await audit.record_change(conn, actor, "calendar_feed", manager_id, action, at=now)
    return token


async def calendar_for(
    pool: Pool, manager_id: UUID, *, first: date | None, last: date | None, now: datetime
) -> bytes:
    """The manager's visits from `first` to `last` (default: 4 weeks back to the horizon)."""
    async with pool.acquire() as conn:
        settings = await site.load(conn)
        rules = Rules.of(settings.visit_rules)
        today = site_day(now, ZoneInfo(settings.timezone))
        first = first or today - timedelta(days=FEED_PAST_DAYS)
        last = last or today + timedelta(weeks=rules.horizon_weeks)
        rows = await visit_store.view_rows(
            conn,
            rules.view_defaults,
            manager_id=manager_id,
            first=first,
            last=last,
        )
    views = [view_of(r, today) for r in rows]
    name = views[0].manager_name if views else str(manager_id)
    return feed.calendar_of(name, views, now=now)


async def calendar_by_token(pool: Pool, token: str, *, now: datetime) -> bytes:
    async with pool.acquire() as conn:
        manager_id = await plan_store.feed_manager(conn, token)
    if manager_id is None:
        raise NotFound(_("No such calendar."))
    return await calendar_for(pool, manager_id, first=None, last=None, now=now)


async def set_account_visit(
    pool: Pool,
    actor: Actor,
    organization_id: UUID,
    *,
    window: tuple[time, time] | None,
    visit_minutes: int | None,
    now: datetime,
) -> None:
    """When an account may be visited and for how long (None: the site's visit rules)."""
    if window is not None and not window[0] < window[1]:
        raise Invalid(_("The visit window must start before it ends."), field="window")
    async with transaction(pool) as conn:
        await plan_store.save_account_visit(conn, organization_id, window, visit_minutes, now)
        await audit.record_change(
            conn,
            actor,
            "visit_account",
            organization_id,
            "saved",
            after={
                "window": [t.isoformat() for t in window] if window else None,
                "visit_minutes": visit_minutes,
            },
            at=now,
        )
        manager_id = await plan_store.account_manager(conn, organization_id)
        if manager_id is not None:
            await queue_plan(conn, manager_id)
