"""Unmatching, pausing and deleting: who still sees whom, counted."""

from __future__ import annotations

from matchmaking_support import MM, candidates, card_of, count, member


def _matched(world):
    ana = member(world, "Ana Souza", interests=["samba"])
    bruno = member(world, "Bruno Lima", gender="man", seeks=["woman"], interests=["samba"])
    ana.call("POST", f"{MM}/candidates/{card_of(bruno)}/like")
    assert bruno.call("POST", f"{MM}/candidates/{card_of(ana)}/like")["matched"]
    world.settle()
    return ana, bruno


def test_unmatch_ends_it_for_both_for_good_and_says_so_in_their_chat(souk_world):
    world = souk_world(["matchmaking"])
    ana, bruno = _matched(world)
    (match,) = ana.call("GET", f"{MM}/matches")["matches"]
    bruno_card = card_of(bruno)
    ana.call("DELETE", f"{MM}/matches/{match['ref']}")
    for user in (ana, bruno):
        (ended,) = user.call("GET", f"{MM}/matches")["matches"]
        assert (ended["status"], ended["conversation"], ended["card"]) == ("ended", None, None)
        assert user.call("DELETE", f"{MM}/matches/{match['ref']}", expect=404)["error"]["code"] == "not_found"
    assert candidates(ana) == [] and candidates(bruno) == []
    assert ana.call("POST", f"{MM}/candidates/{bruno_card}/like", expect=404)["error"]["code"] == "not_found"
    assert count(world, "SELECT COUNT(*) FROM likes") == 0
    texts = [m["text"] for m in bruno.chat(match["conversation"]).history()]
    assert texts[-1].startswith("This match has ended.")


def test_a_paused_profile_is_nobodys_candidate_until_resumed(souk_world):
    world = souk_world(["matchmaking"])
    ana = member(world, "Ana Souza")
    bruno = member(world, "Bruno Lima", gender="man", seeks=["woman"])
    ana.call("POST", f"{MM}/profile/pause")
    assert candidates(bruno) == [] and candidates(ana) == []
    error = ana.call("POST", f"{MM}/candidates/{card_of(bruno)}/like", expect=409)["error"]
    assert error["code"] == "profile_paused"
    ana.call("POST", f"{MM}/profile/resume")
    assert [c["first_name"] for c in candidates(bruno)] == ["Ana"]


def test_a_deleted_profile_is_gone_from_every_list_like_and_match(souk_world):
    world = souk_world(["matchmaking"])
    ana, bruno = _matched(world)
    carla = member(world, "Carla Dias", interests=["samba"])
    carla.call("POST", f"{MM}/candidates/{card_of(bruno)}/like")  # a like waiting for Bruno
    dora = member(world, "Dora Reis")
    bruno_card = card_of(bruno)
    assert [c["first_name"] for c in candidates(dora)] == ["Bruno"]
    (match,) = ana.call("GET", f"{MM}/matches")["matches"]

    bruno.call("DELETE", f"{MM}/profile")
    for user in (ana, carla, dora):
        assert candidates(user) == []
        assert (
            user.call("POST", f"{MM}/candidates/{bruno_card}/like", expect=404)["error"]["code"]
            == "not_found"
        )
    (gone,) = ana.call("GET", f"{MM}/matches")["matches"]
    assert (gone["name"], gone["status"], gone["conversation"]) == ("Deleted profile", "deleted", None)
    assert bruno.call("GET", f"{MM}/matches")["matches"] == []
    assert count(world, "SELECT COUNT(*) FROM likes") == 0  # given and received
    assert count(world, "SELECT COUNT(*) FROM profiles") == 3
    assert (
        ana.chat(match["conversation"]).history()[-1]["text"]
        == "This match has ended: the profile was deleted."
    )
    bruno.call("GET", f"{MM}/profile", expect=409)


def test_the_chat_buttons_delete_a_profile_after_asking(souk_world):
    world = souk_world(["matchmaking"])
    ana = member(world, "Ana Souza")
    chat = ana.app_chat("matchmaking")
    chat.send("/profile")
    assert "Delete your profile?" in chat.press("Delete profile").text
    assert "profile is deleted" in chat.press("Delete for good").text
    assert count(world, "SELECT COUNT(*) FROM profiles") == 0
