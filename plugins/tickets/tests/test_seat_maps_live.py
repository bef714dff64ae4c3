"""Seat maps change in place as others hold and buy: one update per map for a burst of holds; people
racing for one seat get it once, the others are told it is taken on their map."""

from __future__ import annotations

from souk_sdk import ui
from souk_sdk.testing import race
from tickets_support import TICKETS, claims, create_event, db, hold, open_map, seat_states, seated_body


def setup(souk_world, viewers: int):
    world = souk_world(["tickets"])
    event = create_event(world.user("Asha", "IN"), seated_body(world))["ref"]
    chats = [world.user(f"Viewer {i}", "IN").app_chat("tickets") for i in range(viewers)]
    maps = [open_map(chat).messages[-1] for chat in chats]
    return world, event, chats, maps


def revision(chat, message) -> tuple[int, dict[str, str]]:
    latest = next(m for m in chat.history() if m["id"] == message["id"])
    return latest["revision"], seat_states(ui.Screen.model_validate(latest["screen"]))


def test_a_burst_of_holds_is_one_update_per_map_on_show(souk_world) -> None:
    world, event, chats, maps = setup(souk_world, viewers=5)
    first = [revision(c, m)[0] for c, m in zip(chats, maps, strict=True)]
    buyers = [world.user(f"Buyer {i}", "IN") for i in range(8)]
    answers = race(
        *(
            lambda b=b, s=s: hold(b, event, seats=[s])
            for b, s in zip(buyers, ["B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8"], strict=True)
        )
    )
    assert sorted(a["seats"][0] for a in answers) == [f"B{n}" for n in range(1, 9)]
    world.settle()
    assert [
        revision(c, m)[0] for c, m in zip(chats, maps, strict=True)
    ] == first  # not yet: within the second
    world.tick()
    seen = [revision(c, m) for c, m in zip(chats, maps, strict=True)]
    assert [r for r, _ in seen] == [r + 1 for r in first]
    assert all(sum(state == "held" for state in states.values()) == 8 for _, states in seen)
    world.tick(seconds=5)
    assert [revision(c, m)[0] for c, m in zip(chats, maps, strict=True)] == [r + 1 for r in first]
    # another burst, another single update; a map whose view did not change is left alone
    hold(world.user("Late", "IN"), event, seats=["C9"])
    world.tick()
    assert [revision(c, m)[0] for c, m in zip(chats, maps, strict=True)] == [r + 2 for r in first]
    refreshes = db(world).execute("SELECT COUNT(*) FROM map_refresh").fetchone()
    assert refreshes == (0,)


def test_twenty_presses_on_one_seat_hold_it_once_and_the_others_see_it_taken(souk_world) -> None:
    world, event, chats, maps = setup(souk_world, viewers=20)
    answers = race(*(lambda c=c, m=m: c.act(message=m, seat="B5") for c, m in zip(chats, maps, strict=True)))
    assert sorted(a.status for a in answers) == [200] * 20
    world.settle()
    (claim,) = claims(world, event)
    assert claim[:2] == ("B5", "held")
    winners = [c for c in chats if revision(c, maps[chats.index(c)])[1]["B5"] == "mine"]
    assert len(winners) == 1
    told = [
        c
        for c in chats
        if any("Seat B5 is taken." in m["text"] for m in c.history() if m["id"] == maps[chats.index(c)]["id"])
    ]
    assert len(told) == 19
    active = (
        db(world)
        .execute(
            "SELECT bs.seat, COUNT(*) FROM booking_seats bs JOIN bookings b ON b.ref = bs.booking "
            "WHERE b.status IN ('held', 'paying', 'paid') GROUP BY bs.seat"
        )
        .fetchall()
    )
    assert active == [("B5", 1)]


def test_thirty_buyers_racing_for_three_seats_over_http_three_win(souk_world) -> None:
    world = souk_world(["tickets"])
    event = create_event(world.user("Asha", "IN"), seated_body(world))["ref"]
    buyers = [world.user(f"Buyer {i}", "IN") for i in range(30)]

    def try_hold(buyer):
        return buyer.call(
            "POST", f"{TICKETS}/events/{event}/holds", {"seats": ["C4", "C5", "C6"]}, expect=(201, 409)
        )

    answers = race(*(lambda b=b: try_hold(b) for b in buyers))
    won = [a for a in answers if "ref" in a]
    lost = [a["error"] for a in answers if "error" in a]
    assert (len(won), len(lost)) == (1, 29)  # all three or none: one buyer gets the three
    assert {e["code"] for e in lost} == {"seat_taken"}
    assert all(e["message"] in {"seat C4 is taken", "seat C5 is taken", "seat C6 is taken"} for e in lost)
    assert [(s, st) for s, st, _ in claims(world, event)] == [("C4", "held"), ("C5", "held"), ("C6", "held")]
    assert db(world).execute("SELECT COUNT(*) FROM bookings").fetchone() == (1,)
