"""The seat hold time is a per-country setting: an operator's change counts from the next hold,
in the holds made and in what the seat map says, and wins over ``souk tickets hold-time``."""

from __future__ import annotations

import datetime as dt

from souk_tickets import hold_times
from tickets_support import create_event, hold, open_map, seated_body

SETTINGS = "/api/v1/admin/apps/tickets/countries/{}/settings"


def test_an_operators_hold_time_counts_from_the_next_hold(souk_world) -> None:
    world = souk_world(["payments", "tickets"])
    owner = world.operator()
    event = create_event(world.user("Asha", "IN"), seated_body(world))["ref"]
    store = world.core.runtime.app_store("tickets")
    store.write_sync(lambda d: hold_times.set_hold_minutes(d, "IN", 3, "cli:test", world.now()))

    ravi = world.user("Ravi", "IN")
    held = hold(ravi, event, seats=["C1"])
    assert dt.datetime.fromisoformat(held["hold_until"]) == world.now() + dt.timedelta(minutes=3)

    world.call("PATCH", SETTINGS.format("IN"), owner, json={"values": {"hold_minutes": 7}})
    held = hold(world.user("Meera", "IN"), event, seats=["C2"])
    assert dt.datetime.fromisoformat(held["hold_until"]) == world.now() + dt.timedelta(minutes=7)
    shown = open_map(world.user("Dev", "IN").app_chat("tickets"))
    assert "hold it for 7 minutes" in shown.text

    world.call("PATCH", SETTINGS.format("BR"), owner, json={"values": {"hold_minutes": 60}})
    refused = world.call(
        "PATCH", SETTINGS.format("IN"), owner, json={"values": {"hold_minutes": 121}}, expect=422
    )
    assert refused["error"]["code"] == "invalid_setting"
    held = hold(world.user("Isha", "IN"), event, seats=["C3"])
    assert dt.datetime.fromisoformat(held["hold_until"]) == world.now() + dt.timedelta(minutes=7)
