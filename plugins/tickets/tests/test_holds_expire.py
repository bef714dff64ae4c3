"""Holds end on their own, on the server's timer: at their time and not before; a late payment
buys the seats if they are still free and is refunded if not; no seat is ever sold twice.

The clocks: a hold lasts 10 minutes (the operator's setting per country), a
payment request 15 (payments' ``EXPIRES_AFTER``), so a buyer can confirm a
payment after their hold ran out.
"""

from __future__ import annotations

import datetime as dt

from souk_payments.check import problems
from souk_tickets import hold_times
from tickets_support import (
    TICKETS,
    claims,
    confirm_payment,
    counts,
    create_event,
    db,
    general_body,
    hold,
    open_map,
    seat_states,
    seated_body,
    tickets_of,
    topped_up,
)


def world_with_event(souk_world):
    world = souk_world(["payments", "tickets"])
    asha = world.user("Asha", "IN")
    event = create_event(asha, seated_body(world))["ref"]
    return world, event


def refunds(world) -> list[tuple[int, str]]:
    pay_db = world.core.runtime.app_store("payments").db
    return pay_db.execute("SELECT amount, reason FROM refunds ORDER BY created_at").fetchall()


def ledger_clean(world) -> None:
    assert problems(world.core.runtime.app_store("payments").db) == []


def test_a_hold_ends_at_its_time_and_not_before_and_the_buyer_is_told(souk_world) -> None:
    world, event = world_with_event(souk_world)
    ravi = world.user("Ravi", "IN")
    chat = ravi.app_chat("tickets")
    open_map(chat)
    chat.pick_seat("B4")
    chat.pick_seat("B5")
    bo = world.user("Bo", "IN").app_chat("tickets")
    watching = open_map(bo).messages[-1]
    assert seat_states(open_map(bo).screen)["B4"] == "held"
    booking = claims(world, event)[0][2]
    assert [(s, state) for s, state, _ in claims(world, event)] == [("B4", "held"), ("B5", "held")]

    world.advance(minutes=9, seconds=59)
    assert len(claims(world, event)) == 2
    assert counts(world, event)[:2] == (2, 0)
    world.advance(seconds=1)
    assert claims(world, event) == []
    assert counts(world, event)[:2] == (0, 0)
    assert db(world).execute("SELECT status FROM bookings WHERE ref = ?", [booking]).fetchone() == (
        "expired",
    )
    told = [m["text"] for m in chat.history() if "ran out" in m["text"]]
    assert told == [
        f"Your hold on seats B4, B5 for Mumbai Live (Booking {booking}) ran out; they are free again. "
        "Choose again with /tickets."
    ]
    world.advance(seconds=1)  # the maps' refresh: the watcher's map shows the seats free again, in place
    latest = next(m for m in bo.history() if m["id"] == watching["id"])
    assert latest["revision"] > watching["revision"]
    assert "  B  ..........\n" in latest["text"]
    # the seats can be had at once
    assert hold(world.user("Cy", "IN"), event, seats=["B4", "B5"])["status"] == "held"


def test_the_hold_time_is_the_operators_setting_for_the_country(souk_world) -> None:
    world, event = world_with_event(souk_world)
    store = world.core.runtime.app_store("tickets")
    store.write_sync(lambda d: hold_times.set_hold_minutes(d, "IN", 3, "test", world.now()))
    held = hold(world.user("Ravi", "IN"), event, seats=["C1"])
    assert dt.datetime.fromisoformat(held["hold_until"]) == world.now() + dt.timedelta(minutes=3)
    world.advance(minutes=2, seconds=59)
    assert len(claims(world, event)) == 1
    world.advance(seconds=1)
    assert claims(world, event) == []


def test_a_late_payment_buys_the_seats_when_they_are_still_free(souk_world) -> None:
    world, event = world_with_event(souk_world)
    ravi = topped_up(world, "Ravi")
    chat = ravi.app_chat("tickets")
    open_map(chat)
    chat.pick_seat("A5")
    chat.press("Pay ₹2,500.00")
    world.advance(minutes=12)  # the hold ran out; the payment card is still open (15 minutes)
    assert claims(world, event) == []
    paid = confirm_payment(chat)
    assert "Paid ✓ ₹2,500.00 to Mumbai Live Music (through Tickets)" in paid.text
    world.settle()
    assert [(s, state) for s, state, _ in claims(world, event)] == [("A5", "sold")]
    assert [t["seat"] for t in tickets_of(world, event)] == ["A5"]
    assert counts(world, event)[:2] == (0, 1)
    assert refunds(world) == []
    ledger_clean(world)


def test_a_late_payment_for_seats_taken_meanwhile_is_refunded_never_sold_twice(souk_world) -> None:
    world, event = world_with_event(souk_world)
    ravi, bo = topped_up(world, "Ravi"), topped_up(world, "Bo")
    chat = ravi.app_chat("tickets")
    open_map(chat)
    chat.pick_seat("A5")
    chat.pick_seat("A6")
    chat.press("Pay ₹5,000.00")
    booking = claims(world, event)[0][2]
    world.advance(minutes=11)
    taken = hold(bo, event, seats=["A6"])  # Bo takes one of the two seats once they are free
    bo.call("POST", f"{TICKETS}/bookings/{taken['ref']}/payment", expect=201)
    confirm_payment(bo.app_chat("payments"))  # asked over HTTP: the card is in his chat with Payments
    world.settle()
    assert [(s, state) for s, state, _ in claims(world, event)] == [("A6", "sold")]

    confirm_payment(chat)  # Ravi's payment, late: A5 is free, A6 is Bo's
    world.settle()
    assert [(s, state, b == taken["ref"]) for s, state, b in claims(world, event)] == [("A6", "sold", True)]
    assert [t["seat"] for t in tickets_of(world, event)] == ["A6"]
    assert refunds(world) == [(500000, "your hold ran out and someone else took the seats meanwhile")]
    status = db(world).execute("SELECT status FROM bookings WHERE ref = ?", [booking]).fetchone()
    assert status == ("refunded",)
    told = [m["text"] for m in chat.history() if "came too late" in m["text"]]
    assert told == [
        f"Your payment for Booking {booking} came too late: your hold ran out and someone else took the "
        "seats meanwhile. ₹5,000.00 was refunded."
    ]
    assert counts(world, event)[:2] == (0, 1)
    world.advance(minutes=30)
    assert len(refunds(world)) == 1
    ledger_clean(world)


def test_a_late_payment_for_places_taken_meanwhile_is_refunded_never_past_the_capacity(souk_world) -> None:
    """General admission: the places of a lapsed hold are counted again, not claimed by seat."""
    world = souk_world(["payments", "tickets"])
    seating = {"kind": "general", "capacity": 2, "category": "pista"}
    event = create_event(world.user("Bruna", "BR"), general_body(world, seating=seating))["ref"]
    tiago, bo = topped_up(world, "Tiago", "BR", "1000"), topped_up(world, "Bo", "BR", "1000")
    late = hold(tiago, event, quantity=2)
    tiago.call("POST", f"{TICKETS}/bookings/{late['ref']}/payment", expect=201)
    world.advance(minutes=11)
    assert counts(world, event) == (0, 0, 2)
    taken = hold(bo, event, quantity=2)
    bo.call("POST", f"{TICKETS}/bookings/{taken['ref']}/payment", expect=201)
    confirm_payment(bo.app_chat("payments"))
    world.settle()
    assert counts(world, event) == (0, 2, 2)

    confirm_payment(tiago.app_chat("payments"))  # Tiago's payment, late: both places are Bo's
    world.settle()
    assert counts(world, event) == (0, 2, 2)
    assert [t["booking"] for t in tickets_of(world, event)] == [taken["ref"]] * 2
    assert refunds(world) == [(24000, "your hold ran out and Festival da Lua sold out meanwhile")]
    ledger_clean(world)


def test_a_payment_that_lapses_after_its_hold_ran_out_tells_the_buyer_once(souk_world) -> None:
    """The hold's end is told once; the payment request lapsing later ends nothing more."""
    world, event = world_with_event(souk_world)
    ravi = topped_up(world, "Ravi")
    chat = ravi.app_chat("tickets")
    open_map(chat)
    chat.pick_seat("A5")
    chat.press("Pay ₹2,500.00")
    world.advance(minutes=11)  # the hold runs out
    world.advance(minutes=5)  # then the payment request (15 minutes)
    world.settle()
    told = [m["text"] for m in chat.history() if m["text"] and "Booking" in m["text"]]
    assert len([t for t in told if "ran out" in t]) == 1
    assert [t for t in told if "did not go through" in t] == []
    assert claims(world, event) == []
    assert counts(world, event)[:2] == (0, 0)
