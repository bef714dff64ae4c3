"""A press on a seat map reaches its action with the seat, checked against the map as stored.

The core refuses a seat that is not on the map, or that the map shows neither
free nor the viewer's, before the handler runs (``422 invalid_form``), whatever
a client sends; a mini-app learns where it runs with ``ctx.live_in``.
"""

from __future__ import annotations

from typing import Any

from souk_sdk import Context, Manifest, MiniApp, Press, ui

app = MiniApp(Manifest(name="cinema", title="Cinema", version="1.0.0", countries=["BR", "IN"], scopes=[]))
picked: list[tuple[str, dict[str, Any]]] = []


def chart() -> ui.Screen:
    row = ui.SeatRow(
        label="A",
        seats=[ui.Seat(id="A1"), ui.Seat(id="A2", state="sold"), ui.Seat(id="A3", state="mine")],
    )
    seats = ui.SeatMap(action="pick", sections=[ui.SeatSection(name="Hall", rows=[row])], payload={"show": 7})
    return ui.Screen(title="Seats", body=[seats])


@app.command("seats", help="Choose a seat")
async def seats(ctx: Context, args: Any) -> ui.Screen:
    return chart()


@app.action("pick")
async def pick(ctx: Context, press: Press) -> str:
    picked.append((press.values["seat"], press.payload))
    return f"You chose {press.values['seat']}"


@app.command("where", help="Where this mini-app runs")
async def where(ctx: Context, args: Any) -> str:
    return ", ".join(c for c in ("BR", "IN", "FR") if ctx.live_in(c))


def test_a_seat_press_carries_the_seat_and_refuses_what_the_map_does_not_offer(souk_world: Any) -> None:
    picked.clear()
    chat = souk_world([app]).user("Ana", "BR").app_chat("cinema")
    assert chat.send("/seats").screen.title == "Seats"
    assert chat.pick_seat("A1").text == "You chose A1"
    assert chat.pick_seat("A3").text == "You chose A3"
    refusals = [chat.pick_seat(seat, expect=422).errors for seat in ("A2", "Z9")]
    assert refusals == [{"seat": "is sold"}, {"seat": "is not on this map"}]
    message = next(m for m in chat.history() if m["screen"])
    raw = chat.user.call(
        "POST",
        "/api/v1/actions",
        {"message_id": message["id"], "component_id": "c1", "values": {"seat": "A1", "admin": True}},
        expect=422,
    )
    assert raw["error"]["details"]["fields"] == {"seat": "choose one seat"}
    assert picked == [("A1", {"show": 7}), ("A3", {"show": 7})]


def test_a_mini_app_knows_the_countries_it_runs_in_now(souk_world: Any) -> None:
    world = souk_world([app], enable=False)
    world.enable("cinema", "BR")
    chat = world.user("Ana", "BR").app_chat("cinema")
    assert chat.send("/where").text == "BR"
    world.enable("cinema", "IN")
    assert chat.send("/where").text == "BR, IN"
    world.disable("cinema", "IN")
    assert chat.send("/where").text == "BR"
