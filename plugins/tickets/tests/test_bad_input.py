"""Bad input gets a clear answer with a stable code, or a reply beside the form's field; nothing changes."""

from __future__ import annotations

from tickets_support import (
    ORGANISE_FORM,
    TICKETS,
    create_event,
    db,
    general_body,
    hold,
    on_clock,
    open_map,
    seated_body,
)

TABLES = (
    "events",
    "categories",
    "seats",
    "claims",
    "bookings",
    "booking_seats",
    "tickets",
    "staff",
    "_souk_timers",
)


def snapshot(world) -> dict[str, int]:
    return {table: db(world).execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for table in TABLES}


def refused(user, body, expect: int = 422) -> dict:
    return user.call("POST", f"{TICKETS}/events", body, expect=expect)["error"]


def test_events_that_cannot_be_are_refused_and_nothing_is_stored(souk_world) -> None:
    world = souk_world(["tickets"], enable=False)
    world.enable("tickets", "IN")
    asha = world.user("Asha", "IN")
    before = snapshot(world)
    cases = {
        "the sales window in the past": seated_body(
            world, sales_start=on_clock(world, -3, "10:00"), sales_end=on_clock(world, -1, "10:00")
        ),
        "a window that ends before it starts": seated_body(
            world, sales_start=on_clock(world, 5, "10:00"), sales_end=on_clock(world, 4, "10:00")
        ),
        "an event that ends before it starts": seated_body(world, ends=on_clock(world, 29, "20:00")),
        "a country it is not enabled in": seated_body(world, country="BR", time_zone="America/Sao_Paulo"),
        "a blocked seat that does not exist": seated_body(
            world, seating=seated_body(world)["seating"] | {"blocked": ["Z99"]}
        ),
        "a price that is not an amount": seated_body(
            world, categories=[{"code": "gold", "name": "Gold", "price": "-5"}]
        ),
    }
    answers = {name: refused(asha, body) for name, body in cases.items()}
    assert {name: (a["code"], a["details"]["field"]) for name, a in answers.items()} == {
        "the sales window in the past": ("invalid_event", "sales_end"),
        "a window that ends before it starts": ("invalid_event", "sales_end"),
        "an event that ends before it starts": ("invalid_event", "ends"),
        "a country it is not enabled in": ("country_not_served", "country"),
        "a blocked seat that does not exist": ("no_such_seat", "seating"),
        "a price that is not an amount": ("invalid_event", "categories"),
    }
    assert answers["the sales window in the past"]["message"] == (
        "the sales window is in the past: it must close in the future"
    )
    assert answers["a country it is not enabled in"]["message"] == "Tickets does not run in BR"
    for capacity in (0, -5):
        error = refused(
            asha,
            general_body(
                world,
                country="IN",
                time_zone="Asia/Kolkata",
                seating={"kind": "general", "capacity": capacity, "category": "pista"},
            ),
        )
        assert error["code"] == "invalid_request"
        assert [d["loc"] for d in error["details"]] == [["seating", "general", "capacity"]]
    assert snapshot(world) == before
    assert snapshot(world)["events"] == 0


def test_holds_that_cannot_be_are_refused_and_nothing_is_held(souk_world) -> None:
    world = souk_world(["tickets"])
    asha = world.user("Asha", "IN")
    event = create_event(asha, seated_body(world))["ref"]
    ravi = world.user("Ravi", "IN")
    hold(ravi, event, seats=["B1"])
    before = snapshot(world)
    answers = [
        hold(ravi, event, expect=422, seats=["Z9"])["error"],
        hold(ravi, event, expect=422, seats=["B2", "B3", "B4", "B5"])["error"],  # 1 held + 4 > 4 per booking
        hold(ravi, event, expect=409, seats=["A1"])["error"],  # blocked
        hold(ravi, event, expect=422, quantity=2)["error"],
        hold(ravi, event, expect=422, seats=["B2"], quantity=1)["error"],
        hold(ravi, "E-NOPE9", expect=404, seats=["B2"])["error"],
    ]
    assert [(a["code"], a["message"]) for a in answers] == [
        ("no_such_seat", "there is no seat Z9 at Mumbai Live"),
        ("too_many_seats", "one booking holds at most 4 tickets for Mumbai Live"),
        ("seat_taken", "seat A1 is not for sale"),
        ("invalid_request", "Mumbai Live is booked by seats"),
        ("invalid_request", "the body does not fit this request"),
        ("not_found", "there is no event E-NOPE9"),
    ]
    assert snapshot(world) == before
    chat = ravi.app_chat("tickets")
    open_map(chat)
    assert chat.pick_seat("Z9", expect=422).errors == {"seat": "is not on this map"}
    assert chat.pick_seat("A1", expect=422).errors == {"seat": "is blocked"}
    assert snapshot(world)["claims"] == 1


def test_the_chat_form_says_what_is_wrong_beside_the_field(souk_world) -> None:
    world = souk_world(["tickets"])
    chat = world.user("Asha", "IN").app_chat("tickets")
    chat.send("/organise")
    good = ORGANISE_FORM
    before = snapshot(world)
    wrong = {
        "layout": "Stalls A-C x 10 Gold",
        "prices": "Gold two thousand",
        "start_time": "8 pm",
        "end_day": "2030-01-31",
    }
    found = {name: chat.submit(good | {name: value}, expect=422).errors for name, value in wrong.items()}
    assert found == {
        "layout": {
            "layout": "start each line with its section: Stalls: A-H x 20 Gold (not 'Stalls A-C x 10 Gold')"
        },
        "prices": {"prices": "write each price as a name and an amount: Gold 2500 (not 'Gold two thousand')"},
        "start_time": {"start_time": "write a time like 20:00"},
        "end_day": {"end_time": "the event must end after it starts"},
    }
    assert chat.submit(good | {"layout": "Stalls: A-C x 10 Platinum"}, expect=422).errors == {
        "layout": "Platinum is not one of the prices"
    }
    assert snapshot(world) == before
    made = chat.submit(good)
    assert made.screen.title == "Mumbai Live: organiser"
    assert snapshot(world)["seats"] == 30
