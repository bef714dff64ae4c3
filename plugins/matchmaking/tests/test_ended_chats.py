"""Unmatch and block end the match's chat for both: every send refused with one code, counted."""

from __future__ import annotations

import uuid

import pytest
from matchmaking_support import MM, card_of, member

SENDS = 5


def _matched(world):
    ana = member(world, "Ana Souza", interests=["samba"])
    bruno = member(world, "Bruno Lima", gender="man", seeks=["woman"], interests=["samba"])
    ana.call("POST", f"{MM}/candidates/{card_of(bruno)}/like")
    assert bruno.call("POST", f"{MM}/candidates/{card_of(ana)}/like")["matched"]
    world.settle()
    (match,) = ana.call("GET", f"{MM}/matches")["matches"]
    return ana, bruno, match


def _send(user, conversation: str, text: str, expect: int) -> dict:
    body = {"client_id": uuid.uuid4().hex, "text": text}
    return user.call("POST", f"/api/v1/conversations/{conversation}/messages", body, expect=expect)


@pytest.mark.parametrize("ending", ["unmatch", "block", "report"])
def test_after_the_match_ends_neither_side_can_send(souk_world, ending: str) -> None:
    world = souk_world(["matchmaking"])
    ana, bruno, match = _matched(world)
    chat = match["conversation"]
    said = _send(bruno, chat, "Oi Ana!", 201)
    if ending == "unmatch":
        ana.call("DELETE", f"{MM}/matches/{match['ref']}")
    else:
        body = {"reason": "harassment", "note": "rude"} if ending == "report" else None
        ana.call("POST", f"{MM}/candidates/{card_of(bruno)}/{ending}", body)
    world.settle()

    before = ana.chat(chat).history()
    refused = [
        _send(user, chat, f"still there? {n}", 403)["error"]["code"]
        for user in (ana, bruno)
        for n in range(SENDS)
    ]
    assert refused == ["conversation_ended"] * (2 * SENDS)
    reaction = bruno.call(
        "PUT", f"/api/v1/conversations/{chat}/messages/{said['id']}/reaction", {"emoji": "👍"}, expect=403
    )
    assert reaction["error"]["code"] == "conversation_ended"
    for user in (ana, bruno):
        history = user.chat(chat).history()
        assert history == before  # nothing more was stored, and what was said stays readable
        assert [m["text"] for m in history].count("Oi Ana!") == 1
        ended = [m for m in history if (m["event"] or {}).get("type") == "ended"]
        assert len(ended) == 1 and ended[0]["text"].startswith("This match has ended.")
        assert user.call("GET", f"/api/v1/conversations/{chat}")["posting"] == "nobody"


def test_a_match_whose_chat_is_the_pairs_own_ends_and_leaves_their_chat_open(souk_world) -> None:
    """A match made before the mini-app had chats of its own: their direct chat is theirs to keep."""
    world = souk_world(["matchmaking"])
    ana, bruno, match = _matched(world)
    own = ana.direct_chat(bruno).conversation_id
    world.core.runtime.app_store("matchmaking").write_sync(
        lambda db: db.execute("UPDATE matches SET conversation = ? WHERE ref = ?", [own, match["ref"]])
    )
    ana.call("DELETE", f"{MM}/matches/{match['ref']}")
    (ended,) = bruno.call("GET", f"{MM}/matches")["matches"]
    assert ended["status"] == "ended"
    assert [_send(user, own, f"from {n}", 201)["text"] for n, user in enumerate((ana, bruno))] == [
        "from 0",
        "from 1",
    ]
    assert ana.call("GET", f"/api/v1/conversations/{own}")["posting"] == "everyone"
