"""General admission: a quantity held from the event page, paid, one ticket per place; never past capacity."""

from __future__ import annotations

from souk_sdk.testing import race
from tickets_support import TICKETS, counts, create_event, general_body, hold, tickets_of


def test_a_quantity_is_held_paid_and_issued_one_ticket_per_place(souk_world, souk_fake_payments) -> None:
    world = souk_world(["tickets", souk_fake_payments])
    bruna = world.user("Bruna", "BR")
    event = create_event(bruna, general_body(world))["ref"]
    chat = world.user("Tiago", "BR").app_chat("tickets")
    chat.send("/tickets São Paulo")
    page = chat.press("Open", within="Festival da Lua")
    assert "General admission" in page.text and "Hold tickets" in page.text
    assert chat.submit({"quantity": "7"}, expect=422).errors == {"quantity": "must be at most 6"}
    held = chat.submit({"quantity": "3"})
    assert [m["id"] for m in held.messages] == [page.messages[-1]["id"]]  # the event page, in place
    booking = held.screen.body[-3].text
    assert booking.endswith(": 3 tickets, R$360.00. Held for you until 09:10.")  # 12:10 UTC, in São Paulo
    assert counts(world, event) == (3, 0, 50)
    paid = chat.press("Pay R$360.00")
    assert "Your tickets: Festival da Lua" in paid.text
    (asked,) = souk_fake_payments.requests
    assert (asked.merchant_title, asked.amount, asked.currency) == ("Festival da Lua", 36000, "BRL")
    assert asked.description.startswith("3 tickets: Festival da Lua (Booking B-")
    issued = tickets_of(world, event)
    assert [(t["seat"], t["price"]) for t in issued] == [(None, 12000)] * 3
    assert counts(world, event) == (0, 3, 50)


def test_places_never_pass_the_capacity_however_many_race_for_them(souk_world) -> None:
    world = souk_world(["tickets"])
    event = create_event(
        world.user("Bruna", "BR"),
        general_body(world, seating={"kind": "general", "capacity": 10, "category": "pista"}),
    )["ref"]
    fans = [world.user(f"Fan {i}", "BR") for i in range(12)]

    def take(fan):
        return fan.call("POST", f"{TICKETS}/events/{event}/holds", {"quantity": 2}, expect=(201, 409))

    answers = race(*(lambda f=f: take(f) for f in fans))
    won = [a for a in answers if "ref" in a]
    lost = [a["error"] for a in answers if "error" in a]
    assert (len(won), len(lost)) == (5, 7)
    assert {(e["code"], e["message"]) for e in lost} == {("sold_out", "Festival da Lua is sold out")}
    assert counts(world, event) == (10, 0, 10)
    loser = next(f for f, a in zip(fans, answers, strict=True) if "error" in a)
    assert hold(loser, event, expect=409, quantity=1)["error"]["code"] == "sold_out"
    world.advance(minutes=10)  # the holds run out: every place is free again
    assert counts(world, event) == (0, 0, 10)
    assert hold(loser, event, quantity=2)["quantity"] == 2
