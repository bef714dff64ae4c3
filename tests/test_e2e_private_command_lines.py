"""Command lines are their sender's: in a group of three, /wallet reaches nobody else.

Against a real ``souk serve`` with the installed mini-apps: A, B and C are in
a group and connected over the WebSocket; A types ``/wallet``, then says
"hi" (a fence: once it arrives, anything sent before it has arrived too).
B and C receive exactly one frame for the group, the "hi"; their history
holds nothing else.  A's other device (a second socket) sees the line and
the answer.  A screen that is replaced (a request card answered) reaches
every member's socket as its new version.
"""

from __future__ import annotations

import asyncio
import itertools
import time

import pytest
from e2e_support import create_group, history, run_cli, sign_in, ws_connect, ws_messages, ws_quiet

_INDIAN_NUMBERS = (f"+91987610{n:04d}" for n in itertools.count(1))  # payments runs in India


@pytest.fixture(autouse=True)
def payments_in_india(server) -> None:
    enabled = run_cli("plugins", "enable", "payments", "--country", "IN", "--data", str(server.data_dir))
    assert enabled.returncode == 0, enabled.stderr


def indian(server, name):
    return sign_in(server, name, phone=next(_INDIAN_NUMBERS))


def allow(server, user, conversation_id, command):
    """Use a mini-app once and press Allow on the permission it asks, as a person would."""
    post(server, user, conversation_id, command, f"allow-{command}")
    for _ in range(100):
        asked = [
            m for m in history(server, user, conversation_id) if m["screen"] and "permission" in m["text"]
        ]
        if asked:
            break
        time.sleep(0.05)
    button = next(x for x in asked[-1]["screen"]["body"] if x.get("label") == "Allow")
    with server.client(user.token) as http:
        pressed = http.post(
            "/api/v1/actions", json={"message_id": asked[-1]["id"], "component_id": button["id"]}
        )
    assert pressed.status_code == 200, pressed.text


def post(server, user, conversation_id, text, client_id):
    with server.client(user.token) as http:
        response = http.post(
            f"/api/v1/conversations/{conversation_id}/messages", json={"client_id": client_id, "text": text}
        )
    assert response.status_code == 201, response.text
    return response.json()


def test_a_command_line_reaches_only_its_sender(server) -> None:
    a, b, c = indian(server, "Asha"), indian(server, "Bela"), indian(server, "Chandra")
    group = create_group(server, a, [b, c], "Flat")["id"]
    allow(server, a, group, "/wallet")

    async def scenario() -> None:
        sockets = {}
        for name, user in (("a", a), ("a2", a), ("b", b), ("c", c)):
            sockets[name], _ = await ws_connect(server, user, {group: 0})
        line = post(server, a, group, "/wallet", "w1")
        assert line["private"] is True
        post(server, a, group, "hi", "w2")
        for name in ("b", "c"):
            frames = await ws_messages(sockets[name], group, 1)
            assert [m["text"] for m in frames] == ["hi"], (name, frames)
            assert await ws_quiet(sockets[name], group) == []
        mine = await ws_messages(sockets["a2"], group, 3)  # the line, the answer, "hi", in some order
        texts = [m["text"] for m in mine]
        assert "/wallet" in texts and "hi" in texts
        assert any(t.startswith("Your wallet") for t in texts), texts
        for ws in sockets.values():
            await ws.close()

    asyncio.run(scenario())
    for user in (b, c):
        assert [m["text"] for m in history(server, user, group) if m["sender"]["kind"] == "user"] == ["hi"]
    assert "/wallet" in [m["text"] for m in history(server, a, group)]


def test_a_replaced_card_reaches_every_member_as_its_new_version(server) -> None:
    a, b = indian(server, "Anil"), indian(server, "Bina")
    group = create_group(server, a, [b], "Lunch")["id"]
    for user in (a, b):
        allow(server, user, group, "/wallet")

    async def scenario() -> None:
        ws_b, _ = await ws_connect(server, b, {})
        post(server, a, group, f"/request @{b.handle} 10 samosas", "r1")
        card = (await ws_messages(ws_b, group, 1))[0]
        assert card["screen"]["title"] == "Payment request" and card["revision"] == 1
        decline = next(x for x in card["screen"]["body"] if x.get("label") == "Decline")
        with server.client(b.token) as http:
            answer = http.post(
                "/api/v1/actions", json={"message_id": card["id"], "component_id": decline["id"]}
            )
        assert answer.status_code == 200, answer.text
        replaced = (await ws_messages(ws_b, group, 1))[0]
        assert (replaced["id"], replaced["revision"], replaced["seq"]) == (card["id"], 2, card["seq"])
        assert replaced["changed_seq"] > card["changed_seq"]
        assert "Declined by Bina" in replaced["text"]
        assert not [x for x in replaced["screen"]["body"] if x.get("type") == "button"]
        await ws_b.close()

    asyncio.run(scenario())
    cards = [
        m for m in history(server, a, group) if m["screen"] and m["screen"]["title"] == "Payment request"
    ]
    assert [(m["revision"], "Declined by Bina" in m["text"]) for m in cards] == [
        (2, True)
    ]  # history: the latest
