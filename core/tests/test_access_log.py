"""The access log records exactly one entry per consented field handed to a mini-app.

Hypothesis generates sessions of two people using mini-apps with different
scopes: one that is given the profile (name and language), one the phone
number, two that are given nothing, and one (Spy, given the profile) that
receives every event about them.  A model counts what each step hands over:
a command or event of a mini-app with the profile scope gives two fields,
with the phone scope one, and a mini-app without consent nothing.  Each
person's log holds exactly those entries, with what asked for them, and
nobody else's.
"""

from __future__ import annotations

import os
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from miniapps import Echo, Greeter, PhoneBook, Pinger, Spy
from souk_sdk.testing import World

EXAMPLES = 60 if os.environ.get("SOUK_STRESS") == "1" else 8

PROFILE = ("display_name", "locale")

# What each command hands over: (app, purpose, fields) for the command itself, and for the
# events it causes (Spy receives, with the profile, every event about the person).
STEPS = {
    "/hello": [("greeter", "/hello", PROFILE)],
    "/myphone": [("phonebook", "/myphone", ("phone",))],
    "/echo hi": [],
    "/ping": [("spy", "event ping.sent", PROFILE)],
    "/spy": [("spy", "/spy", PROFILE), ("spy", "event spy.looked", PROFILE)],
}


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    session=st.lists(st.tuples(st.sampled_from(["ana", "bo"]), st.sampled_from(sorted(STEPS))), max_size=14)
)
def test_one_entry_per_field_handed_over(tmp_path_factory, session) -> None:
    world = World(
        [Greeter(), PhoneBook(), Echo(), Pinger(), Spy(scopes=["profile"])], tmp_path_factory.mktemp("log")
    )
    try:
        people = {"ana": world.user("Ana", "BR"), "bo": world.user("Bo", "IN")}
        chats = {name: person.group_chat("Just me", []) for name, person in people.items()}
        expected: dict[str, Counter[tuple[str, str, str, str]]] = {name: Counter() for name in people}
        for name in people:  # Spy is allowed first, so that it may receive events about them
            chats[name].send("/spy")
            for app, purpose, fields in STEPS["/spy"]:
                expected[name].update((app, "profile", f, purpose) for f in fields)
        for name, line in session:
            chats[name].send(line)
            for app, purpose, fields in STEPS[line]:
                scope = "phone" if fields == ("phone",) else "profile"
                expected[name].update((app, scope, f, purpose) for f in fields)
        world.settle()
        for name, person in people.items():
            logged = Counter((e["app"], e["scope"], e["field"], e["purpose"]) for e in person.access_log())
            assert logged == expected[name], (name, session)
    finally:
        world.close()


def test_the_log_is_the_persons_own_and_pages_newest_first(souk_world) -> None:
    world = souk_world([Greeter()])
    ana, bo = world.user("Ana", "BR"), world.user("Bo", "BR")
    chat = ana.app_chat("greeter")
    for _ in range(3):
        chat.send("/hello")
    entries = ana.access_log()
    assert [(e["app"], e["field"], e["purpose"]) for e in entries[:2]] == [
        ("greeter", "locale", "/hello"),
        ("greeter", "display_name", "/hello"),
    ]
    assert len(entries) == 6 and entries == sorted(entries, key=lambda e: -e["id"])
    assert bo.access_log() == []
    page = ana.call("GET", f"/api/v1/me/access-log?limit=2&before={entries[1]['id']}")["entries"]
    assert [e["id"] for e in page] == [entries[2]["id"], entries[3]["id"]]
