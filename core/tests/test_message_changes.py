"""Replies, edits, deletions for everyone and reactions, through the HTTP API (in-process, manual clock)."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

_client_ids = itertools.count(1)


def _send(user: Any, conversation_id: str, text: str, **extra: Any) -> dict[str, Any]:
    return user.call(
        "POST",
        f"/api/v1/conversations/{conversation_id}/messages",
        {"client_id": f"c{next(_client_ids)}", "text": text, **extra},
    )


def _said(user: Any, conversation_id: str) -> list[dict[str, Any]]:
    """What people wrote there (the group's own news left out)."""
    return [m for m in user.chat(conversation_id).history() if m["sender"]["kind"] != "system"]


def _path(message: dict[str, Any], tail: str = "") -> str:
    return f"/api/v1/conversations/{message['conversation_id']}/messages/{message['id']}{tail}"


@pytest.fixture
def trio(souk_world):
    world = souk_world([])
    ana, bob, cid = world.user("Ana"), world.user("Bob"), world.user("Cid")
    group = ana.group_chat("Trio", [bob, cid])
    return world, ana, bob, cid, group.conversation_id


def test_a_reply_quotes_the_original_as_it_is_now(trio) -> None:
    _, ana, bob, _, group = trio
    original = _send(ana, group, "Lunch at one?")
    reply = _send(bob, group, "Yes!", reply_to=original["seq"])
    assert reply["reply_to"] == {
        "seq": original["seq"],
        "id": original["id"],
        "sender": {"kind": "user", "id": ana.profile["id"], "name": "Ana"},
        "text": "Lunch at one?",
        "deleted": False,
    }
    ana.call("PATCH", _path(original), {"text": "Lunch at two?"})
    stored = {m["seq"]: m for m in bob.chat(group).history()}
    assert stored[reply["seq"]]["reply_to"]["text"] == "Lunch at two?"  # never the previous text
    ana.call("DELETE", _path(original))
    stored = {m["seq"]: m for m in bob.chat(group).history()}
    assert stored[reply["seq"]]["reply_to"] == {
        "seq": original["seq"],
        "id": original["id"],
        "sender": None,
        "text": "",
        "deleted": True,
    }


def test_a_reply_to_what_not_everyone_sees_is_refused(trio) -> None:
    _, ana, bob, _, group = trio
    private = _send(ana, group, "/help")  # a command line: its sender's alone
    assert private["private"] is True
    for target in (private["seq"], 999):
        refused = bob.call(
            "POST",
            f"/api/v1/conversations/{group}/messages",
            {"client_id": f"r{target}", "text": "what?", "reply_to": target},
            expect=422,
        )
        assert refused["error"]["code"] == "invalid_reply"
    assert [m["text"] for m in _said(bob, group)] == []


def test_edits_are_the_senders_own_within_15_minutes_and_marked(trio) -> None:
    world, ana, bob, _, group = trio
    message = _send(ana, group, "See you at 7")
    assert bob.call("PATCH", _path(message), {"text": "hacked"}, expect=404)["error"]["code"] == (
        "message_not_found"
    )
    world.advance(minutes=14)
    edited = ana.call("PATCH", _path(message), {"text": "See you at 8"})
    assert (edited["text"], edited["revision"], edited["seq"]) == ("See you at 8", 2, message["seq"])
    assert edited["edited_at"] is not None and edited["changed_seq"] > message["changed_seq"]
    same = ana.call("PATCH", _path(message), {"text": "See you at 8"})
    assert same["revision"] == 2  # nothing changed, no new version
    command = ana.call("PATCH", _path(message), {"text": "/help"}, expect=422)
    assert command["error"]["code"] == "not_editable"
    world.advance(minutes=2)
    late = ana.call("PATCH", _path(message), {"text": "See you at 9"}, expect=422)
    assert late["error"]["code"] == "edit_window_closed"
    seen = _said(bob, group)
    assert [m["text"] for m in seen] == ["See you at 8"]
    assert "See you at 7" not in str(seen)


def test_a_deletion_for_everyone_leaves_a_tombstone_within_48_hours(trio) -> None:
    world, ana, bob, _, group = trio
    first, second = _send(ana, group, "oops"), _send(ana, group, "kept")
    bob.call("PUT", _path(first, "/reaction"), {"emoji": "😂"})
    assert bob.call("DELETE", _path(first), expect=404)["error"]["code"] == "message_not_found"
    gone = ana.call("DELETE", _path(first))
    assert (gone["deleted"], gone["text"], gone["reactions"], gone["seq"]) == (True, "", [], first["seq"])
    again = ana.call("DELETE", _path(first), expect=409)
    assert again["error"]["code"] == "message_deleted"
    assert bob.call("PUT", _path(first, "/reaction"), {"emoji": "👍"}, expect=409)["error"]["code"] == (
        "message_deleted"
    )
    world.advance(hours=49)
    late = ana.call("DELETE", _path(second), expect=422)
    assert late["error"]["code"] == "delete_window_closed"
    assert [(m["text"], m["deleted"]) for m in _said(bob, group)] == [("", True), ("kept", False)]


def test_reactions_count_who_reacted_one_each(trio) -> None:
    _, ana, bob, cid, group = trio
    message = _send(ana, group, "Goal!")
    bob.call("PUT", _path(message, "/reaction"), {"emoji": "🎉"})
    cid.call("PUT", _path(message, "/reaction"), {"emoji": "🎉"})
    after = ana.call("PUT", _path(message, "/reaction"), {"emoji": "👍🏽"})
    bob_id, cid_id, ana_id = (u.profile["id"] for u in (bob, cid, ana))
    assert after["reactions"] == [
        {"emoji": "🎉", "count": 2, "users": [bob_id, cid_id]},
        {"emoji": "👍🏽", "count": 1, "users": [ana_id]},
    ]
    changed = bob.call("PUT", _path(message, "/reaction"), {"emoji": "👍🏽"})
    assert [(r["emoji"], r["count"]) for r in changed["reactions"]] == [("🎉", 1), ("👍🏽", 2)]
    taken_back = cid.call("DELETE", _path(message, "/reaction"))
    assert taken_back["reactions"] == [{"emoji": "👍🏽", "count": 2, "users": [ana_id, bob_id]}]
    for word in ("ok", "a", "1", " ", "👍 ok", "\u200d"):
        refused = bob.call("PUT", _path(message, "/reaction"), {"emoji": word}, expect=422)
        assert refused["error"]["code"] in ("invalid_emoji", "invalid_request"), word
    assert taken_back["revision"] == 6  # posted, then five reactions changed it
