"""The demo's businesses: Loja da Bruna with two agents, and the other demo shops' owners.

Built before the mini-apps' parts of the demo, so the shop finds each business
(``demo.business(handle)``) and makes its catalogue there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from ..business import accounts, staff

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat")


@dataclass(frozen=True)
class DemoBusiness:
    owner: str
    name: str
    handle: str
    category: str
    description: str
    time_zone: str
    hours: tuple[str, str]
    agents: tuple[str, ...] = field(default=())


DEMO_BUSINESSES = [
    DemoBusiness(
        "bruna",
        "Loja da Bruna",
        "lojadabruna",
        "shop",
        "Shoes, socks and things for running",
        "America/Sao_Paulo",
        ("09:00", "19:00"),
        agents=("ravi", "camille"),
    ),
    DemoBusiness(
        "asha",
        "Asha's Spice Box",
        "ashaspicebox",
        "food",
        "Spices and blends",
        "Asia/Kolkata",
        ("10:00", "20:00"),
    ),
    DemoBusiness(
        "jordan",
        "Jordan's Coffee",
        "jordanscoffee",
        "food",
        "Small-batch roasts",
        "America/New_York",
        ("07:00", "15:00"),
    ),
]


def build(db: Database, people: dict[str, dict[str, Any]], now: str) -> None:
    """Create the demo businesses of the demo people there are (skipping one made already)."""
    for spec in DEMO_BUSINESSES:
        owner = people.get(spec.owner)
        if owner is None or db.execute("SELECT 1 FROM businesses WHERE handle = ?", [spec.handle]).fetchone():
            continue
        fields = {
            "name": spec.name,
            "handle": spec.handle,
            "category": spec.category,
            "description": spec.description,
            "time_zone": spec.time_zone,
            "hours": {day: [list(spec.hours)] for day in WEEKDAYS},
        }
        business = accounts.create(db, owner, fields, now)
        for agent in spec.agents:
            if agent in people:
                staff.put(db, business["id"], owner["id"], people[agent]["id"], "agent", now)
