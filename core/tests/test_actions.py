"""Buttons and forms: values are validated against the stored form, whatever a client sends."""

from __future__ import annotations

import datetime as dt

from miniapps import Booking


def test_a_form_refuses_hostile_values_with_field_errors_not_a_crash(souk_world) -> None:
    booking = Booking()
    world = souk_world([booking])
    chat = world.user("Ana", "BR").app_chat("booking")
    assert chat.send("/book").screen.title == "Book"

    refused = chat.submit(
        {"name": {"first": "Ana"}, "people": [3], "room": ["in"], "day": {"y": 2030}, "admin": True},
        expect=422,
    )
    assert refused.errors == {
        "name": "must be text",
        "people": "must be a number",
        "room": "choose one of the options",
        "day": "must be a date like 2026-12-31",
        "admin": "is not a field of this form",
    }
    assert booking.submitted == []

    assert chat.submit({"name": "Ana", "people": "4", "room": "out"}).text == "booked for 4"
    assert booking.submitted == [
        {"payload": {"table": 7}, "name": "Ana", "people": 4, "room": "out", "day": None}
    ]
    assert chat.submit({"name": "Ana", "people": 2, "room": "in", "day": "2030-02-01"}).text == "booked for 2"
    assert booking.submitted[-1]["day"] == dt.date(2030, 2, 1)


def test_a_press_on_a_message_one_cannot_see_is_not_found(souk_world) -> None:
    world = souk_world([Booking()])
    ana = world.user("Ana", "BR")
    bob = world.user("Bob", "BR")
    group = ana.group_chat("Both", [bob])
    group.send("/book")  # shown privately to Ana
    form_message = next(m for m in group.history() if m["screen"])
    answer = bob.call(
        "POST",
        "/api/v1/actions",
        {"message_id": form_message["id"], "component_id": "c1", "values": {}},
        expect=404,
    )
    assert answer["error"]["code"]
    # Neither the line "/book" nor its form: only the group's own news.
    assert [m["sender"]["kind"] for m in bob.chat(group.conversation_id).history()] == ["system"]
    missing = ana.call(
        "POST",
        "/api/v1/actions",
        {"message_id": form_message["id"], "component_id": "c9", "values": {}},
        expect=404,
    )
    assert missing["error"]["code"] == "component_not_found"
