"""Day tours: never longer than nearest-neighbour, windows kept, arrivals consistent with
travel and service, late stops last, deterministic."""

from __future__ import annotations

import itertools
import random
from uuid import UUID

from hypothesis import given, settings
from hypothesis import strategies as st

from contact_center.visits import tours
from contact_center.visits.model import Point, Stop, Tour
from contact_center.visits.tours import (
    URBAN_KMH,
    haversine_km,
    nearest_neighbour,
    order_day,
    travel_minutes,
)

OFFICE = Point(31.2304, 121.4737)
DAY = {"start": OFFICE, "day_start": 510, "day_end": 1080}


def stop(
    n: int, lat: float, lon: float, window: tuple[int, int] = (540, 1020), minutes: int = 45
) -> Stop:
    return Stop(UUID(int=n), Point(lat, lon), window[0], window[1], minutes)


def check_timeline(stops: list[Stop], tour: Tour, start: Point | None = OFFICE) -> None:
    """Each arrival is the departure before plus travel (or the window's opening)."""
    by_key = {s.key: s for s in stops}
    here, clock = start or by_key[tour.order[0]].location, DAY["day_start"]
    assert here is not None
    for key, arrival in zip(tour.order, tour.arrivals, strict=True):
        s = by_key[key]
        assert s.location is not None
        reach = clock + travel_minutes(haversine_km(here, s.location))
        assert arrival == max(reach, s.window_start)
        assert (arrival > s.window_end) == (key in tour.late)
        clock, here = arrival + s.service_minutes, s.location
    assert tour.minutes == dict(zip(tour.order, tour.arrivals, strict=True))


def test_travel_time_is_distance_at_urban_speed() -> None:
    km = haversine_km(Point(31.0, 121.0), Point(31.1, 121.0))
    assert 11.0 < km < 11.2  # a tenth of a degree of latitude
    assert travel_minutes(km) == -(-km * 60 // URBAN_KMH)
    assert travel_minutes(0) == 0


def test_an_empty_and_a_one_stop_day() -> None:
    assert order_day([], **DAY).order == []  # type: ignore[arg-type]
    one = stop(1, 31.25, 121.5)
    tour = order_day([one], **DAY)  # type: ignore[arg-type]
    assert tour.order == [one.key] and tour.late == []
    assert tour.distance_km == round(2 * haversine_km(OFFICE, one.location), 3)  # type: ignore[arg-type]


def test_a_line_of_stops_is_walked_out_and_back_not_zigzag() -> None:
    # NN from the office goes to the near stop west first, then east, then back west.
    stops = [
        stop(1, 31.2304, 121.46),
        stop(2, 31.2304, 121.49),
        stop(3, 31.2304, 121.44),
        stop(4, 31.2304, 121.51),
    ]
    nn = nearest_neighbour(stops, **DAY)  # type: ignore[arg-type]
    tour = order_day(stops, **DAY)  # type: ignore[arg-type]
    assert tour.distance_km < nn.distance_km
    best = min(
        sum(
            haversine_km(a, b)
            for a, b in itertools.pairwise([OFFICE, *(s.location for s in p), OFFICE])
        )  # type: ignore[misc]
        for p in itertools.permutations(stops)
    )
    assert abs(tour.distance_km - best) < 0.01
    check_timeline(stops, tour)


def test_windows_decide_the_order_when_they_must() -> None:
    # The far stop only receives in the morning, the near one only in the afternoon.
    far = stop(1, 31.30, 121.47, (540, 660))
    near = stop(2, 31.235, 121.47, (840, 1020))
    tour = order_day([near, far], **DAY)  # type: ignore[arg-type]
    assert tour.order == [far.key, near.key] and tour.late == []
    assert tour.arrivals[1] == 840  # waits for the window to open
    check_timeline([near, far], tour)


def test_a_window_that_cannot_be_kept_goes_last_in_late() -> None:
    a = stop(1, 31.24, 121.47, (540, 560), 60)
    b = stop(2, 31.25, 121.48, (540, 560), 60)
    c = stop(3, 31.26, 121.47)
    tour = order_day([a, b, c], **DAY)  # type: ignore[arg-type]
    assert len(tour.late) == 1 and tour.order[-1] == tour.late[0]
    check_timeline([a, b, c], tour)


def test_without_a_start_point_the_day_starts_at_the_southernmost_stop() -> None:
    stops = [stop(1, 31.24, 121.47), stop(2, 31.26, 121.50), stop(3, 31.22, 121.44)]
    tour = order_day(stops, start=None, day_start=510, day_end=1080)
    assert tour.order[0] == stops[2].key
    check_timeline(stops, tour, start=stops[2].location)


def test_without_a_start_point_the_order_given_does_not_matter() -> None:
    rng = random.Random(4)
    stops = [stop(n, 31.2 + rng.random() / 20, 121.45 + rng.random() / 20) for n in range(1, 7)]
    first = order_day(stops, start=None, day_start=510, day_end=1080)
    for _ in range(5):
        rng.shuffle(stops)
        tour = order_day(stops, start=None, day_start=510, day_end=1080)
        assert (tour.order, tour.distance_km) == (first.order, first.distance_km)
        assert nearest_neighbour(stops, start=None, day_start=510, day_end=1080).distance_km == (
            nearest_neighbour(
                sorted(stops, key=lambda s: s.key), **DAY | {"start": None}
            ).distance_km
        )


def test_a_stop_without_a_place_costs_no_travel() -> None:
    placed = stop(1, 31.26, 121.47)
    nowhere = Stop(UUID(int=2), None, 540, 1020, 30)
    tour = order_day([placed, nowhere], **DAY)  # type: ignore[arg-type]
    assert set(tour.order) == {placed.key, nowhere.key} and tour.late == []
    assert tour.distance_km == round(2 * haversine_km(OFFICE, placed.location), 3)  # type: ignore[arg-type]


windows = st.sampled_from([(540, 1020), (540, 1020), (540, 720), (810, 1020), (600, 690)])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(-0.06, 0.06), st.floats(-0.06, 0.06), windows, st.sampled_from([30, 45, 60])
        ),
        min_size=1,
        max_size=11,
    ),
    st.randoms(use_true_random=False),
)
def test_never_longer_than_nearest_neighbour_and_consistent(
    specs: list[tuple[float, float, tuple[int, int], int]], rng: random.Random
) -> None:
    stops = [
        stop(i + 1, OFFICE.latitude + a, OFFICE.longitude + b, w, m)
        for i, (a, b, w, m) in enumerate(specs)
    ]
    tour = order_day(stops, **DAY)  # type: ignore[arg-type]
    nn = nearest_neighbour(stops, **DAY)  # type: ignore[arg-type]
    assert sorted(tour.order) == sorted(s.key for s in stops)
    assert len(tour.late) <= len(nn.late)
    if len(tour.late) == len(nn.late):
        assert tour.distance_km <= nn.distance_km + 1e-9
    late_at = [tour.order.index(k) for k in tour.late]
    assert late_at == list(range(len(stops) - len(late_at), len(stops)))  # late ones last
    check_timeline(stops, tour)
    check_timeline(stops, nn)
    shuffled = list(stops)
    rng.shuffle(shuffled)
    assert order_day(shuffled, **DAY) == tour  # type: ignore[arg-type]  # same set, same tour


@settings(max_examples=40, deadline=None)
@given(st.randoms(use_true_random=False))
def test_an_eight_stop_day_keeps_every_window_when_some_order_does(rng: random.Random) -> None:
    # Eight stops go to the solver: it must not strand a stop that fits.
    def some_stop(n: int) -> Stop:
        lat, lon = (
            OFFICE.latitude + rng.uniform(-0.05, 0.05),
            OFFICE.longitude + rng.uniform(-0.05, 0.05),
        )
        return stop(n, lat, lon, rng.choice([(540, 1020), (540, 720), (780, 1020)]), 45)

    stops = [some_stop(n + 1) for n in range(8)]
    tour = order_day(stops, **DAY)  # type: ignore[arg-type]
    fits = any(
        not _late_in(stops, order)
        for order in itertools.islice(itertools.permutations(stops), 40320)
    )
    if fits:
        assert tour.late == []


def _late_in(stops: list[Stop], order: tuple[Stop, ...]) -> bool:
    clock, here = DAY["day_start"], OFFICE
    for s in order:
        assert isinstance(clock, int) and isinstance(here, Point) and s.location is not None
        clock = max(clock + travel_minutes(haversine_km(here, s.location)), s.window_start)
        if clock > s.window_end:
            return True
        clock, here = clock + s.service_minutes, s.location
    return False


def test_the_same_places_under_new_keys_reuse_the_cached_tour() -> None:
    # A weekly route: the same accounts' places again, under the next week's visit ids.
    rng = random.Random(8)
    places = [(31.2 + rng.random() / 30, 121.45 + rng.random() / 30) for _ in range(5)]
    week1 = [stop(100 + n, *p) for n, p in enumerate(places)]
    week2 = [stop(200 + n, *p) for n, p in enumerate(places)]
    first = order_day(week1, **DAY)
    hits = tours._ordered.cache_info().hits
    second = order_day(list(reversed(week2)), **DAY)
    assert tours._ordered.cache_info().hits == hits + 1
    assert [k.int - 200 for k in second.order] == [k.int - 100 for k in first.order]
    assert second.arrivals == first.arrivals and second.distance_km == first.distance_km
    check_timeline(week2, second)
