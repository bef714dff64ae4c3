"""The daily like limit is a per-country setting: an operator's change counts from the next like,
wins over the limit ``souk matchmaking like-limit`` keeps, and holds in that country only."""

from __future__ import annotations

from matchmaking_support import MM, card_of, count, member
from souk_matchmaking import limits

SETTINGS = "/api/v1/admin/apps/matchmaking/countries/{}/settings"


def _like(user, card: str, expect: int = 200) -> dict:
    return user.call("POST", f"{MM}/candidates/{card}/like", expect=expect)


def test_an_operators_like_limit_counts_from_the_next_like(souk_world) -> None:
    world = souk_world(["matchmaking"])
    owner = world.operator()
    world.core.runtime.app_store("matchmaking").write_sync(
        lambda db: limits.set_per_day(db, "BR", 1, "cli:test", world.now())
    )
    ana = member(world, "Ana Souza")
    cards = [card_of(member(world, f"Bruno {n}", gender="man", seeks=["woman"])) for n in range(4)]
    assert _like(ana, cards[0])["liked"] == "Bruno"
    refused = _like(ana, cards[1], expect=429)["error"]
    assert refused["code"] == "like_limit" and "today's 1 likes" in refused["message"]

    world.call("PATCH", SETTINGS.format("BR"), owner, json={"values": {"likes_per_day": 3}})
    assert [_like(ana, c)["liked"] for c in cards[1:3]] == ["Bruno", "Bruno"]
    refused = _like(ana, cards[3], expect=429)["error"]
    assert "today's 3 likes" in refused["message"]
    assert count(world, "SELECT SUM(count) FROM daily_likes") == 3

    world.call("PATCH", SETTINGS.format("IN"), owner, json={"values": {"likes_per_day": 1000}})
    assert _like(ana, cards[3], expect=429)["error"]["code"] == "like_limit"  # India's is not hers
    bad = world.call("PATCH", SETTINGS.format("BR"), owner, json={"values": {"likes_per_day": 0}}, expect=422)
    assert bad["error"]["code"] == "invalid_setting"
    assert count(world, "SELECT COUNT(*) FROM likes") == 3
