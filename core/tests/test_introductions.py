"""A chat a mini-app opened between two people (a match) shows neither one's handle, makes them no
contacts, and gives neither a way round it to a chat that would show the handle."""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import BaseModel
from souk_sdk import Manifest, MiniApp


class Nothing(BaseModel):
    pass


def matchmaker() -> MiniApp:
    """Whoever says /meet is introduced to the one who said it before (strangers until then)."""
    app = MiniApp(Manifest(name="cupid", title="Cupid", version="1.0.0", sdk=">=1.2,<2"))
    waiting: list[str] = []

    @app.command("meet", help="Meet someone", args=Nothing, scopes=[])
    async def meet(ctx: Any, args: Nothing) -> str:
        if not waiting:
            waiting.append(ctx.user.id)
            return "waiting"
        return (await ctx.open_chat(waiting.pop(), "Cupid introduces you.")).id

    return app


def _everything_seen(user: Any, conversation: str) -> str:
    """Every answer ``user`` gets about the chat: the conversation, its listing, its messages' info."""
    seen = [
        user.call("GET", f"/api/v1/conversations/{conversation}"),
        user.call("GET", "/api/v1/conversations"),
    ]
    for message in user.call("GET", f"/api/v1/conversations/{conversation}/messages")["messages"]:
        if message["sender"]["kind"] == "user" and message["sender"]["id"] == user.profile["id"]:
            info = f"/api/v1/conversations/{conversation}/messages/{message['id']}/receipts"
            seen.append(user.call("GET", info))
    return repr(seen)


def test_an_introduction_shows_no_handle_and_opens_no_other_way(souk_world: Any) -> None:
    world = souk_world([matchmaker()])
    ana, bruno, carla = world.user("Ana Souza"), world.user("Bruno Lima"), world.user("Carla Dias")
    assert bruno.app_chat("cupid").send("/meet").messages[-1]["text"] == "waiting"
    chat_id = ana.app_chat("cupid").send("/meet").messages[-1]["text"]
    match = ana.call("GET", f"/api/v1/conversations/{chat_id}")
    assert (match["kind"], match["app"]) == ("direct", "cupid")
    assert [m["handle"] for m in match["members"]] == [None, None]
    for user in (ana, bruno):
        user.call(
            "POST",
            f"/api/v1/conversations/{chat_id}/messages",
            {"client_id": uuid.uuid4().hex, "text": "Oi"},
            expect=201,
        )
    for user, other in ((ana, bruno), (bruno, ana)):
        seen = _everything_seen(user, chat_id)
        assert other.handle not in seen and other.profile["phone"] not in seen
        assert other.profile["display_name"] in seen  # the name the mini-app introduced them by

    # The member id seen in the match is no way to reach the person elsewhere.
    for user, other in ((ana, bruno), (bruno, ana)):
        for body in (
            {"kind": "direct", "with": {"user_id": other.profile["id"]}},
            {"kind": "group", "title": "Picnic", "members": [{"user_id": other.profile["id"]}]},
        ):
            refused = user.call("POST", "/api/v1/conversations", body, expect=404)
            assert refused["error"]["code"] == "user_not_found"

    # An introduction is no contact: a "contacts only" last seen stays hidden from the match.
    ana.call("PATCH", "/api/v1/me/privacy", {"presence": "contacts"})
    presence = bruno.call("GET", f"/api/v1/users/{ana.profile['id']}/presence")
    assert (presence["online"], presence["last_seen"]) == (None, None)

    # Someone who shares a group with a person still reaches them by id (nothing else changes).
    group = ana.group_chat("Book club", [carla]).conversation_id
    assert group
    direct = carla.call(
        "POST",
        "/api/v1/conversations",
        {"kind": "direct", "with": {"user_id": ana.profile["id"]}},
        expect=201,
    )
    assert any(m["handle"] == ana.handle for m in direct["members"])
