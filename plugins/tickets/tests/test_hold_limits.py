"""A booking holds up to the event's ``max_per_order`` seats: exactly that many, and not one more."""

from __future__ import annotations

from tickets_support import claims, create_event, hold, seated_body


def test_a_booking_holds_exactly_the_most_per_order_and_not_one_more(souk_world) -> None:
    world = souk_world(["tickets"])
    event = create_event(world.user("Asha", "IN"), seated_body(world))["ref"]
    ravi = world.user("Ravi", "IN")
    most = seated_body(world)["max_per_order"]
    seats = [f"B{n}" for n in range(1, most + 1)]
    held = hold(ravi, event, seats=[*seats, seats[0].lower()])  # the same seat twice counts once
    assert sorted(s for s, state, b in claims(world, event) if b == held["ref"] and state == "held") == seats
    refused = hold(ravi, event, expect=422, seats=[f"B{most + 1}"])["error"]
    assert refused["code"] == "too_many_seats"
    assert len(claims(world, event)) == most
