"""Visits seen from the account and the supervisor: asking for a visit, missed visits,
accounts overdue for a visit, a visit's day left without an outcome, satisfaction scores."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from contact_center import audit, site, worktime
from contact_center.audit import Actor
from contact_center.db import Conn, Pool, transaction
from contact_center.visits import account_store, plan_service, service, store, visit_store
from contact_center.visits.model import VisitReason, VisitRequest
from contact_center.visits.plan_input import Rules, site_day
from contact_center.visits.records import ask_make_up
from contact_center.visits.views import VisitView, view_of

log = logging.getLogger(__name__)
GRACE_DAYS = 3  # an account is overdue this many days after its cadence ran out
MISSED_WEEKS = 8  # how far back the supervisors' missed list looks


@dataclass(frozen=True)
class OverdueAccount:
    organization_id: UUID
    account_name: str
    manager_id: UUID
    tier: str | None
    is_key_account: bool
    cadence_days: int
    last_visit: date | None
    next_visit: date | None


@dataclass(frozen=True)
class AccountVisits:
    organization_id: UUID
    next_visit: date | None
    last_visit: date | None
    overdue: bool  # no visit done within the cadence and grace


def _cadence(rules: Rules) -> tuple[dict[str, int], int | None]:
    tiers = {t: w * 7 for t, w in rules.cadence_weeks.items() if w is not None}
    return tiers, tiers.get("A")


async def satisfaction_by_account(conn: Conn, *, since: date) -> dict[UUID, list[int]]:
    """Satisfaction scores (1-5) recorded with visits done since `since`, per account."""
    return await account_store.satisfaction(conn, since)


async def last_done_by_account(conn: Conn, *, until: date) -> dict[UUID, date]:
    """The site day of each account's last visit done up to `until`: activity that keeps an
    account active (its lifecycle stage)."""
    return await account_store.last_done(conn, until)


async def overdue_accounts(
    pool: Pool, *, manager_id: UUID | None, now: datetime
) -> list[OverdueAccount]:
    async with pool.acquire() as conn:
        settings = await site.load(conn)
        tiers, key_days = _cadence(Rules.of(settings.visit_rules))
        rows = await account_store.overdue(
            conn,
            today=site_day(now, ZoneInfo(settings.timezone)),
            cadence=tiers,
            key_days=key_days,
            grace_days=GRACE_DAYS,
            manager_id=manager_id,
        )
    return [OverdueAccount(**dict(r)) for r in rows]


async def account_summary(pool: Pool, organization_id: UUID, *, now: datetime) -> AccountVisits:
    async with pool.acquire() as conn:
        settings = await site.load(conn)
        today = site_day(now, ZoneInfo(settings.timezone))
        tiers, key_days = _cadence(Rules.of(settings.visit_rules))
        days = await account_store.account_days(conn, organization_id, today)
        late = await account_store.overdue(
            conn,
            today=today,
            cadence=tiers,
            key_days=key_days,
            grace_days=GRACE_DAYS,
            organization_id=organization_id,
            limit=1,
        )
    return AccountVisits(organization_id, days["next_visit"], days["last_visit"], bool(late))


async def missed_visits(pool: Pool, *, now: datetime) -> list[VisitView]:
    async with pool.acquire() as conn:
        settings = await site.load(conn)
        rules = Rules.of(settings.visit_rules)
        today = site_day(now, ZoneInfo(settings.timezone))
        rows = await visit_store.missed_rows(
            conn,
            rules.view_defaults,
            today - timedelta(weeks=MISSED_WEEKS),
        )
    return [view_of(r, today) for r in rows]


async def ask_for_visit(
    pool: Pool,
    actor: Actor,
    organization_id: UUID,
    *,
    due_by: date | None,
    note: str,
    now: datetime,
) -> tuple[VisitRequest, bool]:
    """An agent or manager asks for a visit, due by `due_by` (default: within the follow-up
    working days); the account's manager is re-planned. While the account has an open request
    of this kind (waiting, or on a visit still to be made) that one is answered instead, so a
    double click asks once; its note gains this ask's note, and keeps its due date (the plan
    may already hold it): (request, created)."""
    async with transaction(pool) as conn:
        await store.lock_account_requests(conn, organization_id)
        waiting = await store.open_request(conn, organization_id, VisitReason.AGENT)
        if waiting is not None:
            return await service.add_note(conn, actor, waiting, note, now=now), False
        settings = await site.load(conn)
        zone = ZoneInfo(settings.timezone)
        if due_by is None:
            days = int(settings.visit_rules["followup_working_days"])
            calendar = site.calendar_of(settings, around=now)
            due_at = worktime.add(calendar, now, worktime.Duration.parse(f"{days}d"))
        else:
            due_at = datetime.combine(due_by, time(23, 59), zone)
        made = await service.request_visit(
            conn,
            actor,
            organization_id=organization_id,
            ticket_id=None,
            reason=VisitReason.AGENT,
            due_by=due_at,
            now=now,
            note=note,
        )
    return made, True


async def miss_unrecorded(pool: Pool, *, now: datetime) -> int:
    """Visits still planned or confirmed after the working day that follows their day become
    missed (a make-up visit is asked for). Until then they show `needs_outcome`."""
    async with transaction(pool) as conn:
        settings = await site.load(conn)
        zone = ZoneInfo(settings.timezone)
        today = site_day(now, zone)
        calendar = site.calendar_of(settings, around=now)
        rows = await visit_store.overdue_outcomes(conn, today)
        grace: dict[date, date] = {}
        for day in sorted({r["day"] for r in rows}):
            grace[day] = _next_working_day(calendar, day)
        ids = [r["id"] for r in rows if grace[r["day"]] < today]
        missed = await visit_store.mark_missed(conn, ids, now)
        actor = Actor.system("visit-outcomes")
        changes: list[tuple[object, str, dict[str, Any]]] = [
            (v.id, "missed", {"state": "missed", "automatic": True}) for v in missed
        ]
        await audit.record_changes(conn, actor, "visit", changes, at=now)
        await ask_make_up(conn, actor, missed, now=now)
        await plan_service.announce(conn, [(v.manager_id, v.day) for v in missed])
    if missed:
        log.warning("%d visits had no outcome a working day later: recorded as missed", len(missed))
    return len(missed)


def _next_working_day(calendar: worktime.BusinessCalendar, day: date) -> date:
    for step in range(1, 31):
        candidate = day + timedelta(days=step)
        if worktime.arithmetic.working_day(calendar, candidate):
            return candidate
    return day + timedelta(days=1)
