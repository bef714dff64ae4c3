"""Tickets' part of the demo world: a concert in Mumbai with a seat map, a festival in São Paulo.

Asha Rao organises the concert and Bruna Silva the festival; some seats and
places were sold at the box office (bookings of nobody in the demo, with no
payment behind them), so the seat map has sold seats to look at.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from souk_sdk import DemoWorld, Transaction

from . import eventspec, issuing, organising, times
from .refs import new_ref

BOX_OFFICE = "box-office"

CONCERT = {
    "title": "Monsoon Nights: Anoushka Menon Quartet",
    "description": "Jazz and ragas for a rainy evening. Doors open at 19:15.",
    "venue": "Tata Theatre, NCPA",
    "city": "Mumbai",
    "country": "IN",
    "time_zone": "Asia/Kolkata",
    "organiser_name": "Monsoon Nights",
    "max_per_order": 6,
    "return_cutoff_hours": 48,
    "categories": [
        {"code": "gold", "name": "Gold", "price": "2500"},
        {"code": "silver", "name": "Silver", "price": "1500"},
        {"code": "balcony", "name": "Balcony", "price": "800"},
    ],
    "seating": {
        "kind": "seated",
        "sections": [
            {
                "name": "Stalls",
                "rows": [{"label": r, "seats": 14, "category": "gold"} for r in "ABCD"]
                + [{"label": r, "seats": 16, "category": "silver"} for r in "EFGH"],
            },
            {"name": "Balcony", "rows": [{"label": r, "seats": 18, "category": "balcony"} for r in "JKL"]},
        ],
        "blocked": ["A1", "A14"],
    },
}
CONCERT_SOLD = ["B6", "B7", "B8", "C7", "C8", "E9", "E10", "F1", "F2", "F3", "K9", "K10"]

FESTIVAL = {
    "title": "Festival Sons da Cidade",
    "description": "A day of samba, forró and MPB by the lake. Bring water and a hat.",
    "venue": "Parque Ibirapuera",
    "city": "São Paulo",
    "country": "BR",
    "time_zone": "America/Sao_Paulo",
    "organiser_name": "Sons da Cidade",
    "max_per_order": 8,
    "return_cutoff_hours": 24,
    "categories": [{"code": "pista", "name": "Pista", "price": "120"}],
    "seating": {"kind": "general", "capacity": 800, "category": "pista"},
}
FESTIVAL_SOLD = 40


def _on(now: dt.datetime, days: int, clock: str, zone: str) -> str:
    day = now.astimezone(times.zone(zone)).date() + dt.timedelta(days=days)
    return f"{day.isoformat()} {clock}"


def _event(spec: dict[str, Any], now: dt.datetime, days: int, start: str, end: str) -> eventspec.Plan:
    zone = spec["time_zone"]
    data = eventspec.EventIn.model_validate(
        spec | {"starts": _on(now, days, start, zone), "ends": _on(now, days, end, zone)}
    )
    return eventspec.plan(data, now, serves=True)


def _box_office(tx: Transaction, event: str, seats: list[str], places: int, now: dt.datetime) -> None:
    """Tickets sold at the door's box office: paid bookings of nobody in the demo."""
    db = tx.db
    ref = new_ref(db, "B")
    prices = {
        r["seat"]: r
        for r in db.query(
            "SELECT s.seat, s.category, c.price FROM seats s JOIN categories c "
            "ON c.event = s.event AND c.code = s.category "
            "WHERE s.event = ?",
            [event],
        )
    }
    general = db.execute(
        "SELECT c.price FROM events e JOIN categories c ON c.event = e.ref "
        "AND c.code = e.general_category WHERE e.ref = ?",
        [event],
    ).fetchone()
    total = sum(prices[s]["price"] for s in seats) + (places * general[0] if general else 0)
    db["bookings"].insert(
        {
            "ref": ref,
            "event": event,
            "buyer": BOX_OFFICE,
            "status": "paid",
            "quantity": places,
            "total": total,
            "currency": db.execute("SELECT currency FROM events WHERE ref = ?", [event]).fetchone()[0],
            "hold_until": now.isoformat(),
            "created_at": now.isoformat(),
            "updated_at": now.isoformat(),
            "paid_at": now.isoformat(),
        }
    )
    db["booking_seats"].insert_all(
        {"booking": ref, "seat": s, "category": prices[s]["category"], "price": prices[s]["price"]}
        for s in seats
    )
    db["claims"].insert_all({"event": event, "seat": s, "booking": ref, "state": "sold"} for s in seats)
    db.execute("UPDATE events SET sold = sold + ? WHERE ref = ?", [len(seats) + places, event])
    issuing.issue(db, ref, now)


def build(demo: DemoWorld) -> None:
    now = demo.now()
    for handle, spec, days, start, end, seats, places in (
        ("asha", CONCERT, 30, "20:00", "22:30", CONCERT_SOLD, 0),
        ("bruna", FESTIVAL, 45, "14:00", "22:00", [], FESTIVAL_SOLD),
    ):
        if handle not in demo.handles:
            continue
        organiser = demo.user(handle).id
        plan = _event(spec, now, days, start, end)
        demo.transaction(lambda tx, o=organiser, p=plan, s=seats, n=places: _stock(tx, o, p, s, n, now))


def _stock(
    tx: Transaction, organiser: str, plan: eventspec.Plan, seats: list[str], places: int, now: dt.datetime
) -> None:
    ref = organising.create_event(tx.db, organiser, plan, now)
    _box_office(tx, ref, seats, places, now)
