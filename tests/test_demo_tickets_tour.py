"""The tickets part of the README's tour, walked over the real HTTP API of ``souk serve --demo``.

Ravi Kumar, in India, tops up, finds the concert in Mumbai, picks two seats on
its seat map, pays, and gets two tickets with their QR codes in the chat where
he bought them; Asha Rao, its organiser, checks one in at the door, and the
same ticket a second time is refused with the time of the first.
"""

from __future__ import annotations

from typing import Any

import pytest
from e2e_support import ServerProcess
from test_demo_tour import (
    Person,
    demo,  # noqa: F401  the fixture: a souk serve --demo of this test alone
    top_up,
)

CONCERT = "Monsoon Nights: Anoushka Menon Quartet"


def seat_map(message: dict[str, Any]) -> dict[str, Any]:
    return next(c for c in message["screen"]["body"] if c["type"] == "seat_map")


def pick(person: Person, chat: str, message: dict[str, Any], seat: str) -> dict[str, Any]:
    """Tap a seat on the map; the map as it is afterwards (the same message, replaced)."""
    answer = person.http.post(
        "/api/v1/actions",
        json={"message_id": message["id"], "component_id": seat_map(message)["id"], "values": {"seat": seat}},
    )
    assert answer.status_code == 200, answer.text
    return next(m for m in person.messages(chat) if m["id"] == message["id"])


@pytest.fixture
def tour(request: pytest.FixtureRequest) -> ServerProcess:
    return request.getfixturevalue("demo")


def test_the_tickets_tour(tour: ServerProcess) -> None:
    ravi, asha = Person(tour, "+919876500002"), Person(tour, "+919876500001")
    top_up(ravi, "6000")
    chat = ravi.app_chat("tickets")
    listing = ravi.say(chat, "/tickets Mumbai", CONCERT)
    page = ravi.press(chat, listing, "Open", "Choose seats")
    assert "20:00 in Mumbai" in page["text"] and "Organised by Monsoon Nights" in page["text"]
    shown = ravi.press(chat, page, "Choose seats", "choose your seats")
    states = {
        s["id"]: s["state"] for sec in seat_map(shown)["sections"] for r in sec["rows"] for s in r["seats"]
    }
    assert (states["A1"], states["B6"], states["D5"]) == ("blocked", "sold", "free")
    assert sum(s == "sold" for s in states.values()) == 12
    once = pick(ravi, chat, shown, "D5")
    held = pick(ravi, chat, once, "D6")  # on the map as it is now: its earlier version is answered
    assert "seats D5, D6, ₹5,000.00. Held for you until" in held["text"]

    asked = ravi.press(chat, held, "Pay ₹5,000.00", "Pay Monsoon Nights")
    assert "2 tickets: Monsoon Nights: Anoushka Menon Quartet (Booking B-" in asked["text"]
    ravi.press(chat, asked, "Confirm", "Paid ✓ ₹5,000.00 to Monsoon Nights (through Tickets)")
    tickets = ravi.wait_for(chat, 0, "Your tickets: Monsoon Nights")
    cards = tickets["screen"]["body"]
    assert [c["title"] for c in cards] == [f"{CONCERT}: Seat D5", f"{CONCERT}: Seat D6"]
    assert all(c["image_url"].startswith("/api/v1/media/f_") for c in cards)  # from the media store
    qr = ravi.http.get(cards[0]["image_url"])
    assert qr.status_code == 200 and qr.headers["content-type"] == "image/png"
    code = cards[0]["body"].splitlines()[-1]
    mine = ravi.say(chat, "/mytickets", "Your tickets")
    assert [b["label"] for c in mine["screen"]["body"] for b in c.get("buttons", [])] == ["Return", "Return"]

    door = asha.app_chat("tickets")
    welcome = asha.say(door, f"/checkin {code}", "Welcome!")
    assert welcome["text"].endswith(f"seat D5, {CONCERT}.")
    refused = asha.say(door, f"/checkin {code}", "Refused")
    assert "was already used, at " in refused["text"]
    assert refused["text"].endswith("(Mumbai time), checked in by the organiser (Monsoon Nights).")
    events = asha.say(door, "/organise", "Your events")
    managed = asha.press(door, events, "Manage", "organiser")
    assert "14 sold, 0 held" in managed["text"] and "1 checked in" in managed["text"]
    key = ravi.http.get("/api/v1/apps/tickets/public-key").json()
    assert key["algorithm"] == "Ed25519"
