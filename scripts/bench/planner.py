"""Planner benchmark: the visit plan of N key accounts over 8 weeks, and each day's tour.

Seeded, made-up data around one city: managers (one per 50 accounts) with a start point in
their own part of town and 6 to 10 visits a day; accounts around their manager (40% tier A weekly,
60% tier B every 4 weeks, windows all day / mornings / afternoons, 30 to 60 minutes). Routes
are territories walked on a fixed weekday, as in the field: each manager has one part of their
area per weekday (about 4 km from their start), and 85% of an account's places lie within about
1 km of its route weekday's territory, the rest anywhere in the area (balancing to other days
spreads days further); China's 2026 public holidays (Mid-Autumn Festival and the National Day
week, with a make-up Saturday, fall in the horizon), some managers on leave, a few follow-ups.
Measured, on this one process:

- full plan: `planning.plan` plus `tours.order_day` for every manager-day (tour cache empty;
  stops keyed by visit ids as in production, so the cache hits only on repeated content);
- re-plan after 1% changes (route weekdays moved, accounts gone and new, leave taken, new
  requests), with the previous plan booked: `plan` again, and `order_day` only for the days
  whose stop set changed (found from the plan's difference: new, moved and dropped visits);
- growth: the full plan at N/4, N/2 and N;
- travel: the total of the OR-Tools tours against nearest-neighbour tours of the same days.

The baseline is the nearest-neighbour kilometres; `ratio` = OR-Tools km / nearest-neighbour km.
The check: every placed visit is on an open day of its manager, no day above capacity, no
account twice a day, re-planning the booked plan unchanged gives no change, every tour keeps
its windows whenever nearest-neighbour does and is never longer then. Beside it, the worst excess
of a tour over the best of all orders on 40 sampled days of 6-7 stops (brute force).

    .venv/bin/python scripts/bench/planner.py [--quick] [-n ACCOUNTS]
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import os
import platform
import random
import sys
import time
import uuid
from dataclasses import replace
from datetime import date, timedelta
from datetime import time as clock
from typing import Any

import holidays
import ortools

from contact_center.visits import planning, tours
from contact_center.visits.model import (
    AccountRules,
    Booked,
    ManagerRules,
    OpenRequest,
    PlacedVisit,
    Plan,
    PlanInput,
    Point,
    Span,
    Stop,
    Tour,
    VisitState,
)

DEFAULT_N, QUICK_N = 10_000, 1_000
PER_MANAGER = 50
TODAY = date(2026, 9, 18)  # a Friday: the horizon holds the October holiday week
_CN = holidays.country_holidays("CN", years=2026)
HOLIDAY = frozenset(_CN)  # Mid-Autumn Festival and the National Day week are in the horizon
MAKE_UP = frozenset(getattr(_CN, "weekend_workdays", ()))  # Saturday 10 October is worked
CENTRE = (31.23, 121.47)
KM_LAT = 1 / 111.0
WINDOWS = [(540, 1020)] * 3 + [(540, 720), (810, 1020)]  # minutes: all day ×3, am, pm
Key = tuple[uuid.UUID, date]


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _near(rng: random.Random, lat: float, lon: float, km: float) -> Point:
    return Point(lat + rng.gauss(0, km) * KM_LAT, lon + rng.gauss(0, km) * KM_LAT * 1.17)


def scenario(n: int, seed: int = 7) -> tuple[PlanInput, dict[uuid.UUID, Stop]]:
    """The plan input for n accounts, and each account's stop (window, duration, place)."""
    rng = random.Random(seed)
    managers, accounts, stops = [], [], {}
    for _ in range(max(1, n // PER_MANAGER)):
        home = _near(rng, *CENTRE, 8)
        leave = frozenset(
            TODAY + timedelta(days=rng.randrange(3, 56))
            for _ in range(rng.choice([0] * 8 + [2, 5]))
        )
        hours = Span(clock(8, 30), clock(18))
        capacity = rng.choice([6, 7, 8, 8, 10])  # visits a day, from the manager's profile
        manager = ManagerRules(_uuid(rng), home, hours, frozenset(range(1, 6)), capacity, leave)
        managers.append(manager)
        # Routes are territories walked on a fixed weekday: one part of the manager's area
        # per weekday, its accounts close together; a few lie anywhere in the area.
        territory = {w: _near(rng, home.latitude, home.longitude, 4) for w in range(1, 6)}
        for _ in range(PER_MANAGER):
            org = _uuid(rng)
            weekly = rng.random() < 0.4
            cadence = 7 if weekly else 28
            start, end = rng.choice(WINDOWS)
            minutes = rng.choice([30, 45, 45, 60])
            weekday = rng.randrange(1, 6)
            centre = territory[weekday] if rng.random() < 0.85 else home
            place = _near(rng, centre.latitude, centre.longitude, 1.2 if centre != home else 4)
            last = TODAY - timedelta(days=rng.randrange(1, cadence + 1))
            window = Span(clock(start // 60, start % 60), clock(end // 60, end % 60))
            accounts.append(
                AccountRules(
                    org,
                    manager.manager_id,
                    cadence,
                    weekday,
                    window,
                    minutes,
                    place,
                    last,
                )
            )
            stops[org] = Stop(org, place, start, end, minutes)
    requests = [
        OpenRequest(_uuid(rng), a.organization_id, a.manager_id, TODAY, TODAY + timedelta(days=5))
        for a in rng.sample(accounts, len(accounts) // 200)
    ]
    inp = PlanInput(
        today=TODAY,
        horizon_end=TODAY + timedelta(weeks=8),
        closed_days=HOLIDAY,
        working_days=MAKE_UP,
        managers=managers,
        accounts=accounts,
        requests=requests,
    )
    return inp, stops


def visit_key(p: PlacedVisit, i: int, first: bool = True) -> uuid.UUID:
    """The stop's key as in production, a visit id: the booked one, else a new one (those of
    a first plan are the ids `booked_from` gives)."""
    return p.visit_id or uuid.UUID(int=i + 1 if first else (1 << 64) + i)


def days_of(
    result: Plan,
    stops: dict[uuid.UUID, Stop],
    *,
    first: bool = True,
    only: set[Key] | None = None,
) -> dict[Key, tuple[Stop, ...]]:
    """The plan's stops per manager-day (only the days in `only` when given)."""
    days: dict[Key, list[Stop]] = {}
    for i, p in enumerate(result.placed):
        if only is not None and (p.manager_id, p.day) not in only:
            continue
        s = stops[p.organization_id]
        key = visit_key(p, i, first)
        stop = Stop(key, s.location, s.window_start, s.window_end, s.service_minutes)
        days.setdefault((p.manager_id, p.day), []).append(stop)
    return {key: tuple(day) for key, day in days.items()}


def order_all(
    inp: PlanInput, days: dict[Key, tuple[Stop, ...]], which: Any = None
) -> dict[Key, Tour]:
    starts = {m.manager_id: m.start for m in inp.managers}
    return {
        key: (which or tours.order_day)(day, start=starts[key[0]], day_start=510, day_end=1080)
        for key, day in sorted(days.items(), key=lambda kv: (str(kv[0][0]), kv[0][1]))
    }


class Clock:
    """Wall and CPU seconds of this process since it was made (CPU: the machine is shared).
    It starts with a full garbage collection, so that one over the earlier runs' leftovers
    does not fall inside the measured part (it cost 0.45 s of a 10,000-account re-plan)."""

    def __init__(self) -> None:
        gc.collect()
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def read(self) -> tuple[float, float]:
        return time.perf_counter() - self.wall, time.process_time() - self.cpu


def full_plan(
    inp: PlanInput, stops: dict[uuid.UUID, Stop]
) -> tuple[tuple[float, float], Plan, dict[Key, Tour]]:
    tours._ordered.cache_clear()
    clock_ = Clock()
    result = planning.plan(inp)
    ordered = order_all(inp, days_of(result, stops))
    return clock_.read(), result, ordered


def booked_from(result: Plan) -> list[Booked]:
    return [
        Booked(
            visit_key(p, i),
            p.organization_id,
            p.manager_id,
            p.day,
            p.kind,
            VisitState.PLANNED,
            False,
            p.request_id,
        )
        for i, p in enumerate(result.placed)
    ]


def changed(inp: PlanInput, stops: dict[uuid.UUID, Stop], booked: list[Booked]) -> PlanInput:
    """1% of the accounts changed: route weekdays moved, gone, new; leave; new requests."""
    rng = random.Random(99)
    accounts = list(inp.accounts)
    picks = rng.sample(range(len(accounts)), max(4, len(accounts) // 100))
    for n, i in enumerate(picks):
        a = accounts[i]
        if n % 4 == 0:
            accounts[i] = replace(
                a, route_weekday=a.route_weekday % 5 + 1 if a.route_weekday else 1
            )
        elif n % 4 == 1:
            accounts[i] = replace(a, cadence_days=None)  # no longer a key account
        elif n % 4 == 2:
            org = _uuid(rng)
            accounts.append(replace(a, organization_id=org, last_visit=None))
            stops[org] = replace(stops[a.organization_id], key=org)
    managers = list(inp.managers)
    for i in rng.sample(range(len(managers)), max(1, len(managers) // 100)):
        managers[i] = replace(managers[i], leave=managers[i].leave | {TODAY + timedelta(days=10)})
    requests = list(inp.requests) + [
        OpenRequest(
            _uuid(rng),
            accounts[i].organization_id,
            accounts[i].manager_id,
            TODAY,
            TODAY + timedelta(days=5),
        )
        for n, i in enumerate(picks)
        if n % 4 == 3
    ]
    return replace(inp, accounts=accounts, managers=managers, requests=requests, booked=booked)


def changed_days(
    replanned: Plan, booked: list[Booked], stops: dict[uuid.UUID, Stop]
) -> dict[Key, tuple[Stop, ...]]:
    """The days whose stop set the re-plan changed (a visit new, moved in or out, dropped),
    with their stops now: found from the plan's difference, as the service does."""
    was = {b.visit_id: (b.manager_id, b.day) for b in booked}
    touched: set[Key] = {was[v] for v in replanned.dropped}
    for p in replanned.placed:
        if p.visit_id is None or was[p.visit_id] != (p.manager_id, p.day):
            touched.add((p.manager_id, p.day))
            if p.visit_id is not None:
                touched.add(was[p.visit_id])
    return days_of(replanned, stops, first=False, only=touched)


def optimality_gap(inp: PlanInput, days: dict[Key, tuple[Stop, ...]], sample: int = 40) -> float:
    """The worst excess of the tours over the best of all orders, on a sample of 6-7 stop days
    whose best order keeps every window (tried by brute force)."""
    starts = {m.manager_id: m.start for m in inp.managers}
    rng = random.Random(5)
    big = sorted((k for k, d in days.items() if 6 <= len(d) <= 7), key=lambda k: (str(k[0]), k[1]))
    worst = 0.0
    for key in rng.sample(big, min(sample, len(big))):
        day = tours._Day(tuple(sorted(days[key], key=lambda s: s.key)), starts[key[0]])
        best = min(
            (len(late), km)
            for order in itertools.permutations(range(len(day.stops)))
            for _, km, late in [day.timeline(order, 510)]
        )
        tour = tours.order_day(days[key], start=starts[key[0]], day_start=510, day_end=1080)
        if best[0] == 0 and not tour.late:
            worst = max(worst, tour.distance_km / best[1] - 1)
    return round(worst, 4)


def check(
    inp: PlanInput, result: Plan, ordered: dict[Key, Tour], nn: dict[Key, Tour]
) -> dict[str, Any]:
    rules = {m.manager_id: m for m in inp.managers}
    bad_day = [p for p in result.placed if planning.closed_reason(inp, rules[p.manager_id], p.day)]
    loads: dict[Key, int] = {}
    org_days = set()
    for p in result.placed:
        loads[p.manager_id, p.day] = loads.get((p.manager_id, p.day), 0) + 1
        org_days.add((p.organization_id, p.day))
    over = [k for k, v in loads.items() if v > rules[k[0]].capacity]
    longer = [
        k
        for k, t in ordered.items()
        if not nn[k].late and (t.late or t.distance_km > nn[k].distance_km + 1e-9)
    ]
    booked = booked_from(result)
    again = planning.plan(replace(inp, booked=booked))
    was = {b.visit_id: b.day for b in booked}
    moved = (
        sum(p.visit_id is None for p in again.placed)
        + sum(1 for p in again.placed if p.visit_id and was.get(p.visit_id) != p.day)
        + len(again.dropped)
    )
    return {
        "ok": not (bad_day or over or longer or moved) and len(org_days) == len(result.placed),
        "closed_day_visits": len(bad_day),
        "days_over_capacity": len(over),
        "tours_worse_than_nn": len(longer),
        "changes_on_identical_replan": moved,
    }


def bench(n: int) -> dict[str, Any]:
    growth, growth_cpu = {}, {}
    for size in (n // 4, n // 2, n):
        inp, stops = scenario(size)
        (wall, cpu), result, ordered = full_plan(inp, stops)
        growth[str(size)], growth_cpu[str(size)] = round(wall, 3), round(cpu, 3)
    cache = tours._ordered.cache_info()  # of the full plan at n only (cleared before it)
    nn = order_all(inp, days_of(result, stops), tours.nearest_neighbour)
    booked = booked_from(result)
    again = changed(inp, stops, booked)
    clock_ = Clock()
    replanned = planning.plan(again)
    todo = changed_days(replanned, booked, stops)
    order_all(again, todo)
    replan_wall, replan_cpu = clock_.read()
    travel = sum(t.distance_km for t in ordered.values())
    nn_km = sum(t.distance_km for t in nn.values())
    was = {b.visit_id: b.day for b in booked}
    return {
        "full_plan_seconds": growth[str(n)],
        "full_plan_cpu_seconds": growth_cpu[str(n)],
        "replan_seconds": round(replan_wall, 3),
        "replan_cpu_seconds": round(replan_cpu, 3),
        "growth": growth,
        "growth_cpu": growth_cpu,
        "travel_km": round(travel, 1),
        "nn_km": round(nn_km, 1),
        "late_stops": sum(len(t.late) for t in ordered.values()),
        "nn_late_stops": sum(len(t.late) for t in nn.values()),
        "visits": len(result.placed),
        "manager_days": len(ordered),
        "tour_cache_hit_share": round(cache.hits / max(1, cache.hits + cache.misses), 3),
        "solver_days": sum(len(d) > tours.EXACT_UP_TO for d in days_of(result, stops).values()),
        "unplaced": len(result.unplaced),
        "balanced": sum(p.wanted is not None for p in result.placed),
        "replan": {
            "new": sum(p.visit_id is None for p in replanned.placed),
            "moved": sum(1 for p in replanned.placed if p.visit_id and was[p.visit_id] != p.day),
            "dropped": len(replanned.dropped),
            "days_reordered": len(todo),
        },
        "accounts": n,
        "managers": len(inp.managers),
        "worst_gap_to_best_order": optimality_gap(inp, days_of(result, stops)),
        "verification": check(inp, result, ordered, nn),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_N} accounts")
    parser.add_argument("-n", type=int, help=f"key accounts (default {DEFAULT_N})")
    args = parser.parse_args(argv)
    n = args.n or (QUICK_N if args.quick else DEFAULT_N)
    d = bench(n)
    line = {
        "bench": "planner",
        "metric": "full_plan_seconds",
        "value": d["full_plan_seconds"],
        "unit": "s",
        "baseline": d["nn_km"],
        "ratio": round(d["travel_km"] / d["nn_km"], 3) if d["nn_km"] else None,
        "higher_is_better": False,
        "details": d,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "ortools": ortools.__version__,
            "load_average": os.getloadavg()[0],
        },
    }
    print(
        f"{n} accounts, {d['managers']} managers, {d['visits']} visits on {d['manager_days']}"
        f" manager-days: full plan {d['full_plan_seconds']} s ({d['full_plan_cpu_seconds']} s CPU),"
        f" re-plan {d['replan_seconds']} s ({d['replan_cpu_seconds']} s CPU),"
        f" growth {d['growth']}; travel {d['travel_km']} km against nearest-neighbour"
        f" {d['nn_km']} km (ratio {line['ratio']}); verified {d['verification']}",
        file=sys.stderr,
    )
    print(json.dumps(line))
    return 0 if d["verification"]["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
