"""Across a generated session of 1,000 actions, nothing that identifies or locates a member reaches others.

(300 unless ``SOUK_STRESS=1``.) Eight members in and around São Paulo share exact positions (moving now and
then), look at candidates in chat and over HTTP, like, pass, block, report,
unmatch, pause and edit, in an order drawn from a seed.  Everything the
server answers each of them is kept: every HTTP body, and every message and
every new version of a screen in every conversation they are in (what their
WebSocket carries as it happens).  Then, for each member, everything that
went to someone else is searched for their phone number (E.164 and the
national digits), handle, birth date (as ISO and as a locale writes it),
their id and cell in the mini-app, and every position they shared; the
mini-app's database and write-ahead log, and the log lines, are searched for
the positions as text and as the bytes of a double.
"""

from __future__ import annotations

import json
import logging
import os
import random
import struct
from collections import defaultdict
from pathlib import Path

import pytest
from matchmaking_support import MM, card_of, db, profile_body
from souk_matchmaking import places

ACTIONS = 1000 if os.environ.get("SOUK_STRESS") == "1" else 300
SEED = int(os.environ.get("SOUK_SEED", random.randrange(2**32)))
HOME = places.city_named("BR", "São Paulo")


class Seen:
    """Everything each member was answered, and the read cursor of each of their conversations."""

    def __init__(self) -> None:
        self.by: dict[str, list[str]] = defaultdict(list)
        self.cursors: dict[tuple[str, str], int] = {}

    def keep(self, user, answer) -> None:
        self.by[user.profile["id"]].append(json.dumps(answer, ensure_ascii=False))

    def read_all(self, user) -> None:
        for conversation in user.call("GET", "/api/v1/conversations")["conversations"]:
            key = (user.profile["id"], conversation["id"])
            after = self.cursors.get(key, 0)
            messages = user.call(
                "GET", f"/api/v1/conversations/{conversation['id']}/messages?after={after}&limit=200"
            )
            self.keep(user, messages)
            if messages["messages"]:
                self.cursors[key] = max(m["changed_seq"] for m in messages["messages"])


def _spot(rng: random.Random) -> tuple[float, float]:
    return (HOME.lat + rng.uniform(-0.4, 0.4), HOME.lng + rng.uniform(-0.4, 0.4))


def _position_texts(lat: float, lng: float) -> list[str]:
    return [t for v in (lat, lng) for t in (repr(v), f"{v:.4f}", f"{v:.5f}")]


def _position_bytes(lat: float, lng: float) -> list[bytes]:
    return [struct.pack(order, v) for v in (lat, lng) for order in ("<d", ">d")]


@pytest.mark.stress
def test_a_thousand_actions_reveal_no_number_handle_birth_date_or_position(souk_world, caplog):
    caplog.set_level(logging.DEBUG)
    rng = random.Random(SEED)
    world = souk_world(["matchmaking"])
    seen = Seen()
    people, shared, born = [], defaultdict(list), {}
    for n in range(8):
        gender = "woman" if n % 2 else "man"
        user = world.user(f"Person{n} Example", "BR")
        user.app_chat("matchmaking").send("/matches")
        lat, lng = _spot(rng)
        shared[user.profile["id"]].append((lat, lng))
        body = profile_body(world, name=f"Person{n} Example", gender=gender, seeks=["woman", "man"])
        body |= {"city": None, "position": {"lat": lat, "lng": lng}, "birth_date": f"199{n}-0{n + 1}-1{n}"}
        born[user.profile["id"]] = body["birth_date"]
        seen.keep(user, user.call("PUT", f"{MM}/profile", body))
        people.append(user)
    cards = {u.profile["id"]: card_of(u) for u in people}

    def act(user) -> None:
        other = rng.choice([p for p in people if p is not user])
        card = cards[other.profile["id"]]
        roll = rng.random()
        if roll < 0.25:
            seen.keep(user, world.core.request("GET", f"{MM}/candidates", user.token, None))
        elif roll < 0.45:
            seen.keep(user, world.core.request("POST", f"{MM}/candidates/{card}/like", user.token, None))
        elif roll < 0.55:
            seen.keep(user, world.core.request("POST", f"{MM}/candidates/{card}/pass", user.token, None))
        elif roll < 0.57:
            seen.keep(user, world.core.request("POST", f"{MM}/candidates/{card}/block", user.token, None))
        elif roll < 0.58:
            report = {"reason": "other", "note": "testing"}
            seen.keep(user, world.core.request("POST", f"{MM}/candidates/{card}/report", user.token, report))
        elif roll < 0.68:
            matches = world.core.request("GET", f"{MM}/matches", user.token, None)
            seen.keep(user, matches)
            live = [m for m in matches[1]["matches"] if m["status"] == "open"]
            if live and rng.random() < 0.2:
                ref = rng.choice(live)["ref"]
                seen.keep(user, world.core.request("DELETE", f"{MM}/matches/{ref}", user.token, None))
        elif roll < 0.85:
            chat = user.app_chat("matchmaking")
            reply = chat.send(rng.choice(["/match", "/matches", "/profile"]))
            seen.keep(user, reply.messages)
            screen = reply.screens[-1] if reply.screens else None
            labels = [b.label for b in screen.interactive() if getattr(b, "label", None)] if screen else []
            label = next((x for x in ("Like", "Pass") if x in labels), None)
            if label:
                seen.keep(user, chat.press(label).messages)
        elif roll < 0.95:
            lat, lng = _spot(rng)
            shared[user.profile["id"]].append((lat, lng))
            body = profile_body(world, name=user.profile["display_name"], birth_date=born[user.profile["id"]])
            body |= {
                "gender": "woman",
                "seeks": ["woman", "man"],
                "city": None,
                "position": {"lat": lat, "lng": lng},
            }
            seen.keep(user, world.core.request("PUT", f"{MM}/profile", user.token, body))
        else:
            path = rng.choice(["/profile/pause", "/profile/resume"])
            seen.keep(user, world.core.request("POST", MM + path, user.token, None))

    for n in range(ACTIONS):
        user = rng.choice(people)
        act(user)
        seen.read_all(user)
        if n % 100 == 99:
            world.settle()
            for person in people:
                seen.read_all(person)
    world.settle()
    for person in people:
        seen.read_all(person)

    matches = db(world).execute("SELECT COUNT(*) FROM matches").fetchone()[0]
    answers = sum(len(v) for v in seen.by.values())
    leaks = []
    for person in people:
        pid = person.profile["id"]
        phone = person.profile["phone"]
        member = db(world).execute("SELECT member FROM profiles WHERE card = ?", [cards[pid]]).fetchone()
        secrets_ = [phone, phone[3:], f"@{person.handle}", person.handle, born[pid]]
        secrets_ += [member[0]] if member else []
        secrets_ += [t for spot in shared[pid] for t in _position_texts(*spot)]
        secrets_ += [places.snap(*spot) for spot in shared[pid]]
        for other in people:
            if other is person:
                continue
            text = "\n".join(seen.by[other.profile["id"]])
            leaks += [(person.handle, other.handle, s) for s in secrets_ if s in text]
    print(f"seed {SEED}: {ACTIONS} actions, {answers} answers kept, {matches} matches, {len(leaks)} leaks")
    assert leaks == []
    assert matches >= 1 and answers >= ACTIONS

    data = world.core.runtime.settings.data_dir / "apps"
    files = [p for p in (data / "matchmaking.db", Path(f"{data / 'matchmaking.db'}-wal")) if p.exists()]
    logged = caplog.text
    for spots in shared.values():
        for lat, lng in spots:
            for path in files:
                raw = path.read_bytes()
                assert not [t for t in _position_texts(lat, lng) if t.encode() in raw], path.name
                assert not [b for b in _position_bytes(lat, lng) if b in raw], path.name
            assert not [t for t in _position_texts(lat, lng) if t in logged]
