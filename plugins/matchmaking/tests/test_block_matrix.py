"""After Alice blocks Bruno, every route, command and button of matchmaking answers Bruno as if
Alice did not exist (and Alice as if Bruno did not).

The routes and commands are read from the mini-app itself, so one added later
is covered (or fails here until it is): a route that names a card or a match
is called with Alice's and with an unknown one, and the two answers must be
the same; every other route and command must not mention her.
"""

from __future__ import annotations

import json
import secrets

import pytest
from matchmaking_support import MM, card_of, count, member, photo_body, profile_body
from souk_matchmaking import api, chat
from souk_sdk.testing import HarnessError

BODIES = {"/candidates/{card}/report": {"reason": "fake", "note": "not her"}, "/profile/photos": photo_body()}
OWN = {"number": "1"}
"""Path parameters that name the caller's own things (their photo number N)."""


@pytest.fixture
def blocked(souk_world):
    world = souk_world(["matchmaking"])
    alice = member(world, "Alice Zanetti", interests=["samba"])
    bruno = member(world, "Bruno Lima", gender="man", seeks=["woman"], interests=["samba"])
    member(world, "Carla Dias", interests=["books"], seeks=["man"])
    bruno_chat = bruno.app_chat("matchmaking")
    bruno_chat.send("/match")  # Bruno sees Alice's card (with Like, Pass, Report, Block) ...
    alice.call("POST", f"{MM}/candidates/{card_of(bruno)}/like")
    bruno.call("POST", f"{MM}/candidates/{card_of(alice)}/like")  # ... and they match
    world.settle()
    (match,) = bruno.call("GET", f"{MM}/matches")["matches"]
    marks = {"card": card_of(alice), "match": match["ref"], "name": "Alice", "chat": bruno_chat}
    alice.call("POST", f"{MM}/candidates/{card_of(bruno)}/block")
    return world, alice, bruno, marks


def _answer(user, method, path, body):
    status, answer = user.world.core.request(method, path, user.token, body)
    return status, answer


def _mentions(answer, marks) -> list[str]:
    text = json.dumps(answer, ensure_ascii=False)
    return [mark for mark in (marks["card"], marks["match"], marks["name"]) if mark in text]


def test_every_route_answers_as_if_the_blocker_did_not_exist(blocked):
    world, _alice, bruno, marks = blocked
    routes = sorted(api.ROUTES, key=lambda r: (r.path == "/profile" and r.method == "DELETE", r.path))
    checked = []
    for route in routes:
        body = BODIES.get(route.path)
        if route.path == "/profile" and route.method == "PUT":
            body = profile_body(world, name="Bruno Lima", gender="man", seeks=["woman"], interests=["samba"])
        names = [p for p in ("card", "match") if "{" + p + "}" in route.path]
        if names:
            (name,) = names
            hers = _answer(bruno, route.method, MM + route.path.replace("{" + name + "}", marks[name]), body)
            unknown = route.path.replace("{" + name + "}", secrets.token_urlsafe(9))
            assert hers == _answer(bruno, route.method, MM + unknown, body), route.path
            assert hers[0] == 404
        else:
            path = route.path
            for name, value in OWN.items():
                path = path.replace("{" + name + "}", value)
            status, answer = _answer(bruno, route.method, MM + path, body)
            assert status == 200, (route.path, answer)
            assert _mentions(answer, marks) == [], route.path
        checked.append((route.method, route.path))
    assert len(checked) == len(api.ROUTES) == 14


def test_every_command_and_old_button_answers_as_if_the_blocker_did_not_exist(blocked):
    world, _alice, bruno, marks = blocked
    old_card = next(m for m in reversed(marks["chat"].history()) if "Alice" in m["text"])
    likes_before = count(world, "SELECT COUNT(*) FROM likes")
    answered = []
    for label in ("Like", "Pass", "Block", "Report"):
        try:
            reply = marks["chat"].press(label, message=old_card)
        except HarnessError as exc:  # the card was answered: a later press runs nothing
            assert "409" in str(exc)
            continue
        assert "Alice" not in reply.text
        answered.append(reply.text)
    assert answered == ["There is no such profile."] * 4
    assert count(world, "SELECT COUNT(*) FROM likes") == likes_before
    assert count(world, "SELECT COUNT(*) FROM reports") == 0
    for command in chat.COMMANDS:
        reply = bruno.app_chat("matchmaking").send(f"/{command.name}")
        assert (
            _mentions([m["text"] for m in reply.messages] + [m["screen"] for m in reply.messages], marks)
            == []
        )
    assert len(chat.COMMANDS) == 3


def test_the_blocker_does_not_see_the_blocked_either(blocked):
    _world, alice, bruno, marks = blocked
    bruno_marks = {"card": card_of(bruno), "match": marks["match"], "name": "Bruno"}
    for path in ("/candidates", "/matches"):
        assert _mentions(alice.call("GET", MM + path), bruno_marks) == []
    for command in chat.COMMANDS:
        reply = alice.app_chat("matchmaking").send(f"/{command.name}")
        assert _mentions([m["text"] for m in reply.messages], bruno_marks) == []
    status, answer = _answer(alice, "POST", f"{MM}/candidates/{bruno_marks['card']}/like", None)
    assert (status, answer["error"]["code"]) == (404, "not_found")
