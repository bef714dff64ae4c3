"""Tickets given back: a return before the cut-off is refunded and frees its seat; a cancelled event
refunds every ticket exactly once and tells every holder, however often the cancel is pressed."""

from __future__ import annotations

import datetime as dt

from souk_payments.check import problems
from souk_sdk.testing import race
from tickets_support import (
    TICKETS,
    claims,
    confirm_payment,
    counts,
    create_event,
    hold,
    seated_body,
    tickets_of,
    topped_up,
)


def buy(world, user, event: str, seats: list[str]) -> list[dict]:
    booking = hold(user, event, seats=seats)
    user.call("POST", f"{TICKETS}/bookings/{booking['ref']}/payment", expect=201)
    confirm_payment(user.app_chat("payments"))
    world.settle()
    return [t for t in user.call("GET", f"{TICKETS}/tickets")["tickets"] if t["booking"] == booking["ref"]]


def refunds(world) -> list[tuple[int, str]]:
    pay_db = world.core.runtime.app_store("payments").db
    return pay_db.execute("SELECT amount, reason FROM refunds ORDER BY created_at, rowid").fetchall()


def wallet(user) -> int:
    return user.call("GET", "/api/v1/apps/payments/wallet")["available"]


def texts(chat) -> list[str]:
    return [m["text"] for m in chat.history()]


def test_a_return_before_the_cut_off_is_refunded_once_and_frees_the_seat(souk_world) -> None:
    world = souk_world(["payments", "tickets"])
    event = create_event(world.user("Asha", "IN"), seated_body(world))["ref"]
    ravi = topped_up(world, "Ravi")
    first, second = buy(world, ravi, event, ["B1", "B2"])
    assert wallet(ravi) == 2_000_000 - 500_000
    chat = ravi.app_chat("tickets")
    listing = chat.send("/mytickets")
    assert [card.title for card in listing.screen.body] == ["Mumbai Live: Seat B1", "Mumbai Live: Seat B2"]
    assert listing.screen.body[0].image_url.startswith("/api/v1/media/f_")
    returned = chat.press("Return", within="Mumbai Live: Seat B1")
    assert f"Ticket {first['ref']} is returned; your refund of ₹2,500.00 is on its way." in returned.text
    assert f"Ticket {first['ref']} was returned: 1 ticket (seat B1) refunded, ₹2,500.00." in texts(chat)
    assert refunds(world) == [(250000, f"ticket {first['ref']} was returned")]
    assert wallet(ravi) == 2_000_000 - 250_000
    assert [(s, st) for s, st, _ in claims(world, event)] == [("B2", "sold")]
    assert counts(world, event)[:2] == (0, 1)
    again = ravi.call("POST", f"{TICKETS}/tickets/{first['ref']}/return", expect=409)["error"]
    assert (again["code"], again["message"]) == (
        "not_returnable",
        f"ticket {first['ref']} was already given back",
    )
    assert hold(world.user("Bo", "IN"), event, seats=["B1"])["seats"] == ["B1"]  # free again at once
    world.set_clock(dt.datetime.fromisoformat(world.now().isoformat()) + dt.timedelta(days=29, hours=8))
    late = ravi.call("POST", f"{TICKETS}/tickets/{second['ref']}/return", expect=409)["error"]
    assert late["message"] == "tickets for Mumbai Live could be returned until 24 hours before it starts"
    world.settle()
    assert len(refunds(world)) == 1
    assert problems(world.core.runtime.app_store("payments").db) == []


def test_cancelling_refunds_every_ticket_once_and_tells_every_holder(souk_world) -> None:
    world = souk_world(["payments", "tickets"])
    asha = world.user("Asha", "IN")
    event = create_event(asha, seated_body(world))["ref"]
    holders = [topped_up(world, f"Fan {i}") for i in range(4)]
    for holder, seats in zip(holders, (["B1", "B2"], ["B3"], ["C1", "C2", "C3"], ["C4"]), strict=True):
        buy(world, holder, event, seats)
    hold(world.user("Late", "IN"), event, seats=["C9"])  # a hold still open: it ends with the event
    sold = tickets_of(world, event)
    assert len(sold) == 7

    chat = asha.app_chat("tickets")
    chat.send("/organise")
    chat.press("Manage")
    ask = chat.press("Cancel the event")
    assert ask.screen.title == "Cancel Mumbai Live?"
    confirm = ask.messages[-1]
    answers = race(lambda: chat.act("Yes, cancel it", message=confirm), times=5)
    assert sorted(a.status for a in answers) == [200] + [409] * 4
    again = [asha.call("POST", f"{TICKETS}/events/{event}/cancel") for _ in range(3)]
    world.settle()
    assert [a["tickets_refunded"] for a in again] == [7, 7, 7]
    assert {a["status"] for a in again} == {"cancelled"}

    assert sorted(amount for amount, _ in refunds(world)) == sorted(t["price"] for t in sold)
    assert {reason for _, reason in refunds(world)} == {"Mumbai Live was cancelled by its organiser"}
    assert [t["status"] for t in tickets_of(world, event)] == ["refunded"] * 7
    assert [state for _, state, _ in claims(world, event)] == [
        "sold"
    ] * 7  # the open hold ended; sales stay on record
    assert counts(world, event)[:2] == (0, 7)
    told = [
        [t for t in texts(h.app_chat("tickets")) if t.startswith("Mumbai Live was cancelled")]
        for h in holders
    ]
    assert told == [
        ["Mumbai Live was cancelled by its organiser: 2 tickets (seat B1, seat B2) refunded, ₹5,000.00."],
        ["Mumbai Live was cancelled by its organiser: 1 ticket (seat B3) refunded, ₹2,500.00."],
        [
            "Mumbai Live was cancelled by its organiser: 3 tickets (seat C1, seat C2, seat C3) refunded, "
            "₹3,000.00."
        ],
        ["Mumbai Live was cancelled by its organiser: 1 ticket (seat C4) refunded, ₹1,000.00."],
    ]
    assert [wallet(h) for h in holders] == [2_000_000] * 4
    world.advance(hours=2)
    assert len(refunds(world)) == 7
    assert problems(world.core.runtime.app_store("payments").db) == []
    closed = world.user("Zoe", "IN").call(
        "POST", f"{TICKETS}/events/{event}/holds", {"seats": ["A2"]}, expect=409
    )
    assert closed["error"] == {"code": "not_on_sale", "message": "Mumbai Live was cancelled"}
