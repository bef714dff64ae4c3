"""Set-up steps shared by the tickets' harness tests: events through the API, the database, codes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from souk_sdk import ui

TICKETS = "/api/v1/apps/tickets"
CARD_OK = "4242 4242 4242 4242"


def on_clock(world: Any, days: int, clock: str) -> str:
    """A wall-clock time ``days`` after the harness's now (days are enough for any zone)."""
    return f"{(world.now() + dt.timedelta(days=days)).date().isoformat()} {clock}"


ORGANISE_FORM = {
    "title": "Mumbai Live",
    "venue": "Tata Theatre",
    "city": "Mumbai",
    "country": "IN",
    "time_zone": "Asia/Kolkata",
    "start_day": "2030-02-01",
    "start_time": "20:00",
    "end_day": "2030-02-01",
    "end_time": "23:00",
    "seating": "seated",
    "layout": "Stalls: A-C x 10 Gold",
    "prices": "Gold 2500",
    "max_per_order": "4",
    "return_cutoff_hours": "24",
}
"""What an organiser types in /organise's form for a seated concert in Mumbai (that form's fields)."""


def seated_body(world: Any, **changes: Any) -> dict[str, Any]:
    """A concert in Mumbai in 30 days: Stalls A-B x 10 (Gold ₹2,500), Balcony C x 10 (Silver ₹1,000)."""
    body = {
        "title": "Mumbai Live",
        "venue": "Tata Theatre",
        "city": "Mumbai",
        "country": "IN",
        "time_zone": "Asia/Kolkata",
        "starts": on_clock(world, 30, "20:00"),
        "ends": on_clock(world, 30, "23:00"),
        "organiser_name": "Mumbai Live Music",
        "max_per_order": 4,
        "return_cutoff_hours": 24,
        "categories": [
            {"code": "gold", "name": "Gold", "price": "2500"},
            {"code": "silver", "name": "Silver", "price": "1000"},
        ],
        "seating": {
            "kind": "seated",
            "sections": [
                {"name": "Stalls", "rows": [{"label": r, "seats": 10, "category": "gold"} for r in "AB"]},
                {"name": "Balcony", "rows": [{"label": "C", "seats": 10, "category": "silver"}]},
            ],
            "blocked": ["A1"],
        },
    }
    return body | changes


def general_body(world: Any, **changes: Any) -> dict[str, Any]:
    """A festival in São Paulo in 40 days, general admission for ``capacity`` (default 50), R$ 120."""
    body = {
        "title": "Festival da Lua",
        "venue": "Parque Ibirapuera",
        "city": "São Paulo",
        "country": "BR",
        "time_zone": "America/Sao_Paulo",
        "starts": on_clock(world, 40, "14:00"),
        "ends": on_clock(world, 40, "22:00"),
        "max_per_order": 6,
        "categories": [{"code": "pista", "name": "Pista", "price": "120"}],
        "seating": {"kind": "general", "capacity": 50, "category": "pista"},
    }
    return body | changes


def create_event(user: Any, body: dict[str, Any]) -> dict[str, Any]:
    return user.call("POST", f"{TICKETS}/events", body, expect=201)


def db(world: Any) -> Any:
    return world.core.runtime.app_store("tickets").db


def claims(world: Any, event: str) -> list[tuple[str, str, str]]:
    """(seat, state, booking) of every claim on the event, by seat."""
    return (
        db(world)
        .execute("SELECT seat, state, booking FROM claims WHERE event = ? ORDER BY seat", [event])
        .fetchall()
    )


def counts(world: Any, event: str) -> tuple[int, int, int]:
    """(held, sold, capacity) of the event."""
    return db(world).execute("SELECT held, sold, capacity FROM events WHERE ref = ?", [event]).fetchone()


def hold(user: Any, event: str, expect: int = 201, **body: Any) -> dict[str, Any]:
    return user.call("POST", f"{TICKETS}/events/{event}/holds", body, expect=expect)


def seat_map(screen: ui.Screen) -> ui.SeatMap:
    return next(c for c in screen.body if isinstance(c, ui.SeatMap))


def seat_states(screen: ui.Screen) -> dict[str, str]:
    return {seat.id: seat.state for seat in seat_map(screen).seats()}


def open_map(chat: Any, title: str = "Mumbai Live") -> Any:
    """From /tickets, open the event and choose seats: the reply with the map (the event page, replaced)."""
    chat.send("/tickets")
    chat.press("Open", within=title)
    return chat.press("Choose seats")


def tickets_of(world: Any, event: str) -> list[dict[str, Any]]:
    return list(db(world).query("SELECT * FROM tickets WHERE event = ? ORDER BY rowid", [event]))


def topped_up(world: Any, name: str, country: str = "IN", amount: str = "20000") -> Any:
    """A user whose wallet holds ``amount`` (the payments mini-app's sandbox card)."""
    user = world.user(name, country)
    wallet = user.app_chat("payments")
    wallet.send("/topup")
    assert "done" in wallet.submit({"amount": amount, "card": CARD_OK}).text
    return user


def confirm_payment(chat: Any, label: str = "Confirm") -> Any:
    """Press Confirm (or Cancel) on the latest "Pay ..." card in this chat."""
    for message in reversed(chat.history()):
        screen = message["screen"]
        if screen and screen["title"].startswith("Pay "):
            return chat.press(label, message=message)
    raise AssertionError("no payment card in this chat")
