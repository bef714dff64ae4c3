"""The daily like limit holds when 50 likes arrive at once, and a new day (the member's) resets it."""

from __future__ import annotations

import datetime as dt

import pytest
from matchmaking_support import MM, card_of, count, member
from souk_matchmaking import limits
from souk_sdk.testing import race

LIMIT, AT_ONCE = 10, 50


@pytest.mark.stress
def test_fifty_likes_at_once_pass_the_limit_by_none(souk_world):
    world = souk_world(["matchmaking"])
    world.core.runtime.app_store("matchmaking").write_sync(
        lambda db: limits.set_per_day(db, "BR", LIMIT, "test", world.now())
    )
    ana = member(world, "Ana Souza")
    cards = [card_of(member(world, f"Bruno {n}", gender="man", seeks=["woman"])) for n in range(AT_ONCE + 1)]
    answers = race(
        *(
            lambda c=c: world.core.request("POST", f"{MM}/candidates/{c}/like", ana.token, None)
            for c in cards[:-1]
        )
    )
    statuses = sorted(status for status, _ in answers)
    assert statuses == [200] * LIMIT + [409] * (AT_ONCE - LIMIT)
    assert {body["error"]["code"] for status, body in answers if status == 409} == {"like_limit"}
    assert count(world, "SELECT COUNT(*) FROM likes") == LIMIT
    assert count(world, "SELECT SUM(count) FROM daily_likes") == LIMIT
    world.advance(dt.timedelta(days=1))
    assert ana.call("POST", f"{MM}/candidates/{cards[-1]}/like")["liked"] == "Bruno"
    assert count(world, "SELECT COUNT(*) FROM likes") == LIMIT + 1


def test_liking_the_same_person_again_costs_nothing(souk_world):
    world = souk_world(["matchmaking"])
    ana = member(world, "Ana Souza")
    card = card_of(member(world, "Bruno Lima", gender="man", seeks=["woman"]))
    for _ in range(3):
        ana.call("POST", f"{MM}/candidates/{card}/like")
    assert count(world, "SELECT SUM(count) FROM daily_likes") == 1
