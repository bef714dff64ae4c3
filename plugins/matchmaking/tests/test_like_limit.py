"""The daily like limit holds when 50 likes arrive at once, and a new day (the member's) resets it."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

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
    assert statuses == [200] * LIMIT + [429] * (AT_ONCE - LIMIT)
    refused = [body["error"] for status, body in answers if status == 429]
    assert {error["code"] for error in refused} == {"like_limit"}
    assert {error["retry_after"] for error in refused} == {_until_midnight(world, ana)}
    assert count(world, "SELECT COUNT(*) FROM likes") == LIMIT
    assert count(world, "SELECT SUM(count) FROM daily_likes") == LIMIT
    world.advance(dt.timedelta(days=1))
    assert ana.call("POST", f"{MM}/candidates/{cards[-1]}/like")["liked"] == "Bruno"
    assert count(world, "SELECT COUNT(*) FROM likes") == LIMIT + 1


def _until_midnight(world, user) -> int:
    """Seconds from the harness's now to the member's next midnight, in their time zone."""
    local = world.now().astimezone(ZoneInfo(user.profile["time_zone"]))
    midnight = dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time(), local.tzinfo)
    return int((midnight - local).total_seconds())


def test_a_like_past_the_limit_in_the_chat_says_when_likes_come_back(souk_world):
    world = souk_world(["matchmaking"])
    world.core.runtime.app_store("matchmaking").write_sync(
        lambda db: limits.set_per_day(db, "BR", 1, "test", world.now())
    )
    ana = member(world, "Ana Souza")
    for n in range(2):
        member(world, f"Bruno {n}", gender="man", seeks=["woman"])
    chat = ana.app_chat("matchmaking")
    chat.send("/match")
    assert "You liked Bruno" in chat.press("Like").text
    wait = _until_midnight(world, ana)
    hours, minutes = wait // 3600, wait % 3600 // 60
    refused = chat.press("Like").text
    assert f"You have used today's 1 likes. More at midnight, in {hours} h {minutes} min." in refused
    assert count(world, "SELECT COUNT(*) FROM likes") == 1


def test_liking_the_same_person_again_costs_nothing(souk_world):
    world = souk_world(["matchmaking"])
    ana = member(world, "Ana Souza")
    card = card_of(member(world, "Bruno Lima", gender="man", seeks=["woman"]))
    for _ in range(3):
        ana.call("POST", f"{MM}/candidates/{card}/like")
    assert count(world, "SELECT SUM(count) FROM daily_likes") == 1
