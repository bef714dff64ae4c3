"""Groups with a life, through the HTTP API: system messages, admins, who may post, leaving, and what
each member may read (never before they joined, never after they left)."""

from __future__ import annotations

import base64
import io
import itertools
from typing import Any

import pytest
from media_samples import photo_with_gps, png
from PIL import Image

_ids = itertools.count(1)
PNG = "data:image/png;base64," + base64.b64encode(png()).decode()


def picture_of(data_url: str) -> Image.Image:
    kind, encoded = data_url.split(",", 1)
    assert kind == "data:image/jpeg;base64"
    return Image.open(io.BytesIO(base64.b64decode(encoded)))


def say(user: Any, conversation_id: str, text: str, expect: int = 201) -> dict[str, Any]:
    return user.call(
        "POST",
        f"/api/v1/conversations/{conversation_id}/messages",
        {"client_id": f"g{next(_ids)}", "text": text},
        expect=expect,
    )


def texts(user: Any, conversation_id: str) -> list[str]:
    return [m["text"] for m in user.chat(conversation_id).history()]


@pytest.fixture
def club(souk_world):
    world = souk_world([])
    ana, bob, cid, dan = (world.user(name) for name in ("Ana", "Bob", "Cid", "Dan"))
    group = ana.group_chat("Club", [bob, cid]).conversation_id
    return world, ana, bob, cid, dan, group


def test_the_life_of_a_group_is_told_by_system_messages(club) -> None:
    _, ana, bob, cid, dan, group = club
    base = f"/api/v1/conversations/{group}"
    ana.call("POST", f"{base}/members", {"members": [{"handle": dan.handle}]})
    ana.call("PATCH", base, {"title": "Book club"})
    ana.call("PUT", f"{base}/photo", {"photo": PNG})
    ana.call("PATCH", f"{base}/members/{bob.profile['id']}", {"role": "admin"})
    bob.call("DELETE", f"{base}/members/{cid.profile['id']}")
    dan.call("POST", f"{base}/leave")
    ana.call("PATCH", base, {"posting": "admins"})
    history = ana.chat(group).history()
    assert [m["text"] for m in history] == [
        "Ana created the group “Club”",
        "Ana added Dan",
        "Ana renamed the group “Book club”",
        "Ana changed the group photo",
        "Ana made Bob an admin",
        "Bob removed Cid",
        "Dan left",
        "Ana changed who can send messages: only admins",
    ]
    assert {m["sender"]["kind"] for m in history} == {"system"}
    assert [m["event"]["type"] for m in history] == [
        "created", "added", "renamed", "photo", "role", "removed", "left", "posting"
    ]  # fmt: skip
    assert history[5]["event"]["users"] == [cid.profile["id"]]
    info = ana.call("GET", base)
    assert (info["title"], info["posting"]) == ("Book club", "admins")
    assert picture_of(info["photo"]).size == Image.open(io.BytesIO(png())).size  # drawn anew, as a JPEG
    assert [(m["display_name"], m["role"]) for m in info["members"]] == [("Ana", "owner"), ("Bob", "admin")]


def test_only_admins_manage_and_the_owner_stays(club) -> None:
    _, ana, bob, cid, dan, group = club
    base = f"/api/v1/conversations/{group}"
    for method, path, body in [
        ("POST", f"{base}/members", {"members": [{"handle": dan.handle}]}),
        ("PATCH", base, {"title": "Mine now"}),
        ("PUT", f"{base}/photo", {"photo": PNG}),
        ("DELETE", f"{base}/members/{cid.profile['id']}", None),
        ("PATCH", f"{base}/members/{bob.profile['id']}", {"role": "admin"}),
    ]:
        refused = bob.call(method, path, body, expect=403)
        assert refused["error"]["code"] == "admins_only", path
    ana.call("PATCH", f"{base}/members/{bob.profile['id']}", {"role": "admin"})
    owner = bob.call("DELETE", f"{base}/members/{ana.profile['id']}", expect=403)
    assert owner["error"]["code"] == "cannot_remove_owner"
    assert bob.call("PATCH", f"{base}/members/{ana.profile['id']}", {"role": "member"}, expect=403)["error"][
        "code"
    ] == ("cannot_change_owner")
    fake = "data:image/png;base64," + base64.b64encode(b"\x89PNG\r\n\x1a\n" + bytes(64)).decode()
    for photo in ("data:image/png;base64,AAAA", "data:text/html;base64,PGI+", PNG + "\n", fake):
        assert ana.call("PUT", f"{base}/photo", {"photo": photo}, expect=422)["error"]["code"] in (
            "invalid_photo",
            "invalid_request",
        )
    assert texts(cid, group) == ["Ana created the group “Club”", "Ana made Bob an admin"]


def test_when_only_admins_may_post_a_member_is_refused(club) -> None:
    _, ana, bob, _, _, group = club
    ana.call("PATCH", f"/api/v1/conversations/{group}", {"posting": "admins"})
    assert say(bob, group, "hello?", expect=403)["error"]["code"] == "admins_only"
    say(ana, group, "Announcement")
    ana.call("PATCH", f"/api/v1/conversations/{group}", {"posting": "everyone"})
    say(bob, group, "hello!")
    assert texts(bob, group)[-3:] == [
        "Announcement",
        "Ana changed who can send messages: everyone",
        "hello!",
    ]


def test_members_read_only_what_came_while_they_were_in(club) -> None:
    _, ana, _, _, dan, group = club
    base = f"/api/v1/conversations/{group}"
    say(ana, group, "before Dan")
    ana.call("POST", f"{base}/members", {"members": [{"handle": dan.handle}]})
    say(ana, group, "Dan is here")
    assert texts(dan, group) == ["Ana added Dan", "Dan is here"]
    dan.call("POST", f"{base}/leave")
    say(ana, group, "while Dan is away")
    assert texts(dan, group) == ["Ana added Dan", "Dan is here", "Dan left"]
    assert say(dan, group, "let me in", expect=404)["error"]["code"] == "conversation_not_found"
    gone = dan.call("GET", base)
    assert (gone["member"], gone["members"], gone["last_seq"]) == (
        False,
        [],
        texts(ana, group).index("Dan left") + 1,
    )
    ana.call("POST", f"{base}/members", {"members": [{"handle": dan.handle}]})
    say(ana, group, "welcome back")
    assert texts(dan, group) == ["Ana added Dan", "Dan is here", "Dan left", "Ana added Dan", "welcome back"]
    listed = next(c for c in dan.call("GET", "/api/v1/conversations")["conversations"] if c["id"] == group)
    assert listed["member"] is True and listed["last_message"]["text"] == "welcome back"


def test_a_former_member_keeps_each_message_as_they_had_it(club) -> None:
    _, ana, bob, cid, _, group = club
    base = f"/api/v1/conversations/{group}"
    first = say(ana, group, "meet at 7")
    quoted = bob.call(
        "POST", f"{base}/messages", {"client_id": f"g{next(_ids)}", "text": "ok", "reply_to": first["seq"]}
    )
    cid.call("PUT", f"{base}/messages/{first['id']}/reaction", {"emoji": "👍"})
    ana.call("DELETE", f"{base}/members/{bob.profile['id']}")
    ana.call("PATCH", f"{base}/messages/{first['id']}", {"text": "meet at 8, Bob is out"})
    cid.call("PUT", f"{base}/messages/{first['id']}/reaction", {"emoji": "😂"})
    ana.call("PUT", f"{base}/messages/{quoted['id']}/reaction", {"emoji": "🙏"})
    seen = {m["seq"]: m for m in bob.chat(group).history()}
    assert seen[first["seq"]]["text"] == "meet at 7"
    assert [r["emoji"] for r in seen[first["seq"]]["reactions"]] == ["👍"]
    assert seen[quoted["seq"]]["reply_to"]["text"] == "meet at 7"
    assert seen[quoted["seq"]]["reactions"] == []
    assert "Bob is out" not in str(seen) and "😂" not in str(seen)
    caught_up = bob.call("GET", f"{base}/messages?after={first['changed_seq']}")["messages"]
    # Cid's 👍 came after Bob's "ok", while Bob was in: that version is the one he catches up with.
    assert [m["text"] for m in caught_up] == ["ok", "meet at 7", "Ana removed Bob"]
    # A message a member reacts to or edits is theirs to act on only while they are in.
    refused = bob.call("PUT", f"{base}/messages/{first['id']}/reaction", {"emoji": "😢"}, expect=404)
    assert refused["error"]["code"] == "message_not_found"


def test_a_group_photo_keeps_no_metadata_of_the_senders_file(club) -> None:
    """A phone's photo carries its GPS position in EXIF: the group's members get only pixels."""
    _, ana, bob, _, _, group = club
    taken = photo_with_gps(size=(240, 180))
    assert b"GPS" in taken
    sent = "data:image/jpeg;base64," + base64.b64encode(taken).decode()
    ana.call("PUT", f"/api/v1/conversations/{group}/photo", {"photo": sent})
    shown = bob.call("GET", f"/api/v1/conversations/{group}")["photo"]
    kept = base64.b64decode(shown.split(",", 1)[1])
    assert b"GPS" not in kept and b"Exif" not in kept
    assert picture_of(shown).getexif() == {}
    assert picture_of(shown).size == (240, 180)
