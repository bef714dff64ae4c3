"""Where a member is, as coarse as the product needs and no finer.

A member names a city or shares a position; either way the point is snapped at
once to an H3 cell of resolution 6 (hexagons about 7 km across, 36 km² on
average) and the point itself is dropped: it is never stored, logged or
returned.  A distance shown to someone else is measured between the centres of
the two cells and given as a band ("under 10 km", "10-25 km", ...), so every
answer about a member depends on their cell alone: asking from many places
cannot narrow them down below it (``test_trilateration.py`` plays the
attacker).
"""

from __future__ import annotations

from dataclasses import dataclass

import h3

RESOLUTION = 6
CELL_KM = h3.average_hexagon_edge_length(RESOLUTION, "km") * 2
"""The width of a cell, corner to corner, on average (about 7.4 km)."""

BANDS: list[tuple[float, str]] = [
    (10, "under 10 km"),
    (25, "10-25 km"),
    (50, "25-50 km"),
    (100, "50-100 km"),
    (250, "100-250 km"),
]
FAR = "over 250 km"


@dataclass(frozen=True)
class City:
    name: str
    country: str
    lat: float
    lng: float


CITIES = [
    City("Mumbai", "IN", 19.0760, 72.8777),
    City("Delhi", "IN", 28.6139, 77.2090),
    City("Bengaluru", "IN", 12.9716, 77.5946),
    City("Chennai", "IN", 13.0827, 80.2707),
    City("Hyderabad", "IN", 17.3850, 78.4867),
    City("Kolkata", "IN", 22.5726, 88.3639),
    City("Pune", "IN", 18.5204, 73.8567),
    City("São Paulo", "BR", -23.5505, -46.6333),
    City("Campinas", "BR", -22.9099, -47.0626),
    City("Rio de Janeiro", "BR", -22.9068, -43.1729),
    City("Belo Horizonte", "BR", -19.9167, -43.9345),
    City("Brasília", "BR", -15.7939, -47.8828),
    City("Salvador", "BR", -12.9777, -38.5016),
    City("Recife", "BR", -8.0476, -34.8770),
    City("Porto Alegre", "BR", -30.0346, -51.2177),
    City("Paris", "FR", 48.8566, 2.3522),
    City("Lyon", "FR", 45.7640, 4.8357),
    City("Marseille", "FR", 43.2965, 5.3698),
    City("New York", "US", 40.7128, -74.0060),
    City("Chicago", "US", 41.8781, -87.6298),
    City("San Francisco", "US", 37.7749, -122.4194),
    City("London", "GB", 51.5074, -0.1278),
    City("Berlin", "DE", 52.5200, 13.4050),
    City("Lagos", "NG", 6.5244, 3.3792),
    City("Nairobi", "KE", -1.2921, 36.8219),
    City("Mexico City", "MX", 19.4326, -99.1332),
]


def cities_of(country: str) -> list[City]:
    return [c for c in CITIES if c.country == country]


def city_named(country: str, name: str) -> City | None:
    wanted = name.strip().casefold()
    return next((c for c in cities_of(country) if c.name.casefold() == wanted), None)


def snap(lat: float, lng: float) -> str:
    """The cell a point falls in; the point itself goes no further than this call."""
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise ValueError("a position is a latitude from -90 to 90 and a longitude from -180 to 180")
    return h3.latlng_to_cell(lat, lng, RESOLUTION)


def city_cell(city: City) -> str:
    return snap(city.lat, city.lng)


def valid_cell(cell: str) -> bool:
    return h3.is_valid_cell(cell) and h3.get_resolution(cell) == RESOLUTION


def distance_band(cell: str, other: str) -> str:
    """How far two members are, as a band between their cells' centres."""
    km = h3.great_circle_distance(h3.cell_to_latlng(cell), h3.cell_to_latlng(other), "km")
    return next((label for limit, label in BANDS if km < limit), FAR)


def band_rank(label: str) -> int:
    """Nearer bands first, for ranking candidates."""
    labels = [label for _, label in BANDS]
    return labels.index(label) if label in labels else len(labels)


def band_rank_of_cells(cell: str, other: str) -> int:
    """:func:`band_rank` of the band between two cells (the ranking's SQL function)."""
    return band_rank(distance_band(cell, other))
