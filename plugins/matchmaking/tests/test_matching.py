"""Profiles, candidates, like and pass, and a mutual like that opens one chat."""

from __future__ import annotations

from matchmaking_support import MM, candidates, card_of, count, member


def test_first_use_asks_consent_then_shows_the_profile_form(souk_world):
    world = souk_world(["matchmaking"])
    chat = world.user("Ana Souza", "BR").app_chat("matchmaking")
    consent = chat.send("/match", allow=False)
    assert "Allow" in consent.text
    screen = chat.press("Allow").screen
    assert screen.title == "Matchmaking"
    reply = chat.submit(
        {
            "name": "Ana Souza",
            "birth_date": "1995-03-10",
            "gender": "woman",
            "seeking": "men",
            "age_min": 25,
            "age_max": 40,
            "city": "São Paulo",
            "interests": "Samba, coffee",
            "bio": "Café e samba.",
        }
    )
    assert "Your profile is live." in reply.text
    assert "No one new right now" in reply.text
    assert count(world, "SELECT COUNT(*) FROM profiles") == 1
    assert count(world, "SELECT COUNT(*) FROM interests") == 2


def test_a_mutual_like_is_a_match_and_opens_one_chat_without_numbers(souk_world):
    world = souk_world(["matchmaking"])
    ana = member(world, "Ana Souza", interests=["samba", "coffee"])
    bruno = member(world, "Bruno Lima", gender="man", seeks=["woman"], interests=["coffee"])
    (seen,) = candidates(ana)
    assert seen["first_name"] == "Bruno" and seen["shared_interests"] == ["coffee"]
    assert seen["distance"] == "under 10 km"
    assert ana.call("POST", f"{MM}/candidates/{seen['card']}/like") == {
        "liked": "Bruno",
        "matched": False,
        "match": None,
    }
    chat = bruno.app_chat("matchmaking")
    card = chat.send("/match").screen
    assert card.body[0].title.startswith("Ana, ")
    reply = chat.press("Like")
    assert "It's a match with Ana!" in reply.text
    world.settle()
    assert count(world, "SELECT COUNT(*) FROM matches WHERE conversation IS NOT NULL") == 1
    (match,) = ana.call("GET", f"{MM}/matches")["matches"]
    assert match["name"] == "Bruno" and match["status"] == "open"
    direct = ana.chat(match["conversation"]).history()
    assert [m["text"] for m in direct if "It's a match" in m["text"]] == [direct[-1]["text"]]
    assert card_of(bruno) == match["card"]
    for message in direct:
        assert ana.profile["phone"] not in str(message) and bruno.profile["phone"] not in str(message)
