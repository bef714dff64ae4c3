"""Dates are the user's own: "today" is their today, where they are, and errors say it their way.

A booking form asks for a day from "today" on, and a stay (a date range) of
at most a week.  At 19:00 UTC it is already 00:30 tomorrow in India, and at
01:00 UTC it is still 22:00 yesterday in São Paulo: each person books by
their own calendar, and the refusal names the day as their region writes it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from souk_sdk import Context, Manifest, MiniApp, Press, ui

UTC = dt.UTC


def booking_app() -> MiniApp:
    app = MiniApp(Manifest(name="stay", title="Stay", version="1.0.0"))

    @app.command("book", help="Book a day and a stay", scopes=[])
    async def book(ctx: Context, args: Any) -> ui.Screen:
        return ui.Screen(
            title=f"Book (today is {ctx.today().isoformat()} for you)",
            body=[
                ui.Form(
                    action="reserve",
                    fields=[
                        ui.DateField(name="day", label="Day", min="today"),
                        ui.DateRangeField(name="stay", label="Stay", min="today", max_days=7, required=False),
                    ],
                )
            ],
        )

    @app.action("reserve")
    async def reserve(ctx: Context, press: Press) -> str:
        stay = press.values["stay"]
        nights = f", {stay.days} nights from {stay.start.isoformat()}" if stay else ""
        return f"booked {press.values['day'].isoformat()}{nights} ({ctx.time_zone})"

    return app


def at(world: Any, moment: dt.datetime) -> None:
    world.set_clock(moment)


@pytest.fixture
def world(souk_world):
    world = souk_world([booking_app()])
    at(
        world, dt.datetime(2030, 12, 1, 19, 0, tzinfo=UTC)
    )  # 00:30 on 2 Dec in India, 16:00 on 1 Dec in São Paulo
    return world


def test_a_user_in_india_at_half_past_midnight_can_book_today(world) -> None:
    asha = world.user("Asha", "IN")
    assert asha.profile["time_zone"] == "Asia/Kolkata"
    chat = asha.app_chat("stay")
    assert "today is 2030-12-02 for you" in chat.send("/book").text
    assert "booked 2030-12-02 (Asia/Kolkata)" in chat.submit({"day": "2030-12-02"}).text
    chat.send("/book")
    refused = chat.submit({"day": "2030-12-01"}, expect=422)  # UTC's today, her yesterday
    assert refused.errors == {"day": "must be on or after 2 December 2030"}


def test_a_user_in_sao_paulo_at_ten_at_night_cannot_book_yesterday(world) -> None:
    at(world, dt.datetime(2030, 12, 3, 1, 0, tzinfo=UTC))  # 22:00 on 2 Dec in São Paulo
    tiago = world.user("Tiago", "BR")
    assert tiago.profile["time_zone"] == "America/Sao_Paulo"
    chat = tiago.app_chat("stay")
    assert "today is 2030-12-02 for you" in chat.send("/book").text
    refused = chat.submit({"day": "2030-12-01"}, expect=422)
    assert refused.errors == {"day": "must be on or after 2 December 2030"}
    assert "booked 2030-12-02" in chat.submit({"day": "2030-12-02"}).text  # still today for him


def test_the_refusal_writes_the_day_as_the_readers_region_does(world) -> None:
    jordan = world.user("Jordan", "US")
    chat = jordan.app_chat("stay")
    chat.send("/book")
    refused = chat.submit({"day": "2020-01-01"}, expect=422)
    assert refused.errors == {"day": "must be on or after December 1, 2030"}


def test_a_stay_ends_after_it_starts_and_lasts_at_most_a_week(world) -> None:
    asha = world.user("Asha", "IN")
    chat = asha.app_chat("stay")
    chat.send("/book")
    cases = {
        ("2030-12-05", "2030-12-04"): "the end must be after the start",
        ("2030-12-05", "2030-12-05"): "the end must be after the start",
        ("2030-12-05", "2030-12-13"): "at most 7 days from start to end",
        ("2030-12-01", "2030-12-03"): "must be on or after 2 December 2030",
    }
    for (start, end), message in cases.items():
        refused = chat.submit({"day": "2030-12-02", "stay": {"start": start, "end": end}}, expect=422)
        assert refused.errors == {"stay": message}, (start, end)
    for wrong in ({"start": "2030-12-05"}, "2030-12-05", {"start": "soon", "end": "later"}):
        refused = chat.submit({"day": "2030-12-02", "stay": wrong}, expect=422)
        assert set(refused.errors) == {"stay"}, wrong
    booked = chat.submit({"day": "2030-12-02", "stay": {"start": "2030-12-05", "end": "2030-12-12"}})
    assert "booked 2030-12-02, 7 nights from 2030-12-05" in booked.text


def test_a_user_changes_their_time_zone_and_their_today_with_it(world) -> None:
    asha = world.user("Asha", "IN")
    assert asha.set_time_zone("America/Los_Angeles").profile["time_zone"] == "America/Los_Angeles"
    chat = asha.app_chat("stay")
    assert "today is 2030-12-01 for you" in chat.send("/book").text
    refused = asha.call("PATCH", "/api/v1/me", {"time_zone": "Mars/Olympus"}, expect=422)
    assert refused["error"]["code"] == "invalid_time_zone"
    assert asha.call("GET", "/api/v1/me")["time_zone"] == "America/Los_Angeles"
