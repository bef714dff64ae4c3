"""Check-ins at the door, in-process: ``python -m bench.checkins '{"target": "souk", ...}'`` prints JSON.

- ``souk``: the tickets mini-app's own ``checkin.check_in`` (the code's Ed25519
  signature verified with the public key, the door's rights, the ticket's
  state, one conditional insert into ``checkins``), each one a write of Souk's
  store (one writer thread that commits queued writes in groups, WAL,
  ``synchronous=FULL``), ``clients`` coroutines in closed loops, each at the
  next ticket of a queue (every check-in admits a new ticket);
- ``baseline``: the signature verified the same way, then one conditional
  insert into a table of check-ins, one transaction each, on a WAL file at
  ``synchronous=FULL``, in a plain loop.

The tickets are issued before the clock starts (a paid booking of 20 each).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sqlite3
import time
from pathlib import Path
from typing import Any

from bench import inprocess

ORGANISER = "u_bench_organiser"
TICKETS = 20_000
"""Issued before the clock starts, more than a run checks in (``tickets`` in the spec to change it);
a side that checks them all in stops there."""


def _event(db: Any, now: dt.datetime, tickets: int) -> str:
    from souk_tickets import eventspec, organising

    day = (now + dt.timedelta(days=30)).date().isoformat()
    data = eventspec.EventIn.model_validate(
        {
            "title": "Bench festival",
            "venue": "Park",
            "city": "Mumbai",
            "country": "IN",
            "time_zone": "Asia/Kolkata",
            "starts": f"{day} 14:00",
            "ends": f"{day} 22:00",
            "max_per_order": 20,
            "categories": [{"code": "gate", "name": "Gate", "price": "100"}],
            "seating": {"kind": "general", "capacity": tickets, "category": "gate"},
        }
    )
    return organising.create_event(db, ORGANISER, eventspec.plan(data, now, serves=True), now)


def _issue(db: Any, event: str, now: dt.datetime, tickets: int) -> list[str]:
    from souk_tickets import issuing
    from souk_tickets.refs import new_ref

    codes: list[str] = []
    for _ in range(tickets // 20):
        ref = new_ref(db, "B")
        at = now.isoformat()
        db["bookings"].insert(
            {"ref": ref, "event": event, "buyer": "u_bench_fan", "status": "paid", "quantity": 20,
             "total": 200_000, "currency": "INR", "hold_until": at, "created_at": at, "updated_at": at,
             "payment_id": "p_bench"}
        )  # fmt: skip
        codes += [t["code"] for t in issuing.issue(db, ref, now)]
    return codes


async def souk(spec: dict[str, Any], folder: Path) -> dict[str, Any]:
    from souk.storage.store import Store
    from souk_tickets import checkin
    from souk_tickets.schema import migrations

    store = Store(folder / "tickets.db", synchronous="FULL")
    store.migrate(migrations)
    now = dt.datetime.now(dt.UTC)
    count = spec.get("tickets", TICKETS)
    codes = store.write_sync(lambda db: _issue(db, _event(db, now, count), now, count))
    queue = iter(codes)
    latencies: list[float] = []
    refused = 0
    started = time.perf_counter()
    measure_from, stop_at = started + spec["warmup"], started + spec["warmup"] + spec["duration"]

    async def client() -> None:
        nonlocal refused
        while (t0 := time.perf_counter()) < stop_at and (code := next(queue, None)) is not None:
            verdict = await store.write(
                lambda db, code=code: checkin.check_in(db, code, ORGANISER, dt.datetime.now(dt.UTC))
            )
            t1 = time.perf_counter()
            if measure_from <= t1 <= stop_at:
                latencies.append(t1 - t0)
                refused += not verdict.accepted

    await asyncio.gather(*(client() for _ in range(spec["clients"])))
    groups = store.stats.writes / max(1, store.stats.commits)
    store.close()
    return inprocess.figures(latencies, spec["duration"], errors=refused, mean_group=groups)


def baseline(spec: dict[str, Any], folder: Path) -> dict[str, Any]:
    from souk.storage.store import Store
    from souk_tickets import codes as ticket_codes
    from souk_tickets import signing
    from souk_tickets.schema import migrations

    store = Store(folder / "issued.db", synchronous="FULL")  # the same tickets, issued the same way
    store.migrate(migrations)
    now = dt.datetime.now(dt.UTC)
    count = spec.get("tickets", TICKETS)
    codes = store.write_sync(lambda db: _issue(db, _event(db, now, count), now, count))
    key = signing.public_key(store.db)
    store.close()
    conn = sqlite3.connect(folder / "baseline.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE checkins (ticket TEXT PRIMARY KEY, event TEXT, at TEXT, by_id TEXT)")
    latencies: list[float] = []
    started = time.perf_counter()
    measure_from, stop_at = started + spec["warmup"], started + spec["warmup"] + spec["duration"]
    queue = iter(codes)
    while (t0 := time.perf_counter()) < stop_at and (code := next(queue, None)) is not None:
        claim = ticket_codes.verify(code, key)
        conn.execute(
            "INSERT INTO checkins VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
            [claim.ticket, claim.event, dt.datetime.now(dt.UTC).isoformat(), ORGANISER],
        )
        t1 = time.perf_counter()
        if measure_from <= t1 <= stop_at:
            latencies.append(t1 - t0)
    conn.close()
    return inprocess.figures(latencies, spec["duration"])


def available() -> bool:
    """Whether the tickets mini-app is installed."""
    import importlib.util

    return importlib.util.find_spec("souk_tickets") is not None


if __name__ == "__main__":
    inprocess.main(souk, baseline, "souk-checkins-")
