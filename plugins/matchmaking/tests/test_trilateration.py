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
  one corner, the centre, near the opposite corner): the attacker cannot
  tell those apart, so nothing finer than the cell can be learnt;
- the true cell is among those left, and whatever the estimate, it is off by
  at least 90% of the cell's radius (3.7 km here) for one of those places of
  the target: the cell is the limit.
"""

from __future__ import annotations

import random

import h3
from matchmaking_support import MM, card_of, member, profile_body
from souk_matchmaking import places

QUERIES = 100
SEED = 2014  # the year of the first such leak


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
    near_corner, opposite = _toward(centre, corners[0], 0.9), _toward(centre, corners[3], 0.9)
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
    radius = h3.great_circle_distance(centre, corners[0], "km")
    errors = [h3.great_circle_distance((lat, lng), p, "km") for p in (near_corner, centre, opposite)]
    print(
        f"{QUERIES} answers, {len(consistent)} cell(s) consistent with them, the estimate off by "
        f"{max(errors):.2f} km for a target it cannot tell apart (cell radius {radius:.2f} km)"
    )
    assert max(errors) >= 0.9 * radius > 3
