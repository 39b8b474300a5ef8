"""Planning visits: read the rules and the plan, run the pure planner and the tour solver, and
write back only the difference, in one transaction."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from contact_center import audit, live, site
from contact_center.audit import Actor
from contact_center.db import Conn, Pool, transaction
from contact_center.live import Event
from contact_center.visits import plan_store, planning, tours, visit_store
from contact_center.visits.model import (
    ManagerRules,
    PlanInput,
    Point,
    Stop,
    Unplaced,
    VisitState,
)
from contact_center.visits.plan_input import Rules, instant, minutes, plan_input, site_day

log = logging.getLogger(__name__)
PLANNER = Actor.system("visit-planner")


@dataclass(frozen=True)
class PlanContext:
    """What one planning pass read: the planner's input and the site's zone and rules."""

    inp: PlanInput
    zone: ZoneInfo
    rules: Rules


@dataclass
class PlanResult:
    placed: int = 0  # new visits written
    moved: int = 0  # booked visits put on another day
    kept: int = 0  # booked visits left as they were
    dropped: int = 0  # booked visits cancelled because the plan no longer holds them
    not_written: int = 0  # new visits the database refused (a live visit held the day)
    unplaced: list[Unplaced] = field(default_factory=list)
    days: set[tuple[UUID, date]] = field(default_factory=set)  # manager-days changed


async def read_context(
    conn: Conn, *, manager_ids: Sequence[UUID] | None, now: datetime
) -> PlanContext:
    settings = await site.load(conn)
    zone = ZoneInfo(settings.timezone)
    rules = Rules.of(settings.visit_rules)
    calendar = site.calendar_of(settings, around=now)
    today = site_day(now, zone)
    return PlanContext(
        inp=plan_input(
            today=today,
            rules=rules,
            zone=zone,
            closed=frozenset(calendar.closed),
            extra=frozenset(calendar.extra) - frozenset(calendar.closed),
            managers=await plan_store.managers(conn, manager_ids, today),
            accounts=await plan_store.accounts(conn, manager_ids, rules.cadence_tiers(), today),
            requests=await plan_store.requests(conn, manager_ids, today),
            booked_rows=await plan_store.booked(conn, manager_ids, today),
        ),
        zone=zone,
        rules=rules,
    )


async def site_hour(pool: Pool, now: datetime) -> int:
    async with pool.acquire() as conn:
        zone = ZoneInfo((await site.load(conn)).timezone)
    return now.astimezone(zone).hour


async def plan_visits(
    pool: Pool,
    *,
    manager_ids: Sequence[UUID] | None = None,
    now: datetime,
    actor: Actor = PLANNER,
) -> PlanResult:
    """Re-plan the horizon for these managers (all when None). Idempotent: a second run with
    nothing changed writes nothing."""
    async with transaction(pool) as conn:
        await plan_store.lock_planning(conn)
        ctx = await read_context(conn, manager_ids=manager_ids, now=now)
        # The planner and the tour solver take seconds on a full plan: off the event loop.
        plan = await asyncio.to_thread(planning.plan, ctx.inp)
        result = await _apply(conn, ctx, plan, actor=actor, now=now)
        await reorder_days(conn, ctx, result.days, now=now)
        await announce(conn, result.days)
    if result.unplaced:  # one line per run, not one per visit: a full plan may leave many
        reasons = Counter(m.reason for m in result.unplaced)
        first = result.unplaced[0]
        log.warning(
            "%d visits not placed (%s); e.g. account %s of manager %s: %s",
            len(result.unplaced),
            ", ".join(f"{reason}: {n}" for reason, n in sorted(reasons.items())),
            first.organization_id,
            first.manager_id,
            first.reason,
        )
    return result


async def _apply(
    conn: Conn, ctx: PlanContext, plan: Any, *, actor: Actor, now: datetime
) -> PlanResult:
    result = PlanResult(unplaced=list(plan.unplaced))
    booked = {b.visit_id: b for b in ctx.inp.booked}
    new_rows: list[tuple[UUID, UUID, date, str, UUID | None]] = []
    moved_ids: list[UUID] = []
    moved_days: list[date] = []
    carried: list[tuple[UUID, UUID | None, str]] = []
    for placed in plan.placed:
        if placed.visit_id is None:
            new_rows.append(
                (
                    placed.organization_id,
                    placed.manager_id,
                    placed.day,
                    placed.kind.value,
                    placed.request_id,
                )
            )
            continue
        before = booked.get(placed.visit_id)
        if before is not None and (before.request_id, before.kind) != (
            placed.request_id,
            placed.kind,
        ):
            carried.append((placed.visit_id, placed.request_id, placed.kind.value))
            result.days.add((placed.manager_id, placed.day))
        if before is not None and before.day != placed.day:
            moved_ids.append(placed.visit_id)
            moved_days.append(placed.day)
            result.days.update({(before.manager_id, before.day), (placed.manager_id, placed.day)})
        else:
            result.kept += 1
    dropped = await visit_store.cancel_many(conn, list(plan.dropped), "replanned", now)
    # A request whose visit was dropped, or that the plan left without a visit (none fitted in
    # its days), waits for the planner again rather than staying "planned" on nothing.
    carried_now = {p.request_id for p in plan.placed if p.request_id is not None}
    let_go = {
        b.request_id
        for b in booked.values()
        if b.request_id is not None and b.state is VisitState.PLANNED
    }
    await plan_store.reopen_requests(conn, sorted(let_go - carried_now, key=lambda r: r.int))
    await visit_store.redate_many(conn, moved_ids, moved_days, now)
    created = await visit_store.insert_many(conn, new_rows, now)
    if len(created) < len(new_rows):  # a live visit already holds the day: the plan misread
        result.not_written = len(new_rows) - len(created)
        log.warning(
            "%d of %d planned visits not written (the account already has a live visit that"
            " day); their requests stay open",
            result.not_written,
            len(new_rows),
        )
    await visit_store.carry_requests(
        conn, [c[0] for c in carried], [c[1] for c in carried], [c[2] for c in carried], now
    )
    await plan_store.mark_requests_planned(
        conn, [p.request_id for p in plan.placed if p.request_id is not None]
    )
    result.placed, result.moved, result.dropped = len(created), len(moved_ids), len(dropped)
    result.days.update((m, d) for _, m, d in created)
    result.days.update((m, d) for _, m, d in dropped)
    changes: list[tuple[object, str, dict[str, Any]]] = [
        (i, "planned", {"manager_id": m, "day": d}) for i, m, d in created
    ]
    changes += [(i, "moved", {"day": d}) for i, d in zip(moved_ids, moved_days, strict=True)]
    changes += [(i, "dropped", {"reason": "replanned"}) for i, _, _ in dropped]
    changes += [(i, "carries_request", {"request_id": r}) for i, r, _ in carried]
    await audit.record_changes(conn, actor, "visit", changes, at=now)
    return result


async def reorder_days(
    conn: Conn, ctx: PlanContext, days: Iterable[tuple[UUID, date]], *, now: datetime
) -> None:
    """Order each of these manager-days with the tour solver and store sequence and times,
    plus any day in the horizon whose visits have no order yet."""
    wanted = set(days)
    stops_by_day = await _stops(conn, ctx)
    wanted.update(k for k, rows in stops_by_day.items() if any(r["sequence"] is None for r in rows))
    managers = {m.manager_id: m for m in ctx.inp.managers}
    work = [
        (day, [_stop(r) for r in stops_by_day[(m, day)]], managers[m])
        for m, day in sorted(wanted)
        if stops_by_day.get((m, day)) and m in managers
    ]
    # OR-Tools runs in a thread: the web process and the worker keep answering meanwhile.
    ids, seqs, arrives, leaves = await asyncio.to_thread(_order_days, work, ctx.zone)
    await visit_store.set_times(conn, ids, seqs, arrives, leaves, now)


def _order_days(
    work: list[tuple[date, list[Stop], ManagerRules]], zone: ZoneInfo
) -> tuple[list[UUID], list[int], list[datetime | None], list[datetime | None]]:
    ids: list[UUID] = []
    seqs: list[int] = []
    arrives: list[datetime | None] = []
    leaves: list[datetime | None] = []
    for day, stops, rules in work:
        tour = tours.order_day(
            stops,
            start=rules.start,
            day_start=minutes(rules.hours.start),
            day_end=minutes(rules.hours.end),
        )
        service = {s.key: s.service_minutes for s in stops}
        for seq, (key, minute) in enumerate(zip(tour.order, tour.arrivals, strict=True)):
            ids.append(key)
            seqs.append(seq)
            arrives.append(instant(day, minute, zone))
            leaves.append(instant(day, minute + service[key], zone))
    return ids, seqs, arrives, leaves


def _stop(row: Any) -> Stop:
    location = Point(row["latitude"], row["longitude"]) if row["latitude"] is not None else None
    return Stop(
        key=row["id"],
        location=location,
        window_start=minutes(row["window_start"]),
        window_end=minutes(row["window_end"]),
        service_minutes=row["duration_minutes"],
    )


async def _stops(conn: Conn, ctx: PlanContext) -> dict[tuple[UUID, date], list[Any]]:
    rules = ctx.rules
    only = ctx.inp.managers[0].manager_id if len(ctx.inp.managers) == 1 else None
    rows = await visit_store.view_rows(
        conn,
        rules.view_defaults,
        manager_id=only,
        first=ctx.inp.today,
        last=ctx.inp.horizon_end,
        states=["planned", "confirmed", "done"],
    )
    known = {m.manager_id for m in ctx.inp.managers}
    grouped: dict[tuple[UUID, date], list[Any]] = defaultdict(list)
    for row in rows:
        if row["manager_id"] in known:
            grouped[(row["manager_id"], row["day"])].append(row)
    return grouped


async def announce(conn: Conn, days: Iterable[tuple[UUID, date]]) -> None:
    """One `visit.updated` per manager-day changed, not one per visit."""
    await live.publish_many(
        conn,
        [
            (Event.VISIT_UPDATED, {"manager_id": m, "day": d.isoformat()})
            for m, d in sorted(set(days))
        ],
    )
