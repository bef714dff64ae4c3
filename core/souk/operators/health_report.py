"""The health of each mini-app in each country, as the console and ``GET /api/v1/admin/health`` show it."""

from __future__ import annotations

from typing import Any

from ..miniapps.availability import Availability
from ..miniapps.breaker import Breaker
from ..miniapps.health import Health
from ..miniapps.registry import Registry

WINDOWS = (5, 60)
"""Minutes each figure is given over."""

STATE = {None: "running", "breaker": "suspended", "operator": "killed"}


def report(
    registry: Registry, availability: Availability, breaker: Breaker, health: Health
) -> list[dict[str, Any]]:
    """One row per mini-app and country where it is on or had requests in the last hour."""
    pairs = set(health.seen())
    for app in registry.apps.values():
        if not app.builtin:
            pairs |= {(app.name, country) for country in availability.countries(app.name)}
    rows = []
    for name, country in sorted(pairs):
        if name not in registry.apps:
            continue
        verdict = breaker.verdict(name)
        rows.append(
            {
                "app": name,
                "country": country,
                "state": STATE[availability.stopped_by(name)],
                "percent": availability.percent(name, country) if country != "-" else None,
                "breaker": {
                    "requests": verdict.requests,
                    "failures": verdict.failures,
                    "people": verdict.people,
                    "would_trip": verdict.trips,
                },
                "windows": {f"{m}m": health.summary(name, country, m) for m in WINDOWS},
            }
        )
    return rows
