"""Tickets arrive where their buyer paid: in a group, privately to the buyer; the others see nothing."""

from __future__ import annotations

from tickets_support import create_event, open_map, seated_body, topped_up


def test_bought_in_a_group_the_tickets_come_there_for_the_buyer_alone(souk_world) -> None:
    world = souk_world(["payments", "tickets"])
    create_event(world.user("Asha", "IN"), seated_body(world))
    ravi, meera = topped_up(world, "Ravi"), world.user("Meera", "IN")
    group = ravi.group_chat("Friday night", [meera])
    open_map(group)
    group.pick_seat("C3")
    group.pick_seat("C4")
    asked = group.press("Pay ₹2,000.00")
    assert asked.text.startswith("Pay Mumbai Live Music\n*₹2,000.00 to Mumbai Live Music (through Tickets)*")
    paid = group.press("Confirm")
    tickets = [
        m for m in paid.messages if m["screen"] and m["screen"]["title"] == "Your tickets: Mumbai Live"
    ]
    assert len(tickets) == 1 and tickets[0]["private"] is True
    assert [c["title"] for c in tickets[0]["screen"]["body"]] == [
        "Mumbai Live: Seat C3",
        "Mumbai Live: Seat C4",
    ]
    seen_by_meera = meera.chat(group.conversation_id).history()
    shown_to_meera = [m["text"] for m in seen_by_meera if m["sender"]["kind"] != "system"]
    assert shown_to_meera == []  # the command lines, the map, the payment and the tickets were Ravi's alone
    assert ravi.app_chat("tickets").history() == []
