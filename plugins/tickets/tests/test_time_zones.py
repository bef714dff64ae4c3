"""An event's time is its own clock's: 20:00 in São Paulo is 20:00 there, and the right hour in
Kolkata, also across a daylight-saving change (Paris, in March and October)."""

from __future__ import annotations

from tickets_support import TICKETS, create_event, general_body, seated_body


def event_in(world, organiser, **where):
    return create_event(organiser, general_body(world, **where))


def test_20_00_in_sao_paulo_is_20_00_there_and_04_30_the_next_day_in_kolkata(souk_world) -> None:
    world = souk_world(["tickets"])
    bruna, asha = world.user("Bruna", "BR"), world.user("Asha", "IN")
    body = general_body(world, starts="2030-03-14 20:00", ends="2030-03-14 23:30")
    event = create_event(bruna, body)
    assert event["starts_at"] == "2030-03-14T23:00:00+00:00"  # São Paulo is UTC-3 all year now
    assert event["starts_local"] == "Thu 14 Mar 2030, 20:00"
    assert event["starts_yours"] == "Thu 14 Mar 2030, 20:00"
    asha.set_country("BR")  # roaming in Brazil: sees Brazil's events, on her own clock
    seen = asha.call("GET", f"{TICKETS}/events/{event['ref']}")
    assert (seen["starts_local"], seen["starts_yours"]) == (
        "Thu 14 Mar 2030, 20:00",
        "Fri 15 Mar 2030, 04:30",
    )
    chat = asha.app_chat("tickets")
    page = chat.send("/tickets")
    assert page.screen.body[0].subtitle == (
        "Thu 14 Mar 2030, 20:00 in São Paulo (Fri 15 Mar 2030, 04:30 your time, India Time) · "
        "Parque Ibirapuera"
    )
    opened = chat.press("Open", within="Festival da Lua")
    assert "Starts Thu 14 Mar 2030, 20:00 in São Paulo (Fri 15 Mar 2030, 04:30 your time, India Time)" in (
        opened.text
    )
    tiago = world.user("Tiago", "BR")
    assert tiago.app_chat("tickets").send("/tickets").screen.body[0].subtitle == (
        "Thu 14 Mar 2030, 20:00 in São Paulo · Parque Ibirapuera"
    )


def test_across_the_daylight_saving_change_the_hour_seen_in_kolkata_moves_with_paris(souk_world) -> None:
    world = souk_world(["tickets"])
    camille, asha = world.user("Camille", "FR"), world.user("Asha", "IN")
    paris = {"country": "FR", "city": "Paris", "time_zone": "Europe/Paris"}
    seen = {}
    for day in ("2030-03-30", "2030-03-31", "2030-10-26", "2030-10-27"):  # the changes: 31 March, 27 October
        made = event_in(
            world, camille, **paris, title=f"Bal {day}", starts=f"{day} 20:00", ends=f"{day} 23:00"
        )
        seen[day] = (made["starts_at"][11:16], made["starts_local"][-5:])
    assert seen == {
        "2030-03-30": ("19:00", "20:00"),  # CET, UTC+1
        "2030-03-31": ("18:00", "20:00"),  # CEST, UTC+2
        "2030-10-26": ("18:00", "20:00"),
        "2030-10-27": ("19:00", "20:00"),
    }
    asha.set_country("FR")
    hours = {
        e["title"]: e["starts_yours"] for e in asha.call("GET", f"{TICKETS}/events?city=Paris")["events"]
    }
    assert hours == {
        "Bal 2030-03-30": "Sun 31 Mar 2030, 00:30",
        "Bal 2030-03-31": "Sun 31 Mar 2030, 23:30",
        "Bal 2030-10-26": "Sat 26 Oct 2030, 23:30",
        "Bal 2030-10-27": "Mon 28 Oct 2030, 00:30",
    }


def test_a_time_the_clocks_skip_or_pass_twice_is_refused(souk_world) -> None:
    world = souk_world(["tickets"])
    camille = world.user("Camille", "FR")
    paris = {"country": "FR", "city": "Paris", "time_zone": "Europe/Paris", "ends": "2030-12-01 10:00"}
    for starts, what in (("2030-03-31 02:30", "does not exist"), ("2030-10-27 02:30", "happens twice")):
        refused = camille.call(
            "POST", f"{TICKETS}/events", general_body(world, **paris, starts=starts), expect=422
        )
        assert refused["error"]["code"] == "invalid_event"
        assert refused["error"]["details"] == {"field": "starts"}
        assert what in refused["error"]["message"]
    wrong_zone = camille.call(
        "POST", f"{TICKETS}/events", seated_body(world, country="FR", city="Paris"), expect=422
    )
    assert wrong_zone["error"]["message"].startswith(
        "Asia/Kolkata is not a time zone of FR (such as Europe/Paris"
    )
    assert camille.call("GET", f"{TICKETS}/events")["events"] == []
