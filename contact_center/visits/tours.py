"""Ordering one manager's day: OR-Tools' routing solver, and the nearest-neighbour baseline. Pure.

The day starts and ends at the manager's start point (when they have none, at the
southernmost stop, whatever order the stops come in). Travel time is the great-circle
(haversine) distance at `URBAN_KMH`, a fixed urban speed, rounded up to whole minutes; a stop
without a location is taken to be at the start point. A stop's window bounds the minute its
visit begins; the manager may wait for a window to open. `arrivals[i]` is the minute the
visit at `order[i]` begins.

`order_day` searches a day of up to `EXACT_UP_TO` stops exhaustively (branch and bound: exact,
and faster than building a model); larger days go to the solver, with deterministic parameters
only (first solution by cheapest insertion, then greedy-descent local search until no move
improves: no wall-clock limit), so the same stops give the same tour on any machine. It also
builds the nearest-neighbour tour and returns whichever keeps more windows, then whichever is
shorter, so it is never longer than nearest-neighbour when that keeps its windows. Stops
whose window cannot be kept are left out of the route and come last, in `late`. Results are
cached by the content of the day's stops (places, windows, durations), not by their keys:
weekly routes bring the same places back week after week, under new visit ids.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from typing import Any
from uuid import UUID

from ortools.constraint_solver import pywrapcp, routing_enums_pb2
from ortools.util import optional_boolean_pb2

from contact_center.visits.model import Point, Stop, Tour

URBAN_KMH = 25.0  # average door-to-door speed in city traffic, parking included
EARTH_KM = 6371.0088
EXACT_UP_TO = 7  # stops: a day this small is searched exhaustively (branch and bound)
_DROP_PENALTY = 10**9  # metres: far above any day's travel, so a stop is left out only if it must


def haversine_km(a: Point, b: Point) -> float:
    lat1, lat2 = math.radians(a.latitude), math.radians(b.latitude)
    dlat, dlon = lat2 - lat1, math.radians(b.longitude - a.longitude)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


def travel_minutes(km: float) -> int:
    return math.ceil(km / URBAN_KMH * 60 - 1e-9)


class _Day:
    """The integer matrices of one day: node 0 is the start point, node i the stop i - 1."""

    def __init__(self, stops: Sequence[Stop], depot: Point | None) -> None:
        places = [depot, *(s.location or depot for s in stops)]
        self.stops = stops
        km = [
            [0.0 if a is None or b is None else haversine_km(a, b) for b in places] for a in places
        ]
        self.metres = [[round(d * 1000) for d in row] for row in km]
        self.minutes = [[travel_minutes(d) for d in row] for row in km]

    def timeline(self, order: Sequence[int], day_start: int) -> tuple[list[int], float, set[int]]:
        """Arrival (visit start) per stop in `order` (stop indexes), km travelled, late stops."""
        clock, here, km, arrivals, late = day_start, 0, 0, [], set()
        for i in order:
            stop = self.stops[i]
            clock = max(clock + self.minutes[here][i + 1], stop.window_start)
            if clock > stop.window_end:
                late.add(i)
            arrivals.append(clock)
            clock += stop.service_minutes
            km += self.metres[here][i + 1]
            here = i + 1
        km += self.metres[here][0]
        return arrivals, km / 1000, late


def _tour(day: _Day, order: Sequence[int], day_start: int) -> Tour:
    arrivals, km, late = day.timeline(order, day_start)
    keys = [day.stops[i].key for i in order]
    return Tour(
        order=keys,
        arrivals=arrivals,
        distance_km=round(km, 3),
        late=[day.stops[i].key for i in order if i in late],
        minutes=dict(zip(keys, arrivals, strict=True)),
    )


def _nn_order(day: _Day, day_start: int) -> list[int]:
    """Nearest first among the stops still reachable in their window; the rest last."""
    left = list(range(len(day.stops)))
    order: list[int] = []
    clock, here = day_start, 0
    while left:
        reachable = [i for i in left if clock + day.minutes[here][i + 1] <= day.stops[i].window_end]
        if not reachable:
            rest = sorted(left, key=lambda i: (day.metres[here][i + 1], i))
            return order + rest
        nxt = min(reachable, key=lambda i: (day.metres[here][i + 1], i))
        stop = day.stops[nxt]
        clock = max(clock + day.minutes[here][nxt + 1], stop.window_start) + stop.service_minutes
        order.append(nxt)
        left.remove(nxt)
        here = nxt + 1
    return order


def _solver_order(day: _Day, day_start: int, day_end: int) -> list[int]:
    n = len(day.stops)
    index = pywrapcp.RoutingIndexManager(n + 1, 1, 0)
    model = pywrapcp.RoutingModel(index)
    cost = model.RegisterTransitMatrix(day.metres)
    model.SetArcCostEvaluatorOfAllVehicles(cost)
    service = [0, *(s.service_minutes for s in day.stops)]
    transit = [[t + service[i] for t in row] for i, row in enumerate(day.minutes)]
    time = model.RegisterTransitMatrix(transit)
    horizon = max(day_end, *(s.window_end + s.service_minutes for s in day.stops))
    model.AddDimension(time, horizon, horizon, False, "time")
    clock = model.GetDimensionOrDie("time")
    clock.CumulVar(model.Start(0)).SetRange(day_start, horizon)
    clock.CumulVar(model.End(0)).SetRange(day_start, max(day_end, day_start))
    for i, stop in enumerate(day.stops):
        node = index.NodeToIndex(i + 1)
        clock.CumulVar(node).SetRange(max(stop.window_start, 0), max(stop.window_end, 0))
        model.AddDisjunction([node], _DROP_PENALTY)
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = (
        routing_enums_pb2.FirstSolutionStrategy.LOCAL_CHEAPEST_INSERTION
    )
    params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GREEDY_DESCENT
    # Moves that bring a left-out stop back while moving or swapping another: without them a
    # stop the first solution stranded stays out though it fits (seen on 8-stop days).
    moves = params.local_search_operators
    on = optional_boolean_pb2.BOOL_TRUE
    moves.use_relocate_and_make_active = on
    moves.use_exchange_and_make_active = on
    moves.use_extended_swap_active = on
    solution = model.SolveWithParameters(params)
    if solution is None:
        return []
    order: list[int] = []
    node = solution.Value(model.NextVar(model.Start(0)))
    while not model.IsEnd(node):
        order.append(index.IndexToNode(node) - 1)
        node = solution.Value(model.NextVar(node))
    return order


def _best_order(day: _Day, day_start: int, day_end: int) -> list[int]:
    """Depth-first over every order that keeps the windows and is back by `day_end`: the most
    stops on time, then the shortest (the first found on a tie); stops left out come last, as
    the solver's do. A branch stops as soon as it, with the way back, is no shorter than the
    best complete tour. Exact, and on a day of up to `EXACT_UP_TO` stops cheaper than building
    a solver model."""
    metres, minutes, stops = day.metres, day.minutes, day.stops
    best: list[Any] = [(len(stops) + 1, 0), ()]

    def extend(order: tuple[int, ...], left: list[int], clock: int, here: int, km: int) -> None:
        # Any way on passes each stop left and comes back: a bound below every completion.
        back = km + metres[here][0]
        if best[0][0] == 0:
            reach = metres[here]
            bound = max((reach[j + 1] + metres[j + 1][0] for j in left), default=0)
            if km + max(bound, metres[here][0]) >= best[0][1]:
                return
        if (len(left), back) < best[0]:
            best[0], best[1] = (len(left), back), order
        for i in sorted(left, key=lambda j: (metres[here][j + 1], j)):  # near first: good
            stop = stops[i]  # tours early make the bound bite sooner
            arrival = max(clock + minutes[here][i + 1], stop.window_start)
            leave = arrival + stop.service_minutes
            if arrival <= stop.window_end and leave + minutes[i + 1][0] <= day_end:
                rest = [j for j in left if j != i]
                extend((*order, i), rest, leave, i + 1, km + metres[here][i + 1])

    extend((), list(range(len(stops))), day_start, 0, 0)
    return _complete(day, list(best[1]))


def _complete(day: _Day, order: list[int]) -> list[int]:
    """The route with the stops it left out appended, by closing time then key."""
    left = [i for i in range(len(day.stops)) if i not in set(order)]
    return order + sorted(left, key=lambda i: (day.stops[i].window_end, day.stops[i].key))


@lru_cache(maxsize=8192)  # a 200-manager, 8-week plan has about 7,000 days
def _ordered(
    shape: tuple[_Shape, ...], depot: Point | None, day_start: int, day_end: int, solve: bool
) -> Tour:
    """The tour of stops given by their content only; stop i has the key `UUID(int=i)`."""
    stops = tuple(Stop(UUID(int=i), *content) for i, content in enumerate(shape))
    day = _Day(stops, depot)
    nn = _tour(day, _nn_order(day, day_start), day_start)
    if not solve or len(stops) < 2:
        return nn
    if len(stops) <= EXACT_UP_TO:
        order = _best_order(day, day_start, day_end)
    else:
        order = _complete(day, _solver_order(day, day_start, day_end))
    solved = _tour(day, order, day_start)
    if (len(nn.late), nn.distance_km) < (len(solved.late), solved.distance_km):
        return nn
    return solved


_Shape = tuple[Point | None, int, int, int]  # what orders a stop: place, window, duration


def _shape(s: Stop) -> _Shape:
    return (s.location, s.window_start, s.window_end, s.service_minutes)


def _rank(s: Stop) -> tuple[bool, float, float, int, int, int, int]:
    here = s.location or Point(0.0, 0.0)
    return (s.location is None, here.latitude, here.longitude, *_shape(s)[1:], s.key.int)


def _depot(stops: Sequence[Stop], start: Point | None) -> Point | None:
    """The start point, else the southernmost (then westernmost) stop: the same place
    whatever order the stops come in."""
    if start is not None:
        return start
    places = [(s.location.latitude, s.location.longitude) for s in stops if s.location]
    return Point(*min(places)) if places else None


def _cached(
    stops: Sequence[Stop], start: Point | None, day_start: int, day_end: int, solve: bool
) -> Tour:
    # Cached by the stops' content, not their keys: a weekly route brings the same places
    # back under new visit ids. Stops alike in content are interchangeable (ties by key).
    ranked = sorted(stops, key=_rank)
    shape = tuple(_shape(s) for s in ranked)
    tour = _ordered(shape, _depot(stops, start), day_start, day_end, solve)
    keys = [ranked[k.int].key for k in tour.order]
    return replace(
        tour,
        order=keys,
        late=[ranked[k.int].key for k in tour.late],
        minutes=dict(zip(keys, tour.arrivals, strict=True)),
    )


def order_day(stops: Sequence[Stop], *, start: Point | None, day_start: int, day_end: int) -> Tour:
    """The day's stops in the order OR-Tools finds shortest, windows kept (see above)."""
    return _cached(stops, start, day_start, day_end, True)


def nearest_neighbour(
    stops: Sequence[Stop], *, start: Point | None, day_start: int, day_end: int
) -> Tour:
    """The baseline: always the nearest stop next (among those still reachable in time)."""
    return _cached(stops, start, day_start, day_end, False)
