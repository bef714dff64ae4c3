"""Two people liking each other at the same moment make exactly one match and one chat.

Each round makes a new pair, both with each other's card, and starts both
likes at once (``race``): one commits first and finds no like back; the other
finds it and makes the match.  Counted after every round: exactly one of the two
answers says ``matched``, one match for the pair, both likes kept, one
conversation recorded on it and shared by both, one "It's a match" message in
it; and at the end as many matches and distinct chats as pairs.
"""

from __future__ import annotations

import os

import pytest
from matchmaking_support import MM, card_of, count, member
from souk_sdk.testing import race

PAIRS = 100 if os.environ.get("SOUK_STRESS") == "1" else 25


@pytest.mark.stress
def test_simultaneous_likes_make_one_match_and_one_chat(souk_world):
    world = souk_world(["matchmaking"])
    for n in range(PAIRS):
        ana = member(world, f"Ana {n}", interests=[f"pair{n}"])
        bruno = member(world, f"Bruno {n}", gender="man", seeks=["woman"], interests=[f"pair{n}"])
        ana_card, bruno_card = card_of(ana), card_of(bruno)
        answers = race(
            lambda a=ana, c=bruno_card: a.call("POST", f"{MM}/candidates/{c}/like"),
            lambda b=bruno, c=ana_card: b.call("POST", f"{MM}/candidates/{c}/like"),
        )
        world.settle()
        assert all(isinstance(a, dict) for a in answers), answers
        assert sorted(a["matched"] for a in answers) == [False, True]
        (ref,) = [a["match"] for a in answers if a["matched"]]
        pair = "SELECT member FROM profiles WHERE card IN (?, ?)"
        assert (
            count(world, f"SELECT COUNT(*) FROM likes WHERE liker IN ({pair})", [ana_card, bruno_card]) == 2
        )
        matches = ana.call("GET", f"{MM}/matches")["matches"]
        assert [m["ref"] for m in matches] == [ref]
        assert bruno.call("GET", f"{MM}/matches")["matches"][0]["conversation"] == matches[0]["conversation"]
        hellos = [m for m in ana.chat(matches[0]["conversation"]).history() if "It's a match" in m["text"]]
        assert len(hellos) == 1
    assert count(world, "SELECT COUNT(*) FROM matches") == PAIRS
    chats = "SELECT COUNT(DISTINCT conversation) FROM matches WHERE conversation IS NOT NULL"
    assert count(world, chats) == PAIRS
    print(f"{PAIRS} pairs raced: {PAIRS} matches, {PAIRS} chats")
