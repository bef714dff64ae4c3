"""A mini-app ends only the chats it opened (ctx.end_chat): never one people started, nor another app's."""

from __future__ import annotations

import uuid

from pydantic import BaseModel
from souk_sdk import Manifest, MiniApp, NotFound, PublicUser


class Target(BaseModel):
    conversation: str


class Someone(BaseModel):
    who: PublicUser


def closer(name: str) -> MiniApp:
    """A mini-app that introduces two people, and tries to end the conversation it is given."""
    app = MiniApp(Manifest(name=name, title=name.title(), version="1.0.0", sdk=">=1.2,<2"))

    @app.command(f"{name}_end", help="End a chat", args=Target, scopes=[])
    async def end(ctx, args: Target) -> str:
        try:
            return f"ended: {await ctx.end_chat(args.conversation, note='Closed by ' + name)}"
        except NotFound:
            return "refused"

    @app.command(f"{name}_introduce", help="Open a chat with someone", args=Someone, scopes=[])
    async def introduce(ctx, args: Someone) -> str:
        return (await ctx.open_chat(args.who.id, f"{name} introduces you.")).id

    return app


def _said(chat, line: str) -> str:
    """The mini-app's last answer to a line typed in ``chat`` (where the ``@handle`` is a member)."""
    return chat.send(line).messages[-1]["text"]


def _send(user, conversation: str, expect: int = 201) -> dict:
    body = {"client_id": uuid.uuid4().hex, "text": "hello?"}
    return user.call("POST", f"/api/v1/conversations/{conversation}/messages", body, expect=expect)


def test_a_mini_app_ends_only_a_chat_it_opened(souk_world) -> None:
    world = souk_world([closer("alpha"), closer("beta")])
    ana, bruno = world.user("Ana Souza"), world.user("Bruno Lima")
    own = ana.direct_chat(bruno)
    own.send("Oi!")
    alpha = _said(own, f"/alpha_introduce @{bruno.handle}")
    assert alpha not in (own.conversation_id, "refused")

    tries = [(app, cid) for app in ("alpha", "beta") for cid in (own.conversation_id, "c_unknown")]
    tries.append(("beta", alpha))
    answers = [ana.app_chat(app).send(f"/{app}_end {cid}").text for app, cid in tries]
    assert answers == ["refused"] * 5
    for cid in (own.conversation_id, alpha):
        assert ana.call("GET", f"/api/v1/conversations/{cid}")["posting"] == "everyone"
        _send(bruno, cid)

    assert ana.app_chat("alpha").send(f"/alpha_end {alpha}").text == "ended: True"
    assert ana.app_chat("alpha").send(f"/alpha_end {alpha}").text == "ended: False"
    codes = [_send(user, alpha, 403)["error"]["code"] for user in (ana, bruno)]
    assert codes == ["conversation_ended"] * 2
    _send(bruno, own.conversation_id)  # their own chat is untouched
    again = _said(own, f"/alpha_introduce @{bruno.handle}")
    assert again not in (alpha, own.conversation_id)  # introduced again: a new chat
    _send(bruno, again)
