"""Typing and presence over the WebSocket, each under its person's sharing setting and the mutual rule:
whoever hides theirs sees no one else's; "contacts" means the people one has a direct chat with."""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any

from e2e_support import ServerProcess, User, create_group, sign_in, ws_connect
from websockets.asyncio.client import ClientConnection


async def frames_of(ws: ClientConnection, kind: str, wait: float = 0.6) -> list[dict[str, Any]]:
    """The frames of one type that arrive within ``wait`` seconds."""
    seen: list[dict[str, Any]] = []
    with contextlib.suppress(TimeoutError):
        while True:
            frame = json.loads(await asyncio.wait_for(ws.recv(), wait))
            if frame["type"] == kind:
                seen.append(frame)
    return seen


def share(server: ServerProcess, user: User, **settings: str) -> None:
    with server.client(user.token) as http:
        response = http.patch("/api/v1/me/privacy", json=settings)
        assert response.status_code == 200, response.text
        assert {k: response.json()[k] for k in settings} == settings


def direct(server: ServerProcess, a: User, b: User) -> str:
    with server.client(a.token) as http:
        return http.post(
            "/api/v1/conversations", json={"kind": "direct", "with": {"handle": b.handle}}
        ).json()["id"]


def presence_seen(server: ServerProcess, viewer: User, other: User) -> dict[str, Any]:
    with server.client(viewer.token) as http:
        response = http.get(f"/api/v1/users/{other.id}/presence")
        assert response.status_code == 200, response.text
        return response.json()


def test_typing_reaches_those_who_may_see_it(server: ServerProcess) -> None:
    ana, bob, cid = (sign_in(server, f"Typing {n}") for n in ("Ana", "Bob", "Cid"))
    group = create_group(server, ana, [bob, cid], title="typing")["id"]
    direct(server, ana, bob)  # Ana and Bob are contacts; Cid is neither's
    share(server, ana, typing="contacts")

    async def scenario() -> tuple[list, list, list, list]:
        sockets = [(await ws_connect(server, u, {}))[0] for u in (ana, bob, cid)]
        ana_ws, bob_ws, cid_ws = sockets
        await ana_ws.send(json.dumps({"type": "typing", "conversation_id": group}))
        await ana_ws.send(json.dumps({"type": "typing", "conversation_id": group}))  # too soon: dropped
        to_bob, to_cid = await asyncio.gather(frames_of(bob_ws, "typing"), frames_of(cid_ws, "typing"))
        share(server, bob, typing="nobody")  # Bob hides his: he no longer sees Ana's
        await asyncio.sleep(2.1)
        await ana_ws.send(json.dumps({"type": "typing", "conversation_id": group}))
        await bob_ws.send(json.dumps({"type": "typing", "conversation_id": group}))
        later_bob, to_ana = await asyncio.gather(frames_of(bob_ws, "typing"), frames_of(ana_ws, "typing"))
        for ws in sockets:
            await ws.close()
        return to_bob, to_cid, later_bob, to_ana

    to_bob, to_cid, later_bob, to_ana = asyncio.run(scenario())
    assert to_bob == [{"type": "typing", "conversation_id": group, "user_id": ana.id, "name": "Typing Ana"}]
    assert to_cid == []  # Cid is not Ana's contact
    assert later_bob == [] and to_ana == []


def test_presence_and_last_seen_follow_the_mutual_rule(server: ServerProcess) -> None:
    ana, bob, cid = (sign_in(server, f"Presence {n}") for n in ("Ana", "Bob", "Cid"))
    direct(server, ana, bob)
    create_group(server, ana, [bob, cid], title="presence")

    async def scenario() -> tuple[list, list, dict, dict, list]:
        ana_ws, _ = await ws_connect(server, ana, {})
        bob_ws, _ = await ws_connect(server, bob, {})
        came = await frames_of(ana_ws, "presence")
        while_on = await asyncio.to_thread(presence_seen, server, ana, bob)
        await bob_ws.close()
        went = await frames_of(ana_ws, "presence")
        after = await asyncio.to_thread(presence_seen, server, cid, bob)  # a group member, not a contact
        share(server, bob, presence="nobody")
        bob_ws, _ = await ws_connect(server, bob, {})
        hidden = await frames_of(ana_ws, "presence")
        await bob_ws.close()
        hidden += await frames_of(ana_ws, "presence")
        await ana_ws.close()
        return came, went, while_on, after, hidden

    came, went, while_on, after, hidden = asyncio.run(scenario())
    assert came == [{"type": "presence", "user_id": bob.id, "online": True, "last_seen": None}]
    assert while_on == {"user_id": bob.id, "online": True, "last_seen": None}
    assert len(went) == 1 and went[0]["online"] is False and went[0]["last_seen"]
    assert after["online"] is False and after["last_seen"] == went[0]["last_seen"]  # "everyone" shares
    assert hidden == []
    assert presence_seen(server, ana, bob) == {"user_id": bob.id, "online": None, "last_seen": None}
    # Bob hides his, so he sees nobody's either.
    assert presence_seen(server, bob, ana) == {"user_id": ana.id, "online": None, "last_seen": None}
    share(server, bob, presence="contacts")
    assert presence_seen(server, ana, bob)["online"] is False  # Ana is his contact
    assert presence_seen(server, cid, bob)["online"] is None  # Cid is not
    with server.client(cid.token) as http:
        stranger = sign_in(server, "Presence stranger")
        assert http.get(f"/api/v1/users/{stranger.id}/presence").status_code == 404
        refused = http.patch("/api/v1/me/privacy", json={"presence": "friends"})
        assert refused.status_code == 422 and refused.json()["error"]["code"] == "invalid_request"
