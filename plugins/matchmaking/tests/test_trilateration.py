"""An attacker who reads one member's distance band from 100 places cannot place them closer than their cell.

Dating apps have leaked members' positions this way: measure the distance
from three or more places and intersect the circles.  Here the attacker moves
their own profile to 100 positions around the target (through the API, as a
client can) and reads the target's distance band each time.  Then the test
plays the best attacker there is, one who knows exactly how bands are made:
every H3 cell for 120 km around is kept if it would have given all 100
answers, and the estimate is the middle of what is left.

What it shows, with counts:
- the answers are the same wherever the target stands in their cell (near
  one end of its widest diagonal, the centre, near the other end): the
  attacker cannot tell those apart, so nothing finer than the cell can be
  learnt;
- whatever the estimate, it is off by at least half the distance between the
  two ends for one of them (7.6 km apart here), and that is more than the
  cell's edge length (the mean of its six edges, 3.75 km); the best attacker's
  estimate (the true cell is the only one left, so its centre) is that far
  off: the cell is the limit.

The cell's size here is its edge length, which in a hexagon is also the
distance from the centre to a corner, half the cell's width.  No estimate can
be kept off by the cell's full width (7.7 km corner to corner): the cell's
centre is never farther than a corner, 3.86 km at most in this cell.
"""

from __future__ import annotations

import random

import h3
from matchmaking_support import MM, card_of, member, profile_body
from souk_matchmaking import places

QUERIES = 100
SEED = 2014  # the year of the first such leak


def _widest_diagonal(corners: tuple[tuple[float, float], ...]) -> tuple[int, int]:
    """The two opposite corners of a hexagon that lie farthest apart."""
    return max(((i, i + 3) for i in range(3)), key=lambda p: _km(corners[p[0]], corners[p[1]]))


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    return h3.great_circle_distance(a, b, "km")


def _toward(centre: tuple[float, float], corner: tuple[float, float], share: float) -> tuple[float, float]:
    return (centre[0] + share * (corner[0] - centre[0]), centre[1] + share * (corner[1] - centre[1]))


def _bands_from(attacker, target_card, spots, world) -> list[str]:
    answers = []
    body = profile_body(world, name="Mallory Moss", gender="man", seeks=["woman"])
    for lat, lng in spots:
        attacker.call("PUT", f"{MM}/profile", body | {"city": None, "position": {"lat": lat, "lng": lng}})
        (seen,) = [
            c for c in attacker.call("GET", f"{MM}/candidates")["candidates"] if c["card"] == target_card
        ]
        answers.append(seen["distance"])
    return answers


def _move(target, world, point) -> None:
    body = profile_body(world, name="Teresa Lima")
    target.call("PUT", f"{MM}/profile", body | {"city": None, "position": {"lat": point[0], "lng": point[1]}})


def test_a_hundred_distance_bands_locate_no_one_better_than_their_cell(souk_world):
    world = souk_world(["matchmaking"])
    home = places.city_named("BR", "São Paulo")
    cell = places.snap(home.lat, home.lng)
    centre, corners = h3.cell_to_latlng(cell), h3.cell_to_boundary(cell)
    one, other = _widest_diagonal(corners)
    near_corner, opposite = _toward(centre, corners[one], 0.99), _toward(centre, corners[other], 0.99)
    assert {places.snap(*p) for p in (near_corner, centre, opposite)} == {cell}

    target = member(world, "Teresa Lima")
    _move(target, world, near_corner)
    attacker = member(world, "Mallory Moss", gender="man", seeks=["woman"])
    rng = random.Random(SEED)
    spots = [(home.lat + rng.uniform(-0.6, 0.6), home.lng + rng.uniform(-0.6, 0.6)) for _ in range(QUERIES)]
    answers = _bands_from(attacker, card_of(target), spots, world)
    assert len(answers) == QUERIES and len(set(answers)) >= 3  # near and far answers, not one band

    for elsewhere in (centre, opposite):
        _move(target, world, elsewhere)
        assert _bands_from(attacker, card_of(target), spots, world) == answers

    asked_from = [places.snap(*spot) for spot in spots]
    consistent = [
        c
        for c in h3.grid_disk(cell, 18)
        if all(places.distance_band(q, c) == a for q, a in zip(asked_from, answers, strict=True))
    ]
    assert cell in consistent
    lat = sum(h3.cell_to_latlng(c)[0] for c in consistent) / len(consistent)
    lng = sum(h3.cell_to_latlng(c)[1] for c in consistent) / len(consistent)
    edge = sum(h3.edge_length(e, "km") for e in h3.origin_to_directed_edges(cell)) / 6
    apart = _km(near_corner, opposite)
    errors = [_km((lat, lng), p) for p in (near_corner, centre, opposite)]
    print(
        f"{QUERIES} answers, {len(consistent)} cell(s) consistent with them, the estimate off by "
        f"{max(errors):.2f} km for a target it cannot tell apart, any estimate by {apart / 2:.2f} km "
        f"(cell edge {edge:.2f} km)"
    )
    assert len(consistent) == 1
    assert apart / 2 >= edge > 3.5  # every estimate: one of the two ends is this far from it
    assert max(errors) >= edge
