"""Search over a generated history: 5 people, 4 groups, 2,000 messages, people joining, leaving and
being removed. Every result is one the searcher may read, and every match they may read is found
(checked against a model of who was in which group when, kept by the test itself)."""

from __future__ import annotations

import itertools
import random
from collections import defaultdict
from typing import Any

WORDS = ["apple", "banana", "cherry", "damson", "elder", "feijoa", "guava", "huckleberry"]
MESSAGES = 2000
_ids = itertools.count(1)


class Model:
    """Who may read what, as the test understands the rules (never the server's own code)."""

    def __init__(self) -> None:
        self.periods: dict[tuple[str, str], list[list[int | None]]] = defaultdict(list)
        self.messages: list[dict[str, Any]] = []  # {"group", "seq", "text", "private_to"}

    def joined(self, user: str, group: str, told_at: int) -> None:
        self.periods[(user, group)].append([told_at - 1, None])

    def left(self, user: str, group: str, told_at: int) -> None:
        self.periods[(user, group)][-1][1] = told_at

    def member(self, user: str, group: str) -> bool:
        periods = self.periods.get((user, group))
        return bool(periods) and periods[-1][1] is None

    def may_read(self, user: str, message: dict[str, Any]) -> bool:
        if message["private_to"] not in (None, user):
            return False
        return any(
            message["seq"] > start and (end is None or message["seq"] <= end)
            for start, end in self.periods.get((user, message["group"]), [])
        )


def search_all(user: Any, words: str) -> list[dict[str, Any]]:
    found, before = [], None
    while True:
        query = f"/api/v1/search?q={words}&limit=50" + (f"&before={before}" if before else "")
        page = user.call("GET", query)["results"]
        found += page
        if len(page) < 50:
            return found
        before = page[-1]["cursor"]


def test_search_finds_exactly_what_each_person_may_read(souk_world) -> None:
    rng = random.Random(20261202)
    world = souk_world([])
    people = [world.user(f"Searcher {n}") for n in range(5)]
    ids = [p.profile["id"] for p in people]
    model = Model()
    groups = []
    for number in range(4):
        owner = people[number]
        others = [p for p in people if p is not owner and rng.random() < 0.6]
        group = owner.group_chat(f"Orchard {number}", others).conversation_id
        for person in [owner, *others]:
            model.joined(person.profile["id"], group, 1)
        groups.append((group, owner))
    helped = defaultdict(int)
    for _ in range(MESSAGES):
        group, owner = rng.choice(groups)
        roll = rng.random()
        inside = [p for p in people if model.member(p.profile["id"], group)]
        outside = [p for p in people if not model.member(p.profile["id"], group)]
        base = f"/api/v1/conversations/{group}"
        if roll < 0.03 and outside:
            newcomer = rng.choice(outside)
            told = owner.call("POST", f"{base}/members", {"members": [{"user_id": newcomer.profile["id"]}]})
            model.joined(newcomer.profile["id"], group, told["last_seq"])
        elif roll < 0.06 and len(inside) > 1:
            leaving = rng.choice([p for p in inside if p is not owner])
            if rng.random() < 0.5:
                told = leaving.call("POST", f"{base}/leave")
            else:
                told = owner.call("DELETE", f"{base}/members/{leaving.profile['id']}")
            model.left(leaving.profile["id"], group, owner.call("GET", base)["last_seq"])
        else:
            sender = rng.choice(inside)
            text = "/help" if rng.random() < 0.02 else " ".join(rng.sample(WORDS, 3))
            sent = sender.call("POST", f"{base}/messages", {"client_id": f"s{next(_ids)}", "text": text})
            private_to = sender.profile["id"] if text == "/help" else None
            model.messages.append(
                {"group": group, "seq": sent["seq"], "text": text, "private_to": private_to}
            )
            if text == "/help":
                helped[(sender.profile["id"], group)] += 1
    world.settle()

    checked = 0
    for person, me in zip(people, ids, strict=True):
        for words in (["apple"], ["guava", "cherry"], ["huckle"], ["damson", "elder", "feijoa"]):
            expected = {
                (m["group"], m["seq"])
                for m in model.messages
                if model.may_read(me, m)
                and all(any(w.startswith(q) for w in m["text"].split()) for q in words)
            }
            results = search_all(person, "+".join(words))
            found = {(r["message"]["conversation_id"], r["message"]["seq"]) for r in results}
            assert len(found) == len(results), "a message was found twice"
            assert found == expected, (person.profile["display_name"], words, len(found), len(expected))
            assert [r["cursor"] for r in results] == sorted((r["cursor"] for r in results), reverse=True)
            checked += len(found)
        # Mini-apps' answers to a /help line are shown to the one who typed it, and found by them alone.
        answers = search_all(person, "commands")
        assert all(r["message"]["private"] for r in answers)
        assert len(answers) == sum(n for (who, _), n in helped.items() if who == me)
    assert len(model.messages) > MESSAGES * 0.9
    assert checked > 1000  # the searches found plenty, so "found == expected" meant something
