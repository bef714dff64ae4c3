"""Staged rollout: a share of a country's people, the same ones as it grows, and one action back."""

from __future__ import annotations

import secrets

from miniapps import Notes
from souk.foundation.ids import new_id

USERS = 10_000


def _people(country: str, count: int) -> list[dict[str, str]]:
    return [{"id": new_id("u") + secrets.token_hex(2), "country": country} for _ in range(count)]


def _inside(world, app: str, people: list[dict[str, str]]) -> set[str]:
    live_for = world.core.runtime.availability.live_for
    return {p["id"] for p in people if live_for(app, p)}


def test_rollout_share_is_on_target_grows_monotonically_and_rolls_back_exactly(souk_world) -> None:
    world = souk_world([Notes()], enable=False)
    ops = world.core.operations
    people = _people("BR", USERS)
    elsewhere = _people("IN", 1_000)

    assert _inside(world, "notes", people) == set()
    seen: list[set[str]] = []
    for percent in (10, 50, 100):
        assert ops.rollout("notes", "BR", percent, "test") is True
        inside = _inside(world, "notes", people)
        share = 100 * len(inside) / USERS
        assert abs(share - percent) <= 2, (percent, share)
        if seen:
            assert seen[-1] <= inside, f"{len(seen[-1] - inside)} people fell out going to {percent} %"
        seen.append(inside)
        assert _inside(world, "notes", elsewhere) == set()  # another country is not touched
    assert len(seen[-1]) == USERS

    # 100 % back to 50 %: exactly the people who were in at 50 %, and again forward.
    assert ops.rollback("notes", "BR", "test") == 50
    assert _inside(world, "notes", people) == seen[1]
    assert ops.rollback("notes", "BR", "test") == 100
    assert _inside(world, "notes", people) == seen[2]

    # Off, and rolled back to where it was.
    assert ops.disable("notes", "BR", "test") == 1
    assert _inside(world, "notes", people) == set()
    assert ops.rollback("notes", "BR", "test") == 100
    assert _inside(world, "notes", people) == seen[2]

    changes = [
        (e["action"], e["before"], e["after"])
        for e in reversed(ops.audit())
        if e["app"] == "notes" and e["country"] == "BR"
    ]
    assert changes == [
        ("rollout", {"percent": 0}, {"percent": 10}),
        ("rollout", {"percent": 10}, {"percent": 50}),
        ("rollout", {"percent": 50}, {"percent": 100}),
        ("rollback", {"percent": 100}, {"percent": 50}),
        ("rollback", {"percent": 50}, {"percent": 100}),
        ("disable", {"percent": 100}, {"percent": 0}),
        ("rollback", {"percent": 0}, {"percent": 100}),
    ]


def test_a_person_outside_the_rollout_sees_no_hint_of_it(souk_world) -> None:
    world = souk_world([Notes()], enable=False)
    ops = world.core.operations
    people = [world.user(f"P{i}", "BR") for i in range(12)]
    ops.rollout("notes", "BR", 50, "test")
    live_for = world.core.runtime.availability.live_for
    inside = [p for p in people if live_for("notes", p.profile)]
    outside = [p for p in people if not live_for("notes", p.profile)]
    assert inside and outside, "12 people at 50 %: some on each side"
    for person in inside:
        assert "note" in person.commands()
        assert person.group_chat("alone", []).send("/note hi").screen.title == "Noted: hi"
    for person in outside:
        assert "note" not in person.commands()
        reply = person.group_chat("alone", []).send("/note hi").text
        assert "Notes is not available in your country" in reply
        assert "%" not in reply and "rollout" not in reply.lower()
        person.call("POST", "/api/v1/apps/notes/chat", expect=404)


def test_nothing_to_roll_back_and_a_wrong_percent_are_refused(souk_world) -> None:
    world = souk_world([Notes()], enable=False)
    token = world.operator()
    refused = world.call("POST", "/api/v1/admin/apps/notes/countries/BR/rollback", token, expect=422)
    assert refused["error"]["code"] == "nothing_to_roll_back"
    for percent in (-1, 101, "half"):
        world.call(
            "PUT",
            "/api/v1/admin/apps/notes/countries/BR/rollout",
            token,
            json={"percent": percent},
            expect=422,
        )
    assert world.call("GET", "/api/v1/admin/matrix?countries=BR", token)["apps"][1]["cells"]["BR"] == {
        "state": "off",
        "percent": 0,
        "allowed": True,
    }
