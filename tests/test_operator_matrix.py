"""Every installed mini-app, in 4 countries, in each of the 5 states a cell can be in.

In every cell, three views must agree: the state the console's API shows, the
commands listed to a person there, and the commands that run for them (a
command runs when it gets past the core's availability gate: an answer, a
usage reply or a consent screen, never the core's "not available" reply).
"""

from __future__ import annotations

from importlib.metadata import entry_points

from souk.miniapps import availability
from souk.miniapps.availability import in_rollout
from souk.miniapps.registry import load

COUNTRIES = ["IN", "BR", "FR", "US"]
STATES = ["off", "on", "rolling", "suspended", "killed"]
PEOPLE_PER_COUNTRY = 2
NOW = "2026-01-01T00:00:00+00:00"
REFUSALS = ("is not available in your country", "is not available right now", "paused for maintenance")


def _installed() -> list[str]:
    return sorted(ep.name for ep in entry_points(group="souk.plugins"))


def _put_in(world, apps: list[str], state: str) -> None:
    ops, runtime = world.core.operations, world.core.runtime
    for app in apps:
        ops.set_suspended(app, False, "next state", "test")
        for country in COUNTRIES:
            percent = {"off": 0, "rolling": 50}.get(state, 100)
            ops.rollout(app, country, percent, "test")
        if state == "killed":
            ops.set_suspended(app, True, "the kill switch, in a test", "test")
        if state == "suspended":  # as the breaker writes it when it trips
            runtime.core.write_sync(
                lambda db, app=app: availability.set_suspended(
                    db, app, True, "50% of 20 requests failed", "breaker", NOW, by="breaker"
                )
            )


def test_console_listing_and_running_agree_in_every_cell(souk_world) -> None:
    apps = _installed()
    world = souk_world(apps, enable=False)
    token = world.operator()
    commands = {}
    for name, (app, _cmd) in load(None).commands.items():
        if app.name in apps:
            commands.setdefault(app.name, []).append(name)
    assert set(commands) == set(apps), "every installed mini-app has commands"
    people = {
        country: [world.user(f"{country} {i}", country) for i in range(PEOPLE_PER_COUNTRY)]
        for country in COUNTRIES
    }
    chats = {p.profile["id"]: p.group_chat("alone", []) for group in people.values() for p in group}

    cells = agreed = 0
    sides: dict[bool, int] = {True: 0, False: 0}
    for state in STATES:
        _put_in(world, apps, state)
        shown = world.call("GET", f"/api/v1/admin/matrix?countries={','.join(COUNTRIES)}", token)
        rows = {row["name"]: row for row in shown["apps"]}
        for country in COUNTRIES:
            for person in people[country]:
                listed = set(person.commands())
                for app in apps:
                    cell = rows[app]["cells"][country]
                    assert cell["state"] == state, (app, country, cell)
                    live = state == "on" or (
                        state == "rolling" and in_rollout(app, person.profile["id"], cell["percent"])
                    )
                    if state == "rolling":
                        sides[live] += 1
                    for name in commands[app]:
                        cells += 1
                        text = chats[person.profile["id"]].send(f"/{name}", allow=False).text
                        ran = not any(refusal in text for refusal in REFUSALS)
                        assert (name in listed) == live, (state, country, app, name, "listed")
                        assert ran == live, (state, country, app, name, text)
                        agreed += 1
    expected = sum(len(c) for c in commands.values()) * len(COUNTRIES) * PEOPLE_PER_COUNTRY * len(STATES)
    assert cells == agreed == expected
    assert sides[True] and sides[False], f"a 50 % rollout left people on both sides: {sides}"
