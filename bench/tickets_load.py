"""Scenario 5's load: clients racing to hold seats of one 500-seat map, over HTTP.

Every client, in a closed loop, asks to hold one seat chosen at random
(``POST /api/v1/apps/tickets/events/{event}/holds``): ``201`` when it was free,
``409 seat_taken`` when another client holds it; both are answers of the same
conditional write.  A client that won lets its seat go (``DELETE
/api/v1/apps/tickets/bookings/{ref}``) before its next hold, untimed, so the
map never fills up.  The same loop drives Souk (the tickets mini-app, set up
over its API: an organiser, an event of 25 rows of 20 seats in India) and the
baseline (the same two routes on a bare Starlette app).
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from collections.abc import Awaitable, Callable
from typing import Any

from bench import seed
from bench.httpclient import Connection

ROWS = "ABCDEFGHJKLMNOPQRSTUVWXYZ"
PER_ROW = 20
SEATS = [f"{row}{number}" for row in ROWS for number in range(1, PER_ROW + 1)]
FAKE_TOKEN = "x" * 43


def event_body() -> dict[str, Any]:
    day = (dt.datetime.now(dt.UTC) + dt.timedelta(days=30)).date().isoformat()
    return {
        "title": "Bench concert",
        "venue": "Hall",
        "city": "Mumbai",
        "country": "IN",
        "time_zone": "Asia/Kolkata",
        "starts": f"{day} 20:00",
        "ends": f"{day} 23:00",
        "max_per_order": 20,
        "categories": [{"code": "std", "name": "Standard", "price": "500"}],
        "seating": {
            "kind": "seated",
            "sections": [
                {"name": "Hall", "rows": [{"label": r, "seats": PER_ROW, "category": "std"} for r in ROWS]}
            ],
        },
    }


async def _souk_world(spec: Any) -> tuple[str, list[str]]:
    users = await seed.sign_in_many(spec.port, spec.clients + 1)
    organiser = Connection(spec.port, users[0].token)
    try:
        made = await organiser.json("POST", "/api/v1/apps/tickets/events", event_body(), expect=(201,))
    finally:
        await organiser.close()
    return made["ref"], [u.token for u in users[1:]]


async def seat_holds(spec: Any, closed_loops: Callable[..., Awaitable[dict[str, Any]]]) -> dict[str, Any]:
    if spec.target == "souk":
        event, tokens = await _souk_world(spec)
    else:
        event, tokens = "E-BENCH", [FAKE_TOKEN] * spec.clients
    connections = [await Connection(spec.port, token).open() for token in tokens]
    path = f"/api/v1/apps/tickets/events/{event}/holds"
    held: list[str | None] = [None] * spec.clients
    rngs = [random.Random(i) for i in range(spec.clients)]
    outcome = {"won": 0, "taken": 0}

    async def request(client: int, count: int) -> tuple[bool, float]:
        connection = connections[client]
        if held[client] is not None:
            status, _ = await connection.request("DELETE", f"/api/v1/apps/tickets/bookings/{held[client]}")
            held[client] = None
            if status != 200:
                return False, 0.0
        body = json.dumps({"seats": [rngs[client].choice(SEATS)]}).encode()
        t0 = time.perf_counter()
        status, payload = await connection.request("POST", path, body)
        took = time.perf_counter() - t0
        if status == 201:
            held[client] = json.loads(payload)["ref"]
            outcome["won"] += 1
        elif status == 409:
            outcome["taken"] += 1
        return status in (201, 409), took

    result = await closed_loops(spec, spec.clients, request)
    answered = outcome["won"] + outcome["taken"]
    result["taken_share"] = outcome["taken"] / answered if answered else None
    for connection in connections:
        await connection.close()
    return result
